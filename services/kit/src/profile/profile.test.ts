import { describe, expect, it } from 'vitest';
import { histogram, quantileBinEdges } from './bins.ts';
import { profileDataset } from './profile.ts';

describe('profileDataset', () => {
  const rows = Array.from({ length: 10 }, (_, i) => ({ numericFeatures: { x: i + 1 }, categoricalFeatures: { c: i < 6 ? 'a' : i < 9 ? 'b' : 'z' } }));

  it('profiles a numeric feature by min/max/mean/std (ddof=0) and counts over its own quantile bins', () => {
    const { features, profile } = profileDataset(rows, { bins: 2 });
    expect(features).toEqual([
      { name: 'x', type: 'NUMERIC' },
      { name: 'c', type: 'CATEGORICAL' },
    ]);
    const x = profile.find((f) => f.name === 'x')!;
    expect(x).toMatchObject({ count: 10, nulls: 0, categorical: null, numeric: { min: 1, max: 10, mean: 5.5, binEdges: [1, 5.5, 10], binCounts: [5, 5] } });
    expect(x.numeric!.std).toBeCloseTo(Math.sqrt(8.25), 12);
  });

  it('lists the top-k categories and sums the rest, and counts nulls apart', () => {
    const withNulls = [...rows, { numericFeatures: { x: null }, categoricalFeatures: { c: null } }, { numericFeatures: { x: Number.NaN } }];
    const { profile } = profileDataset(withNulls, { topK: 2 });
    expect(profile.find((f) => f.name === 'c')).toEqual({ name: 'c', count: 10, nulls: 1, numeric: null, categorical: { counts: { a: 6, b: 3 }, topK: 2, otherCount: 1 } });
    expect(profile.find((f) => f.name === 'x')).toMatchObject({ count: 10, nulls: 2 });
  });

  it('profiles a feature with no values as count 0', () => {
    expect(profileDataset([{ numericFeatures: { x: null } }]).profile).toEqual([{ name: 'x', count: 0, nulls: 1, numeric: null, categorical: null }]);
  });
});

describe('quantile bins (numpy conventions; checked against numpy in the drift detector statistics tests)', () => {
  it('puts edges at the quantiles and closes only the last bin', () => {
    expect(quantileBinEdges([1, 2, 3, 4, 5], 4)).toEqual([1, 2, 3, 4, 5]);
    expect(histogram([1, 2, 2, 5, 6], [1, 2, 5])).toEqual([1, 3]);
    expect(histogram([0, 6], [1, 2, 5], { outside: 'clamp' })).toEqual([1, 1]);
  });

  it('refuses inputs no bins are defined on', () => {
    expect(() => quantileBinEdges([])).toThrow(RangeError);
    expect(() => quantileBinEdges([1, Number.NaN])).toThrow(/finite/);
    expect(() => quantileBinEdges([1, 2], 0)).toThrow(/positive integer/);
    expect(() => histogram([1], [1])).toThrow(/two edges/);
    expect(() => histogram([Number.NaN], [0, 1])).toThrow(/NaN/);
  });
});
