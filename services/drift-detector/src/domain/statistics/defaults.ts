import { alignCategories, histogram, proportions, quantileBinEdges } from './binning.ts';
import { chiSquare } from './chi-square.ts';
import { StatisticsInputError } from './errors.ts';
import { jensenShannon } from './jensen-shannon.ts';
import { ksTwoSample } from './ks/index.ts';
import { psi } from './psi.ts';
import { wassersteinNormed } from './wasserstein.ts';

export type FeatureKind = 'numeric' | 'categorical';
export type DriftTest = 'ks' | 'wasserstein' | 'chisquare' | 'jensenshannon' | 'psi';

/**
 * Evidently's defaults (DataDriftPreset). Comparators, as Evidently's stattests:
 * a p-value test drifts when pValue < threshold; a distance drifts when
 * statistic >= threshold; the dataset drifts when driftedShare >= 0.5.
 */
export const DRIFT_DEFAULTS = {
  /** KS / chi-square up to this many reference rows, Wasserstein / Jensen–Shannon above. */
  maxReferenceRowsForPValueTests: 1000,
  pValueThreshold: 0.05,
  distanceThreshold: 0.1,
  datasetDriftShare: 0.5,
  /** Quantile bins of the reference for PSI and Jensen–Shannon on numeric features. */
  numericBins: 10,
} as const;

const P_VALUE_TESTS: ReadonlySet<DriftTest> = new Set(['ks', 'chisquare']);
const TESTS_BY_KIND: Record<FeatureKind, ReadonlySet<DriftTest>> = {
  numeric: new Set(['ks', 'wasserstein', 'psi', 'jensenshannon']),
  categorical: new Set(['chisquare', 'psi', 'jensenshannon']),
};

export interface DriftOverrides {
  test?: DriftTest;
  threshold?: number;
  maxReferenceRowsForPValueTests?: number;
  numericBins?: number;
}

export interface ChosenTest {
  test: DriftTest;
  threshold: number;
  comparator: 'pValue < threshold' | 'statistic >= threshold';
}

/**
 * Evidently's default choice, simplified: it also switches to a z-test for
 * binary features and treats numeric features with at most 5 distinct values as
 * categorical; here the caller decides the kind and those cases are not special.
 */
export function chooseTest(kind: FeatureKind, referenceRows: number, overrides: DriftOverrides = {}): ChosenTest {
  const maxRows = overrides.maxReferenceRowsForPValueTests ?? DRIFT_DEFAULTS.maxReferenceRowsForPValueTests;
  const small = referenceRows <= maxRows;
  const test = overrides.test ?? (kind === 'numeric' ? (small ? 'ks' : 'wasserstein') : small ? 'chisquare' : 'jensenshannon');
  if (!TESTS_BY_KIND[kind].has(test)) {
    throw new StatisticsInputError(`test ${test} does not apply to ${kind} features; use one of ${[...TESTS_BY_KIND[kind]].join(', ')}`);
  }
  const pValueTest = P_VALUE_TESTS.has(test);
  const threshold = overrides.threshold ?? (pValueTest ? DRIFT_DEFAULTS.pValueThreshold : DRIFT_DEFAULTS.distanceThreshold);
  return { test, threshold, comparator: pValueTest ? 'pValue < threshold' : 'statistic >= threshold' };
}

export type FeatureSample =
  | { kind: 'numeric'; reference: readonly number[]; current: readonly number[] }
  | { kind: 'categorical'; reference: Readonly<Record<string, number>>; current: Readonly<Record<string, number>> };

export interface FeatureDrift {
  test: DriftTest;
  statistic: number;
  /** Only for p-value tests (KS, chi-square). */
  pValue?: number;
  threshold: number;
  drifted: boolean;
}

const referenceRows = (sample: FeatureSample): number =>
  sample.kind === 'numeric' ? sample.reference.length : Object.values(sample.reference).reduce((s, c) => s + c, 0);

export function featureDrift(sample: FeatureSample, overrides: DriftOverrides = {}): FeatureDrift {
  const { test, threshold } = chooseTest(sample.kind, referenceRows(sample), overrides);
  const pValueResult = (statistic: number, pValue: number): FeatureDrift => ({ test, statistic, pValue, threshold, drifted: pValue < threshold });
  const distanceResult = (statistic: number): FeatureDrift => ({ test, statistic, threshold, drifted: statistic >= threshold });

  if (sample.kind === 'categorical') {
    if (test === 'chisquare') {
      const r = chiSquare(sample.reference, sample.current);
      return pValueResult(r.statistic, r.pValue);
    }
    const aligned = alignCategories(sample.reference, sample.current);
    if (test === 'jensenshannon') return distanceResult(jensenShannon(aligned.reference, aligned.current));
    return distanceResult(psi(proportions(aligned.reference), proportions(aligned.current)));
  }

  switch (test) {
    case 'ks': {
      const r = ksTwoSample(sample.reference, sample.current);
      return pValueResult(r.statistic, r.pValue);
    }
    case 'wasserstein':
      return distanceResult(wassersteinNormed(sample.reference, sample.current));
    case 'psi':
    case 'jensenshannon': {
      // Current values beyond the reference's range count in the outer bins.
      const edges = quantileBinEdges(sample.reference, overrides.numericBins ?? DRIFT_DEFAULTS.numericBins);
      const ref = proportions(histogram(sample.reference, edges));
      const cur = proportions(histogram(sample.current, edges, { outside: 'clamp' }));
      return distanceResult(test === 'psi' ? psi(ref, cur) : jensenShannon(ref, cur));
    }
    case 'chisquare':
      throw new StatisticsInputError('chi-square does not apply to numeric features');
    default: {
      const _exhaustive: never = test;
      return _exhaustive;
    }
  }
}

/** Dataset drift as Evidently: the share of drifted features is at least `driftShare` (default 0.5). */
export function datasetDrift(features: readonly Pick<FeatureDrift, 'drifted'>[], driftShare: number = DRIFT_DEFAULTS.datasetDriftShare): { drifted: boolean; driftedCount: number; total: number; share: number } {
  const total = features.length;
  const driftedCount = features.filter((f) => f.drifted).length;
  const share = total === 0 ? 0 : driftedCount / total;
  return { drifted: total > 0 && share >= driftShare, driftedCount, total, share };
}
