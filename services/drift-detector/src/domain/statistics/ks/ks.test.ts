import { describe, expect, it } from 'vitest';
import { kolmogorovSf, ksFromHistograms, ksStatistic, ksTwoSample, StatisticsInputError } from '../index.ts';
import { expectClose, reference, sampleOf } from '../scipy-reference.fixture.ts';

describe('two-sample Kolmogorov–Smirnov, against scipy.stats.ks_2samp(method="auto")', () => {
  it.each(reference.ks)('$name: same statistic, p-value and method', (c) => {
    const result = ksTwoSample(sampleOf(c.a), sampleOf(c.b));
    expect(result.method).toBe(c.method);
    expectClose(result.statistic, c.statistic);
    expectClose(result.pValue, c.pValue);
  });

  it('covers the exact and each asymptotic branch scipy takes', () => {
    const branches = new Set(reference.ks.map((c) => c.branch ?? c.method));
    expect([...branches].sort()).toEqual(['durbin-matrix', 'exact', 'pelz-good', 'pomeranz', 'smirnov']);
  });

  it('is symmetric in its samples', () => {
    const [a, b] = [sampleOf('ref20000').slice(0, 300), sampleOf('shift12000').slice(0, 450)];
    expect(ksTwoSample(a, b)).toEqual(ksTwoSample(b, a));
  });

  it('rejects empty samples and NaN', () => {
    expect(() => ksTwoSample([], [1])).toThrow(StatisticsInputError);
    expect(() => ksStatistic([1, Number.NaN], [1])).toThrow(/finite/);
  });
});

describe('Kolmogorov distribution kstwo.sf(d, n), against scipy', () => {
  it.each(reference.kstwo)('n=$n d=$d ($branch)', (c) => {
    expectClose(kolmogorovSf(c.d, c.n), c.sf);
  });
});

describe('KS from histograms (bounded-state approximation)', () => {
  it.each(reference.ksHistogram)('$name: statistic from cumulative bin counts, asymptotic p-value as scipy', (c) => {
    const result = ksFromHistograms(c.edges, c.countsRef, c.countsCur);
    expect(result.method).toBe('asymptotic');
    expectClose(result.statistic, c.statistic);
    expectClose(result.pValue, c.pValue);
  });

  it('never exceeds the statistic on the raw values it summarises', () => {
    const c = reference.ksHistogram[0]!;
    const raw = ksTwoSample(sampleOf('ref20000'), sampleOf('shift12000'));
    expect(ksFromHistograms(c.edges, c.countsRef, c.countsCur).statistic).toBeLessThanOrEqual(raw.statistic);
  });

  it('says how to fix mismatched bins', () => {
    expect(() => ksFromHistograms([0, 1], [1, 2], [1, 2])).toThrow(/edges.length = counts.length \+ 1/);
  });
});
