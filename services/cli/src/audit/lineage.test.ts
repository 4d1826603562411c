import { describe, expect, it } from 'vitest';
import { profileSummary } from './lineage.ts';

describe('profile summaries in lineage reports', () => {
  it('summarizes a numeric feature by mean ± std and range', () => {
    expect(profileSummary({ name: 'age', count: 10, nulls: 2, numeric: { min: 18, max: 90.123456, mean: 41.23456, std: 12.5, binEdges: [18, 90.123456], binCounts: [10] }, categorical: null })).toBe('mean 41.23 ± 12.5 [18, 90.12], 2 null');
  });

  it('summarizes a categorical feature by its top categories and the rest', () => {
    const f = { name: 'plan', count: 100, nulls: 0, numeric: null, categorical: { counts: { basic: 50, pro: 25, team: 10, edu: 5 }, topK: 4, otherCount: 10 } };
    expect(profileSummary(f)).toBe('basic 50%, pro 25%, team 10% (+1 more), other 10%');
  });
});
