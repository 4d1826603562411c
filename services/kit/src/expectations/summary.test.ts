import { describe, expect, it } from 'vitest';
import { profileDataset } from '../profile/index.ts';
import { ExpectationInputError } from './expectation.ts';
import { summarizeRows, summaryFromProfile, toProfileRow } from './summary.ts';

describe('summarizeRows', () => {
  it('counts a column missing from a row as a null there, and keeps the values for exact shares', () => {
    const s = summarizeRows([{ numericFeatures: { x: 3, y: 1 } }, { numericFeatures: { x: 1 } }, { numericFeatures: { x: null }, categoricalFeatures: { c: 'a' } }]);
    expect(s.rowCount).toBe(3);
    expect(s.columns.x).toMatchObject({ type: 'numeric', count: 2, nulls: 1, distinct: 2, numeric: { min: 1, max: 3, mean: 2, std: 1 } });
    expect([...s.columns.x!.numeric!.sorted!]).toEqual([1, 3]);
    expect(s.columns.y).toMatchObject({ count: 1, nulls: 2 });
    expect(s.columns.c).toMatchObject({ type: 'categorical', count: 1, nulls: 2, categorical: { counts: { a: 1 }, otherCount: 0 }, distinct: 1 });
  });

  it('summarizes no rows as an empty summary', () => {
    expect(summarizeRows([])).toEqual({ source: 'rows', rowCount: 0, columns: {} });
  });

  it('keeps an all-null column, with its place as its type', () => {
    const s = summarizeRows([{ categoricalFeatures: { c: null } }, { categoricalFeatures: { c: null } }]);
    expect(s.columns.c).toEqual({ name: 'c', type: 'categorical', count: 0, nulls: 2, numeric: null, categorical: null, distinct: 0 });
  });

  it('marks a column sent both as a number and as a category as mixed', () => {
    expect(summarizeRows([{ numericFeatures: { x: 1 } }, { categoricalFeatures: { x: 'one' } }]).columns.x).toMatchObject({ type: 'mixed', count: 2, distinct: 2 });
  });

  it('refuses NaN and Infinity at the edge, saying where and what to send instead', () => {
    expect(() => summarizeRows([{ numericFeatures: { x: 1 } }, { numericFeatures: { x: Number.NaN } }])).toThrow(ExpectationInputError);
    expect(() => summarizeRows([{ numericFeatures: { x: 1 } }, { numericFeatures: { x: Number.NaN } }])).toThrow('row 1, column x: NaN is not a value; send null for a missing value');
    expect(() => summarizeRows([{ numericFeatures: { x: Infinity } }])).toThrow(/Infinity is not a value/);
    expect(() => summarizeRows([{ numericFeatures: { x: '3' as unknown as number } }])).toThrow(/numeric feature holds string/);
  });

  it('reads flat records through toProfileRow', () => {
    expect(toProfileRow({ age: 3, city: 'Oslo', member: true, gone: null })).toEqual({ numericFeatures: { age: 3, gone: null }, categoricalFeatures: { city: 'Oslo', member: 'true' } });
  });
});

describe('summaryFromProfile', () => {
  const rows = Array.from({ length: 10 }, (_, i) => ({ numericFeatures: { x: i + 1 }, categoricalFeatures: { c: i < 6 ? 'a' : i < 9 ? 'b' : 'z' } }));

  it('keeps what a profile knows: range, moments, bins, top-k categories, declared types', () => {
    const { features, profile } = profileDataset(rows, { bins: 2, topK: 2 });
    const s = summaryFromProfile({ features, profile }, 10);
    expect(s).toMatchObject({ source: 'profile', rowCount: 10 });
    expect(s.columns.x).toMatchObject({ type: 'numeric', count: 10, nulls: 0, distinct: null, numeric: { min: 1, max: 10, mean: 5.5, binEdges: [1, 5.5, 10], binCounts: [5, 5] } });
    expect(s.columns.x!.numeric!.sorted).toBeUndefined();
    expect(s.columns.c).toMatchObject({ type: 'categorical', count: 10, categorical: { counts: { a: 6, b: 3 }, otherCount: 1 }, distinct: null });
  });

  it('counts rows the profile does not account for as missing', () => {
    const { profile } = profileDataset(rows);
    expect(summaryFromProfile({ profile }, 12).columns.x).toMatchObject({ count: 10, nulls: 2 });
  });

  it('lists a declared feature without a profile entry with unknown counts', () => {
    expect(summaryFromProfile({ features: [{ name: 'when', type: 'DATETIME' }], profile: [] }, 5).columns.when).toEqual({ name: 'when', type: 'datetime', count: null, nulls: null, numeric: null, categorical: null, distinct: null });
  });

  it('refuses a profile holding NaN, and a negative row count', () => {
    const { profile } = profileDataset(rows);
    const broken = profile.map((p) => (p.numeric ? { ...p, numeric: { ...p.numeric, mean: Number.NaN } } : p));
    expect(() => summaryFromProfile({ profile: broken }, 10)).toThrow('profile of x: numeric.mean is NaN; a profile holds finite numbers only');
    expect(() => summaryFromProfile({ profile }, -1)).toThrow(ExpectationInputError);
  });
});
