import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { alignCategories, chiSquareHomogeneity, gammaQ, jensenShannon, wassersteinNormed } from './index.ts';

// The detector's window tests against scipy on the fixtures of test/fixtures/drift-stats/make_fixtures.py.
const ref = JSON.parse(fs.readFileSync(new URL('../../../../../test/fixtures/drift-stats/reference.json', import.meta.url), 'utf8'));
const close = (actual: number, expected: number, relative = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1e-300, Math.abs(expected)) + 1e-15);

describe('window tests against scipy', () => {
  it.each(ref.chisquare as Array<{ name: string; reference: Record<string, number>; current: Record<string, number>; statistic: number; pValue: number }>)('chi-square test of homogeneity $name (chi2_contingency, no correction)', (c) => {
    const { statistic, pValue } = chiSquareHomogeneity(c.reference, c.current);
    close(statistic, c.statistic);
    close(pValue, c.pValue, 1e-8);
  });

  it.each(ref.jensenshannon as Array<{ name: string; p: number[]; q: number[]; distance: number }>)('Jensen–Shannon distance (base 2) $name', (c) => {
    close(jensenShannon(c.p, c.q), c.distance);
  });

  it.each(ref.wasserstein as Array<{ name: string; reference: number[]; current: number[]; normed: number }>)('Wasserstein-1 normed by reference std $name', (c) => {
    close(wassersteinNormed(c.reference, c.current), c.normed, 1e-9);
  });

  it('regularized upper incomplete gamma', () => {
    for (const c of ref.gammaq as Array<{ a: number; x: number; q: number }>) close(gammaQ(c.a, c.x), c.q, 1e-9);
  });

  it('treats a single shared category as no drift (no degree of freedom), never NaN', () => {
    expect(chiSquareHomogeneity({ yes: 900 }, { yes: 100 })).toEqual({ statistic: 0, pValue: 1 });
  });

  it('aligns category counts over the union, sorted', () => {
    expect(alignCategories({ b: 2, a: 1 }, { c: 3, a: 4 })).toEqual({ categories: ['a', 'b', 'c'], reference: [1, 2, 0], current: [4, 0, 3] });
  });
});
