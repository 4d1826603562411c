import { describe, expect, it } from 'vitest';
import { DRIFT_DEFAULTS, alignCategories, featureDrift, fillEmptyBins, histogram, jensenShannon, proportions, psi, quantileBinEdges } from './index.ts';
import { expectClose, reference } from './scipy-reference.fixture.ts';

// Evidently bins a numeric feature into 10 reference quantiles for PSI (and
// Jensen–Shannon); a different default silently changes every PSI verdict.
describe('PSI on numeric features: 10 reference-quantile bins by default', () => {
  const tenBins = reference.binning.filter((c) => c.bins === 10);

  it('has cases to check', () => {
    expect(tenBins.length).toBeGreaterThan(1);
    expect(reference.binning.some((c) => c.bins !== 10)).toBe(true);
  });

  it.each(tenBins)('$name: quantileBinEdges without a count gives numpy’s 10-bin edges', (c) => {
    expect(quantileBinEdges(c.reference)).toEqual(c.edges);
  });

  it.each(tenBins)('$name: featureDrift(psi) without numericBins matches numpy’s 10-bin PSI', (c) => {
    const result = featureDrift({ kind: 'numeric', reference: c.reference, current: c.current }, { test: 'psi' });
    expectClose(result.statistic, c.psiClamp);
  });

  it('numericBins overrides the count', () => {
    const twenty = reference.binning.find((c) => c.bins === 20)!;
    expectClose(featureDrift({ kind: 'numeric', reference: twenty.reference, current: twenty.current }, { test: 'psi', numericBins: 20 }).statistic, twenty.psiClamp);
    expect(featureDrift({ kind: 'numeric', reference: twenty.reference, current: twenty.current }, { test: 'psi' }).statistic).not.toBeCloseTo(twenty.psiClamp, 6);
  });

  it('says so in the defaults', () => {
    expect(DRIFT_DEFAULTS.numericBins).toBe(10);
  });
});

describe('PSI inputs and verdict boundaries', () => {
  it('refuses misaligned bins and a side with no mass', () => {
    expect(() => psi([0.5, 0.5], [1])).toThrow('PSI needs aligned bins, got 2 and 1');
    expect(() => psi([0, 0], [0.5, 0.5])).toThrow('PSI needs at least one non-empty bin on each side');
    expect(() => proportions([0, 0])).toThrow('proportions need a positive total, got 0');
  });

  it('fills an empty bin with smallest / 10^6 when the smallest bin is exactly 0.0001', () => {
    expect(fillEmptyBins([0.0001, 0, 0.9999])).toEqual([0.0001, 0.0001 / 10 ** 6, 0.9999]);
    expect(fillEmptyBins([0.0002, 0, 0.9998])).toEqual([0.0002, 0.0001, 0.9998]);
  });

  it('refuses bad bin counts and bad histogram edges', () => {
    for (const bins of [0, 1.5]) expect(() => quantileBinEdges([1, 2, 3], bins)).toThrow('bins must be a positive integer');
    expect(quantileBinEdges([1, 2, 3], 1)).toEqual([1, 3]);
    expect(() => histogram([1], [0])).toThrow('a histogram needs at least two edges');
    expect(() => histogram([1], [0, 2, 1])).toThrow('histogram edges must be non-decreasing');
    expect(() => histogram([Number.NaN], [0, 1])).toThrow('histogram values must not be NaN');
    expect(histogram([-5, 0.5, 5], [0, 1])).toEqual([1]);
    expect(histogram([-5, 0.5, 5], [0, 1], { outside: 'clamp' })).toEqual([3]);
  });

  it('a distance equal to the threshold drifts; a p-value equal to it does not', () => {
    const sample = { kind: 'numeric' as const, reference: reference.binning[0]!.reference, current: reference.binning[0]!.current };
    const { statistic } = featureDrift(sample, { test: 'psi' });
    expect(featureDrift(sample, { test: 'psi', threshold: statistic }).drifted).toBe(true);
    expect(featureDrift(sample, { test: 'psi', threshold: statistic * (1 + 1e-12) }).drifted).toBe(false);
    const ks = featureDrift({ ...sample, reference: sample.reference.slice(0, 200), current: sample.current.slice(0, 200) });
    expect(featureDrift({ ...sample, reference: sample.reference.slice(0, 200), current: sample.current.slice(0, 200) }, { threshold: ks.pValue! }).drifted).toBe(false);
  });

  it('computes the statistic the test names: PSI or Jensen–Shannon, numeric or categorical', () => {
    const ref = { a: 50, b: 30, c: 20 };
    const cur = { a: 20, b: 30, c: 50 };
    const aligned = alignCategories(ref, cur);
    expect(featureDrift({ kind: 'categorical', reference: ref, current: cur }, { test: 'psi' }).statistic).toBe(psi(proportions(aligned.reference), proportions(aligned.current)));
    expect(featureDrift({ kind: 'categorical', reference: ref, current: cur }, { test: 'jensenshannon' }).statistic).toBe(jensenShannon(aligned.reference, aligned.current));
    const c = reference.binning[0]!;
    const edges = quantileBinEdges(c.reference);
    const refP = proportions(histogram(c.reference, edges));
    const curP = proportions(histogram(c.current, edges, { outside: 'clamp' }));
    expect(featureDrift({ kind: 'numeric', reference: c.reference, current: c.current }, { test: 'jensenshannon' }).statistic).toBe(jensenShannon(refP, curP));
    expect(featureDrift({ kind: 'numeric', reference: c.reference, current: c.current }, { test: 'psi' }).statistic).toBe(psi(refP, curP));
  });
});
