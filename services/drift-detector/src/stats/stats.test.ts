import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { aligned, chiSquareTest, gammaQ, jensenShannon, kolmogorovSf, ksTest, psi, wassersteinNormed } from './index.ts';

// Expected values computed by scipy (test/fixtures/drift-stats/make_fixtures.py) on the same inputs.
const ref = JSON.parse(fs.readFileSync(new URL('../../../../test/fixtures/drift-stats/reference.json', import.meta.url), 'utf8'));
const close = (actual: number, expected: number, relative = 1e-9) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1e-300, Math.abs(expected)) + 1e-15);

describe('statistics against scipy', () => {
  it.each(ref.ks as Array<{ name: string; a: number[]; b: number[]; statistic: number; stephensPValue: number; scipyPValue: number }>)('KS $name: statistic exact, p-value = Stephens-corrected Kolmogorov', (c) => {
    const { statistic, pValue } = ksTest(c.a, c.b);
    close(statistic, c.statistic);
    close(pValue, c.stephensPValue, 1e-9);
    // scipy's default is exact (or its own asymptotic form) — ours is an approximation of it; record how far.
    expect(Math.abs(pValue - c.scipyPValue)).toBeLessThan(0.03);
  });

  it.each(ref.chisquare as Array<{ name: string; reference: Record<string, number>; current: Record<string, number>; statistic: number; pValue: number }>)('chi-square $name', (c) => {
    const { statistic, pValue } = chiSquareTest(c.reference, c.current);
    close(statistic, c.statistic);
    close(pValue, c.pValue, 1e-8);
  });

  it.each(ref.jensenshannon as Array<{ name: string; p: number[]; q: number[]; distance: number }>)('Jensen–Shannon distance (base 2) $name', (c) => {
    close(jensenShannon(c.p, c.q), c.distance);
  });

  it.each(ref.wasserstein as Array<{ name: string; reference: number[]; current: number[]; normed: number }>)('Wasserstein-1 normed by reference std $name', (c) => {
    close(wassersteinNormed(c.reference, c.current), c.normed, 1e-9);
  });

  it('Kolmogorov survival function', () => {
    for (const c of ref.kolmogorov as Array<{ lambda: number; sf: number }>) close(kolmogorovSf(c.lambda), c.sf, 1e-9);
  });

  it('regularized upper incomplete gamma', () => {
    for (const c of ref.gammaq as Array<{ a: number; x: number; q: number }>) close(gammaQ(c.a, c.x), c.q, 1e-9);
  });

  it('PSI with 0.0001 for empty bins', () => {
    for (const c of ref.psi as Array<{ reference: number[]; current: number[]; psi: number }>) close(psi(c.reference, c.current), c.psi);
  });

  it('treats a single shared category as no drift (no degree of freedom), never NaN', () => {
    expect(chiSquareTest({ yes: 900 }, { yes: 100 })).toEqual({ statistic: 0, pValue: 1 });
  });

  it('aligns category counts over the union, sorted', () => {
    expect(aligned({ b: 2, a: 1 }, { c: 3, a: 4 })).toEqual([
      [1, 2, 0],
      [4, 0, 3],
    ]);
  });
});
