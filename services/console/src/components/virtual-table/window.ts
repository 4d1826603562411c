// Windowing math of the virtual table: which rows to render for a scroll
// position, with fixed row height. Pure, so it is tested in node.

export interface RowWindow {
  /** First row index rendered (inclusive). */
  start: number;
  /** Row index after the last rendered (exclusive). */
  end: number;
  /** Pixels of empty space above the first rendered row. */
  offsetTop: number;
  /** Height of the whole scrolled content. */
  totalHeight: number;
}

export function rowWindow(scrollTop: number, viewportHeight: number, rowHeight: number, total: number, overscan = 8): RowWindow {
  const totalHeight = total * rowHeight;
  if (total <= 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight: Math.max(0, totalHeight) };
  const maxTop = Math.max(0, totalHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxTop);
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + visible + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}
