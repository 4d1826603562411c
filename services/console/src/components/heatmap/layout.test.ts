import { describe, expect, it } from 'vitest';
import { cellAt, cellColour, heatmapLayout, rowRanges, scale } from './layout.ts';

describe('heatmap layout', () => {
  it('fills the width with columns and maps points back to cells', () => {
    const l = heatmapLayout({ width: 1120, columns: 200, rows: 50, left: 120, top: 20, rowHeight: 10 });
    expect(l).toMatchObject({ cellWidth: 5, cellHeight: 10, width: 1120, height: 520 });
    expect(cellAt(l, 120, 20)).toEqual({ column: 0, row: 0 });
    expect(cellAt(l, 1119, 519)).toEqual({ column: 199, row: 49 });
    expect(cellAt(l, 119, 30)).toBeUndefined();
    expect(cellAt(l, 1120, 30)).toBeUndefined();
    expect(cellAt(l, 500, 520)).toBeUndefined();
  });

  it('keeps cells at least 1 px wide and rows 4 px high', () => {
    expect(heatmapLayout({ width: 200, columns: 1000, rows: 1, left: 100, rowHeight: 1 })).toMatchObject({ cellWidth: 1, cellHeight: 4, width: 1100 });
  });

  it('scales each feature on its own range, ignoring unmeasured cells', () => {
    const v = Float64Array.from([0.1, 0.3, NaN, 5, 5, 5, NaN, NaN, NaN]);
    expect(rowRanges(v, 3, 3)).toEqual([{ min: 0.1, max: 0.3 }, { min: 5, max: 5 }, { min: 0, max: 0 }]);
    expect(scale(0.2, 0.1, 0.3)).toBeCloseTo(0.5);
    expect(scale(5, 5, 5)).toBe(0.5);
    expect(scale(9, 0, 1)).toBe(1);
  });

  it('colours verdicts apart: reds drifted, blues not, grey unmeasured', () => {
    expect(cellColour(255, 1)).toBe('rgb(238, 238, 238)');
    expect(cellColour(1, 1)).toBe('rgb(200, 30, 40)');
    expect(cellColour(0, 1)).toBe('rgb(40, 100, 200)');
    expect(cellColour(0, 0)).not.toBe(cellColour(0, 1));
  });
});
