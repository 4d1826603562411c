// A uPlot chart of series sharing one x (epoch seconds or plain numbers), nulls
// as gaps, optional dashes, marker-only series (events on a timeline) and a
// click on a point; for the health and drift views (line-chart.tsx aligns
// series with their own x, for runs).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface TimeSeries {
  label: string;
  stroke: string;
  dash?: number[];
  /** Markers only (no line): events on a timeline. */
  pointsOnly?: boolean;
  values: Array<number | null>;
}

export interface TimeChartProps {
  x: number[];
  series: TimeSeries[];
  height?: number;
  /** x is time (epoch seconds) or a plain number (steps, window index). */
  time?: boolean;
  yLabel?: string;
  testid?: string;
  /** Called with the index of a clicked x (nearest point). */
  onPick?: (index: number) => void;
}

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563'];

export function TimeChart(props: TimeChartProps) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const shape = props.series.map((s) => `${s.label}|${s.stroke}|${s.dash?.join(',') ?? ''}|${s.pointsOnly ?? false}`).join(';') + `|${props.time ?? true}|${props.yLabel ?? ''}`;
  const pick = useRef(props.onPick);
  pick.current = props.onPick;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height: props.height ?? 220,
      scales: { x: { time: props.time ?? true } },
      legend: { show: true },
      series: [{}, ...props.series.map((s) => (s.pointsOnly ? { label: s.label, stroke: s.stroke, fill: s.stroke, paths: () => null, points: { show: true, size: 9, fill: s.stroke } } : { label: s.label, stroke: s.stroke, dash: s.dash, width: 1.5, spanGaps: false, points: { show: false } }))],
      axes: [{}, { label: props.yLabel, size: 60 }],
      cursor: { drag: { x: false, y: false } },
    };
    const u = new uPlot(opts, [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData, el);
    plot.current = u;
    const click = () => {
      const idx = u.cursor.idx;
      if (idx !== null && idx !== undefined) pick.current?.(idx);
    };
    u.over.addEventListener('click', click);
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(200, el.clientWidth), height: props.height ?? 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = undefined;
    };
    // Recreated when the series change shape; data changes go through setData below.
  }, [shape, props.height]);

  useEffect(() => {
    plot.current?.setData([props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData);
  }, [props.x, props.series]);

  return <div class="chart" ref={host} data-testid={props.testid} data-points={props.x.length} />;
}
