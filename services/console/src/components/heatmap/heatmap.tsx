// The drift heatmap: windows (columns) × features (rows) on one <canvas>,
// drawn by our code so 200 × 50 cells render in a few milliseconds.
import { useEffect, useRef, useState } from 'preact/hooks';
import { cellAt, cellColour, heatmapLayout, rowRanges, scale, type HeatmapLayout } from './layout.ts';

export interface HeatmapProps {
  columns: number;
  rows: string[];
  /** values[row * columns + column]; NaN = not measured. */
  values: Float64Array;
  /** 1 drifted, 0 not, 255 not measured (same layout). */
  flags: Uint8Array;
  selected?: { column: number; row: number };
  onCell?: (cell: { column: number; row: number }) => void;
  describe?: (cell: { column: number; row: number }) => string;
  columnLabel?: (column: number) => string;
  testid?: string;
}

export function Heatmap(props: HeatmapProps) {
  const host = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(0);
  const [hover, setHover] = useState<{ x: number; y: number; text: string } | undefined>(undefined);
  const [drawMs, setDrawMs] = useState<number | undefined>(undefined);
  const layout = useRef<HeatmapLayout | undefined>(undefined);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    setWidth(el.clientWidth);
    const ro = new ResizeObserver(() => setWidth(el.clientWidth));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvas.current;
    if (!c || width <= 0) return;
    const started = performance.now();
    const rows = props.rows.length;
    const l = heatmapLayout({ width, columns: props.columns, rows, rowHeight: rows > 40 ? 12 : 16 });
    layout.current = l;
    const dpr = window.devicePixelRatio || 1;
    c.width = Math.ceil(l.width * dpr);
    c.height = Math.ceil(l.height * dpr);
    c.style.width = `${l.width}px`;
    c.style.height = `${l.height}px`;
    const g = c.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, l.width, l.height);
    const ranges = rowRanges(props.values, rows, props.columns);
    const gap = l.cellWidth >= 4 ? 1 : 0;
    for (let r = 0; r < rows; r++) {
      const { min, max } = ranges[r]!;
      const y = l.top + r * l.cellHeight;
      for (let col = 0; col < props.columns; col++) {
        const i = r * props.columns + col;
        g.fillStyle = cellColour(props.flags[i]!, scale(props.values[i]!, min, max));
        g.fillRect(l.left + col * l.cellWidth, y, Math.max(1, l.cellWidth - gap), l.cellHeight - 1);
      }
    }
    g.fillStyle = '#374151';
    g.font = `${Math.min(12, l.cellHeight - 2)}px system-ui, sans-serif`;
    g.textBaseline = 'middle';
    g.textAlign = 'right';
    props.rows.forEach((name, r) => {
      const label = name.length > 18 ? `${name.slice(0, 17)}…` : name;
      g.fillText(label, l.left - 6, l.top + r * l.cellHeight + l.cellHeight / 2);
    });
    g.textAlign = 'center';
    g.textBaseline = 'alphabetic';
    const every = Math.max(1, Math.ceil(60 / l.cellWidth));
    for (let col = 0; col < props.columns; col += every) g.fillText(props.columnLabel ? props.columnLabel(col) : String(col), l.left + col * l.cellWidth + l.cellWidth / 2, l.top - 5);
    if (props.selected && props.selected.column < props.columns && props.selected.row < rows) {
      g.strokeStyle = '#111827';
      g.lineWidth = 2;
      g.strokeRect(l.left + props.selected.column * l.cellWidth, l.top + props.selected.row * l.cellHeight, Math.max(2, l.cellWidth), l.cellHeight);
    }
    setDrawMs(Math.round((performance.now() - started) * 10) / 10);
  }, [width, props.columns, props.rows, props.values, props.flags, props.selected?.column, props.selected?.row]);

  const at = (e: MouseEvent) => {
    const c = canvas.current;
    if (!c || !layout.current) return undefined;
    const rect = c.getBoundingClientRect();
    return { cell: cellAt(layout.current, e.clientX - rect.left, e.clientY - rect.top), x: e.clientX - rect.left, y: e.clientY - rect.top };
  };
  let drifted = 0;
  for (let i = 0; i < props.flags.length; i++) if (props.flags[i] === 1) drifted++;

  return (
    <div class="heatmap" ref={host} style={{ position: 'relative', overflowX: 'auto' }} data-testid={props.testid ?? 'drift-heatmap'} data-windows={props.columns} data-features={props.rows.length} data-drifted-cells={drifted} data-draw-ms={drawMs}>
      <canvas
        ref={canvas}
        style={{ display: 'block', cursor: 'pointer' }}
        onMouseMove={(e) => {
          const p = at(e);
          setHover(p?.cell && props.describe ? { x: p.x, y: p.y, text: props.describe(p.cell) } : undefined);
        }}
        onMouseLeave={() => setHover(undefined)}
        onClick={(e) => {
          const p = at(e);
          if (p?.cell) props.onCell?.(p.cell);
        }}
      />
      {hover && (
        <div class="heatmap-tip" style={{ position: 'absolute', left: `${hover.x + 12}px`, top: `${hover.y + 12}px`, background: '#111827', color: '#fff', padding: '4px 6px', borderRadius: '4px', fontSize: '12px', pointerEvents: 'none', whiteSpace: 'nowrap' }}>
          {hover.text}
        </div>
      )}
    </div>
  );
}
