// Pure histogram logic: reference and current counts as shares, laid out as
// paired bars on one axis (numeric bins or categories).

export interface BarPair {
  label: string;
  reference: number | null;
  current: number;
}

/** counts / their sum (all zeros when the sum is 0). */
export function shares(counts: readonly number[]): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  return counts.map((c) => (total > 0 ? c / total : 0));
}

const fmt = (n: number) => (Math.abs(n) >= 1000 || (Math.abs(n) < 0.01 && n !== 0) ? n.toPrecision(3) : String(Math.round(n * 100) / 100));

/** Pairs of shares per bin (`[a, b)` labels, the last closed) or per category. */
export function barPairs(d: { kind: 'numeric'; edges: number[]; reference: number[] | null; current: number[] } | { kind: 'categorical'; categories: string[]; reference: number[] | null; current: number[] }): BarPair[] {
  const cur = shares(d.current);
  const ref = d.reference ? shares(d.reference) : null;
  const labels = d.kind === 'numeric' ? d.current.map((_, i) => `${i === d.current.length - 1 ? '[' : '['}${fmt(d.edges[i]!)}, ${fmt(d.edges[i + 1]!)}${i === d.current.length - 1 ? ']' : ')'}`) : d.categories;
  return labels.map((label, i) => ({ label, reference: ref ? (ref[i] ?? 0) : null, current: cur[i] ?? 0 }));
}

export interface BarRect {
  x: number;
  y: number;
  width: number;
  height: number;
  series: 'reference' | 'current';
  index: number;
}

/** Rectangles for `pairs` in a plot area of width × height (bottom-aligned, the tallest share reaching the top). */
export function barRects(pairs: readonly BarPair[], width: number, height: number): BarRect[] {
  if (!pairs.length) return [];
  const max = Math.max(...pairs.map((p) => Math.max(p.reference ?? 0, p.current)), 1e-12);
  const slot = width / pairs.length;
  const paired = pairs.some((p) => p.reference !== null);
  const bar = Math.max(1, (slot * 0.8) / (paired ? 2 : 1));
  const rects: BarRect[] = [];
  pairs.forEach((p, i) => {
    const x0 = i * slot + slot * 0.1;
    if (p.reference !== null) rects.push({ x: x0, y: height - (p.reference / max) * height, width: bar, height: (p.reference / max) * height, series: 'reference', index: i });
    const h = (p.current / max) * height;
    rects.push({ x: paired ? x0 + bar : x0, y: height - h, width: bar, height: h, series: 'current', index: i });
  });
  return rects;
}
