// Pure heatmap geometry and colours: the canvas component draws what these
// compute, and maps a pointer position back to its cell.

export interface HeatmapLayout {
  /** Left margin for feature labels, top margin for the axis. */
  left: number;
  top: number;
  cellWidth: number;
  cellHeight: number;
  columns: number;
  rows: number;
  width: number;
  height: number;
}

/** Cells filling `width` (at least 1 px wide) and rows of `rowHeight` (at least 4 px). */
export function heatmapLayout(options: { width: number; columns: number; rows: number; rowHeight?: number; left?: number; top?: number }): HeatmapLayout {
  const left = options.left ?? 120;
  const top = options.top ?? 18;
  const columns = Math.max(0, options.columns);
  const rows = Math.max(0, options.rows);
  const cellWidth = columns ? Math.max(1, (options.width - left) / columns) : 0;
  const cellHeight = Math.max(4, options.rowHeight ?? 14);
  return { left, top, cellWidth, cellHeight, columns, rows, width: left + cellWidth * columns, height: top + cellHeight * rows };
}

/** The cell under a point (canvas CSS pixels), or undefined outside the grid. */
export function cellAt(layout: HeatmapLayout, x: number, y: number): { column: number; row: number } | undefined {
  if (x < layout.left || y < layout.top) return undefined;
  const column = Math.floor((x - layout.left) / layout.cellWidth);
  const row = Math.floor((y - layout.top) / layout.cellHeight);
  if (column >= layout.columns || row >= layout.rows) return undefined;
  return { column, row };
}

/** Per row (feature), min and max of its finite statistics: each feature is coloured on its own scale, since tests differ in range. */
export function rowRanges(values: Float64Array, rows: number, columns: number): Array<{ min: number; max: number }> {
  const out: Array<{ min: number; max: number }> = [];
  for (let r = 0; r < rows; r++) {
    let min = Infinity;
    let max = -Infinity;
    for (let c = 0; c < columns; c++) {
      const v = values[r * columns + c]!;
      if (Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
    out.push(Number.isFinite(min) ? { min, max } : { min: 0, max: 0 });
  }
  return out;
}

/** 0..1 position of `v` in [min, max] (0.5 when the range is empty). */
export const scale = (v: number, min: number, max: number): number => (max > min ? Math.min(1, Math.max(0, (v - min) / (max - min))) : 0.5);

/**
 * The colour of a cell: drifted cells in reds, the others in blues, the
 * intensity from the statistic's position on its feature's scale; not measured
 * in light grey. `rgb(r, g, b)` text for canvas fillStyle.
 */
export function cellColour(drifted: number, t: number): string {
  if (drifted === 255) return 'rgb(238, 238, 238)';
  const k = 0.25 + 0.75 * Math.min(1, Math.max(0, t));
  const mix = (from: number, to: number) => Math.round(from + (to - from) * k);
  return drifted === 1 ? `rgb(${mix(255, 200)}, ${mix(220, 30)}, ${mix(220, 40)})` : `rgb(${mix(225, 40)}, ${mix(235, 100)}, ${mix(250, 200)})`;
}
