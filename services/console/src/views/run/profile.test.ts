import { describe, expect, it } from 'vitest';
import { profileSummary } from './profile.ts';

describe('dataset profile summary', () => {
  it('names columns with their mean and range, categories and nulls', () => {
    const profile = [
      { name: 'age', count: 10, nulls: 0, numeric: { min: 18, max: 90, mean: 41.23456789 }, categorical: null },
      { name: 'plan', count: 10, nulls: 2, numeric: null, categorical: { counts: { a: 1, b: 2, c: 3 } } },
    ];
    expect(profileSummary(profile)).toBe('2 columns: age mean 41.2346 [18, 90]; plan 3 categories 2 nulls');
  });
  it('says when there is nothing', () => {
    expect(profileSummary(null)).toBe('no profile');
    expect(profileSummary([])).toBe('no columns profiled');
    expect(profileSummary(Array.from({ length: 6 }, (_, i) => ({ name: `f${i}` })))).toBe('6 columns: f0; f1; f2; f3; …');
  });
});
