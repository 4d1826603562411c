import { describe, expect, it } from 'vitest';
import { isoTime } from './headers.ts';

describe('isoTime', () => {
  it('is Date#toISOString for every millisecond, across seconds, before 1970, beyond year 9999 and between milliseconds', () => {
    const times = [0, 1, 999, 1000, 1_764_201_600_000, 1_764_201_600_007, 1_764_201_600_099, 1_764_201_600_999, 1_764_201_601_000, -1, -999, -1000, -1001, 253_402_300_800_000, 8.64e15, 1.5, 1_764_201_600_000.25, -0.5];
    for (const t of times) expect(isoTime(t)).toBe(new Date(t).toISOString());
    for (let t = 1_764_201_599_990; t < 1_764_201_600_020; t++) expect(isoTime(t)).toBe(new Date(t).toISOString());
  });
});
