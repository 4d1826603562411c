import { describe, expect, it } from 'vitest';
import { chooseTest, datasetDrift, featureDrift, ksTwoSample, StatisticsInputError, wassersteinNormed } from './index.ts';
import { sampleOf } from './scipy-reference.fixture.ts';

describe("Evidently's default test choice", () => {
  it('uses KS / chi-square up to 1000 reference rows and Wasserstein / Jensen–Shannon above', () => {
    expect(chooseTest('numeric', 1000)).toEqual({ test: 'ks', threshold: 0.05, comparator: 'pValue < threshold' });
    expect(chooseTest('numeric', 1001)).toEqual({ test: 'wasserstein', threshold: 0.1, comparator: 'statistic >= threshold' });
    expect(chooseTest('categorical', 1000)).toEqual({ test: 'chisquare', threshold: 0.05, comparator: 'pValue < threshold' });
    expect(chooseTest('categorical', 1001)).toEqual({ test: 'jensenshannon', threshold: 0.1, comparator: 'statistic >= threshold' });
  });

  it('accepts overrides and refuses a test that does not fit the feature kind', () => {
    expect(chooseTest('numeric', 50, { test: 'psi', threshold: 0.2 })).toEqual({ test: 'psi', threshold: 0.2, comparator: 'statistic >= threshold' });
    expect(chooseTest('numeric', 5000, { maxReferenceRowsForPValueTests: 10_000 }).test).toBe('ks');
    expect(() => chooseTest('numeric', 50, { test: 'chisquare' })).toThrow(StatisticsInputError);
  });
});

describe('feature drift', () => {
  const ref = sampleOf('ref20000');
  const shifted = sampleOf('far15000');

  it('KS on a small numeric reference: drifted when p < 0.05', () => {
    const result = featureDrift({ kind: 'numeric', reference: ref.slice(0, 800), current: shifted.slice(0, 800) });
    const ks = ksTwoSample(ref.slice(0, 800), shifted.slice(0, 800));
    expect(result).toEqual({ test: 'ks', statistic: ks.statistic, pValue: ks.pValue, threshold: 0.05, drifted: true });
  });

  it('Wasserstein normed on a large numeric reference: drifted when >= 0.1', () => {
    const result = featureDrift({ kind: 'numeric', reference: ref, current: shifted });
    expect(result).toEqual({ test: 'wasserstein', statistic: wassersteinNormed(ref, shifted), threshold: 0.1, drifted: true });
    expect(featureDrift({ kind: 'numeric', reference: ref, current: sampleOf('null20000') }).drifted).toBe(false);
  });

  it('chi-square and Jensen–Shannon on categorical counts', () => {
    const small = featureDrift({ kind: 'categorical', reference: { a: 500, b: 300, c: 200 }, current: { a: 100, b: 300, c: 600 } });
    expect(small.test).toBe('chisquare');
    expect(small.drifted).toBe(true);
    const large = featureDrift({ kind: 'categorical', reference: { a: 5000, b: 3000, c: 2000 }, current: { a: 510, b: 290, c: 200 } });
    expect(large.test).toBe('jensenshannon');
    expect(large.pValue).toBeUndefined();
    expect(large.drifted).toBe(false);
  });

  it('PSI and Jensen–Shannon on numeric features count values beyond the reference range', () => {
    const beyond = ref.slice(0, 500).map((v) => v + 100);
    expect(featureDrift({ kind: 'numeric', reference: ref.slice(0, 500), current: beyond }, { test: 'psi' }).drifted).toBe(true);
    expect(featureDrift({ kind: 'numeric', reference: ref.slice(0, 500), current: beyond }, { test: 'jensenshannon' }).statistic).toBeGreaterThan(0.8);
  });
});

describe('dataset drift', () => {
  it('drifts when at least half of the features drift', () => {
    expect(datasetDrift([{ drifted: true }, { drifted: false }])).toEqual({ drifted: true, driftedCount: 1, total: 2, share: 0.5 });
    expect(datasetDrift([{ drifted: true }, { drifted: false }, { drifted: false }]).drifted).toBe(false);
    expect(datasetDrift([]).drifted).toBe(false);
  });
});
