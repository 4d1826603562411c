import { describe, expect, it } from 'vitest';
import { barPairs, barRects, shares } from './bars.ts';

describe('histogram bars', () => {
  it('turns counts into shares', () => {
    expect(shares([1, 3])).toEqual([0.25, 0.75]);
    expect(shares([0, 0])).toEqual([0, 0]);
  });

  it('pairs reference and current per bin, the last bin closed', () => {
    expect(barPairs({ kind: 'numeric', edges: [0, 10, 20], reference: [3, 1], current: [1, 1] })).toEqual([
      { label: '[0, 10)', reference: 0.75, current: 0.5 },
      { label: '[10, 20]', reference: 0.25, current: 0.5 },
    ]);
    expect(barPairs({ kind: 'categorical', categories: ['a', 'b'], reference: null, current: [2, 2] })).toEqual([
      { label: 'a', reference: null, current: 0.5 },
      { label: 'b', reference: null, current: 0.5 },
    ]);
  });

  it('lays bars out side by side, the tallest reaching the top', () => {
    const r = barRects([{ label: 'a', reference: 0.5, current: 0.25 }, { label: 'b', reference: 0.5, current: 0.75 }], 100, 60);
    expect(r).toHaveLength(4);
    const tallest = r.find((x) => x.series === 'current' && x.index === 1)!;
    expect(tallest).toMatchObject({ y: 0, height: 60 });
    expect(r.find((x) => x.series === 'reference' && x.index === 0)).toMatchObject({ x: 5, width: 20, height: 40 });
    expect(barRects([], 10, 10)).toEqual([]);
  });
});
