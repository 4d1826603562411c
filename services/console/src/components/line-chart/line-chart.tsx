// Line chart over uPlot (large time series, ~50 KB): several series on one
// x axis (steps or epoch seconds), resized with its container.
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { alignSeries, type Series } from './align.ts';

export type { Series } from './align.ts';

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
export const colorOf = (i: number) => PALETTE[i % PALETTE.length]!;

export interface LineChartProps {
  series: Series[];
  /** `time`: x values are epoch seconds (uPlot's time axis); default numeric (steps). */
  x?: 'time' | 'number';
  xLabel?: string;
  yLabel?: string;
  height?: number;
  title?: string;
  testid?: string;
}

export function LineChart(props: LineChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data = alignSeries(props.series) as uPlot.AlignedData;
    const options: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: props.height ?? 240,
      title: props.title,
      scales: { x: { time: props.x === 'time' } },
      axes: [{ label: props.xLabel }, { label: props.yLabel }],
      series: [{ label: props.xLabel ?? 'x' }, ...props.series.map((s, i) => ({ label: s.label, stroke: colorOf(i), width: 1.5, spanGaps: true, points: { show: s.points.length < 60 } }))],
      legend: { live: true },
    };
    plot.current = new uPlot(options, data, el);
    const observer = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(200, el.clientWidth), height: props.height ?? 240 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current?.destroy();
      plot.current = undefined;
    };
  }, [props.series, props.x, props.xLabel, props.yLabel, props.height, props.title]);
  return <div class="chart" ref={box} data-testid={props.testid ?? 'line-chart'} data-series={props.series.length} />;
}
