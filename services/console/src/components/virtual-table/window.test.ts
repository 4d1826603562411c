import { describe, expect, it } from 'vitest';
import { rowWindow } from './window.ts';

describe('virtual table windowing', () => {
  it('renders the visible rows plus overscan at the top', () => {
    expect(rowWindow(0, 300, 30, 10_000, 5)).toEqual({ start: 0, end: 16, offsetTop: 0, totalHeight: 300_000 });
  });

  it('follows the scroll position in the middle', () => {
    const w = rowWindow(30_015, 300, 30, 10_000, 5);
    expect(w.start).toBe(995);
    expect(w.end).toBe(1016);
    expect(w.offsetTop).toBe(995 * 30);
  });

  it('clamps at the end and beyond it (elastic scrolling, a shrunk table)', () => {
    const w = rowWindow(10_000_000, 300, 30, 10_000, 5);
    expect(w.end).toBe(10_000);
    expect(w.start).toBe(10_000 - 10 - 5);
    expect(rowWindow(-50, 300, 30, 100, 0).start).toBe(0);
  });

  it('renders a small table whole and an empty one not at all', () => {
    expect(rowWindow(0, 600, 30, 4)).toEqual({ start: 0, end: 4, offsetTop: 0, totalHeight: 120 });
    expect(rowWindow(0, 600, 30, 0)).toEqual({ start: 0, end: 0, offsetTop: 0, totalHeight: 0 });
  });

  it('never renders more than a screen and the overscan, whatever the size', () => {
    for (const top of [0, 12_345, 299_700]) {
      const w = rowWindow(top, 600, 24, 10_000, 8);
      expect(w.end - w.start).toBeLessThanOrEqual(Math.ceil(600 / 24) + 1 + 16);
    }
  });
});
