// uPlot takes one shared x array and one y array per series: series with
// different x values (steps, timestamps) are aligned on the union of xs, with
// null where a series has no point. Pure.

export interface Series {
  label: string;
  points: ReadonlyArray<readonly [number, number | null]>;
}

export function alignSeries(series: readonly Series[]): [number[], ...Array<Array<number | null>>] {
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p[0])))].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    const y: Array<number | null> = new Array(xs.length).fill(null);
    // Several points at one x (a step logged twice): the last one logged wins.
    for (const [x, v] of s.points) y[index.get(x)!] = v;
    return y;
  });
  return [xs, ...ys];
}
