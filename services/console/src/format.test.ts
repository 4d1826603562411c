import { describe, expect, it } from 'vitest';
import { compareValues, formatDuration, formatNumber, formatTime, sortBy } from './format.ts';

describe('console formatting', () => {
  it('writes numbers short and exact for integers', () => {
    expect([0.912345678, 3, 1e-7, 123456789.5, NaN, Infinity, null].map(formatNumber)).toEqual(['0.912346', '3', '1e-7', '123457000', 'NaN', '∞', '']);
  });
  it('writes times in UTC and durations', () => {
    expect(formatTime(1_764_201_600_000)).toBe('2025-11-27 00:00:00');
    expect(formatDuration(0, 5_100)).toBe('5.1s');
    expect(formatDuration(0, 185_000)).toBe('3m 5s');
    expect(formatDuration(0, null)).toBe('');
  });
  it('sorts numbers numerically, numeric params as numbers, missing last both ways', () => {
    expect(compareValues('10', '9')).toBeGreaterThan(0);
    expect(compareValues('abc', 1)).toBeGreaterThan(0);
    const rows = [{ v: 2 }, { v: undefined }, { v: 10 }, { v: 1 }];
    expect(sortBy(rows, (r) => r.v, false).map((r) => r.v)).toEqual([1, 2, 10, undefined]);
    expect(sortBy(rows, (r) => r.v, true).map((r) => r.v)).toEqual([10, 2, 1, undefined]);
  });
});
