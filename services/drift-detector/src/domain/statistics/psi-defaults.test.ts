import { describe, expect, it } from 'vitest';
import { DRIFT_DEFAULTS, featureDrift, quantileBinEdges } from './index.ts';
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
