import type { FeatureDrift } from '@mlstream/kit';
import { alignCategories, chiSquareHomogeneity, histogram, jensenShannon, ksTwoSample, ksTwoSampleOfSorted, psi, wassersteinNormed } from './statistics/index.ts';
import { finiteSortedCopy } from './statistics/numeric.ts';
import type { ProfileReference } from './reference.ts';
import type { DetectorConfig } from './config.ts';
import type { Sample } from './state.ts';

/** Category of current values absent from a profile's top-k list: compared with the profile's otherCount. */
const OTHER = '(other)';

/** A numeric reference sample as KS needs it: checked finite and sorted (what ksTwoSample does to it on every call). */
export type SortReference = (reference: readonly number[]) => Float64Array;

const sortedReferences = new WeakMap<readonly number[], Float64Array>();

/**
 * For a stream's reference window, which never changes once chosen: checked
 * and sorted at its first use, then reused by every later window (the sort
 * was half the cost of a window close; docs/performance.md "Drift detector").
 */
export const sortReferenceOnce: SortReference = (reference) => {
  let sorted = sortedReferences.get(reference);
  if (!sorted) {
    sortedReferences.set(reference, (sorted = finiteSortedCopy(reference, 'KS sample a')));
  }
  return sorted;
};

const numericDrift = (feature: string, reference: number[], current: number[], config: DetectorConfig, sortReference?: SortReference): FeatureDrift => {
  if (reference.length <= config.smallReferenceRows) {
    // scipy's ks_2samp(method='auto'): exact p-values up to 10 000 rows, matched to 1e-9.
    let result;
    if (sortReference) {
      const sorted = sortReference(reference);
      result = ksTwoSampleOfSorted(sorted, finiteSortedCopy(current, 'KS sample b'));
    } else result = ksTwoSample(reference, current);
    const { statistic, pValue } = result;
    return { feature, kind: 'numeric', test: 'ks', statistic, pValue, threshold: config.pValueThreshold, drifted: pValue < config.pValueThreshold };
  }
  const statistic = wassersteinNormed(reference, current);
  return { feature, kind: 'numeric', test: 'wasserstein', statistic, pValue: null, threshold: config.distanceThreshold, drifted: statistic >= config.distanceThreshold };
};

const categoricalDrift = (feature: string, reference: Record<string, number>, current: Record<string, number>, referenceRows: number, config: DetectorConfig): FeatureDrift => {
  if (referenceRows <= config.smallReferenceRows) {
    const { statistic, pValue } = chiSquareHomogeneity(reference, current);
    return { feature, kind: 'categorical', test: 'chisquare', statistic, pValue, threshold: config.pValueThreshold, drifted: pValue < config.pValueThreshold };
  }
  const { reference: p, current: q } = alignCategories(reference, current);
  const statistic = jensenShannon(p, q);
  return { feature, kind: 'categorical', test: 'jensenshannon', statistic, pValue: null, threshold: config.distanceThreshold, drifted: statistic >= config.distanceThreshold };
};

/**
 * A numeric feature against a training profile: PSI over the profile's bins
 * (reference quantiles). Current values outside the profile's range count in
 * the first or last bin, so a shift beyond the training range still shows.
 */
const profileNumericDrift = (feature: string, reference: ProfileReference['numeric'][string], current: number[], config: DetectorConfig): FeatureDrift => {
  const total = reference.counts.reduce((s, c) => s + c, 0);
  const counts = histogram(current, reference.edges, { outside: 'clamp' });
  const statistic = psi(reference.counts.map((c) => c / total), counts.map((c) => c / current.length));
  return { feature, kind: 'numeric', test: 'psi', statistic, pValue: null, threshold: config.psiThreshold, drifted: statistic >= config.psiThreshold };
};

/** A categorical feature against a training profile: Jensen–Shannon distance over its top-k categories and the rest. */
const profileCategoricalDrift = (feature: string, reference: ProfileReference['categorical'][string], current: Record<string, number>, config: DetectorConfig): FeatureDrift => {
  const ref: Record<string, number> = { ...reference.counts };
  if (reference.other > 0) ref[OTHER] = reference.other;
  const cur: Record<string, number> = {};
  for (const [category, n] of Object.entries(current)) {
    const key = category in reference.counts ? category : OTHER;
    cur[key] = (cur[key] ?? 0) + n;
  }
  const { reference: p, current: q } = alignCategories(ref, cur);
  const statistic = jensenShannon(p, q);
  return { feature, kind: 'categorical', test: 'jensenshannon', statistic, pValue: null, threshold: config.distanceThreshold, drifted: statistic >= config.distanceThreshold };
};

const verdictOf = (features: FeatureDrift[], config: DetectorConfig) => {
  const drifted = features.filter((f) => f.drifted);
  const driftedShare = features.length ? drifted.length / features.length : 0;
  return { features, driftedShare, datasetDrift: features.length > 0 && driftedShare >= config.datasetDriftShare, driftedFeatures: drifted.map((f) => f.feature) };
};

/** Per-feature verdicts (features sorted by name) against a reference window, and the dataset verdict. Pass `sortReference` (sortReferenceOnce) only for a reference that never changes. */
export function evaluateFeatures(reference: Sample, current: Sample, config: DetectorConfig, sortReference?: SortReference) {
  const features: FeatureDrift[] = [];
  for (const name of Object.keys(reference.numeric).sort()) {
    const cur = current.numeric[name];
    if (cur && cur.length > 1 && (reference.numeric[name]?.length ?? 0) > 1) features.push(numericDrift(name, reference.numeric[name]!, cur, config, sortReference));
  }
  for (const name of Object.keys(reference.categorical).sort()) {
    const cur = current.categorical[name];
    if (cur) features.push(categoricalDrift(name, reference.categorical[name]!, cur, reference.count, config));
  }
  return verdictOf(features, config);
}

/** Per-feature verdicts (features sorted by name) against a training-data profile, and the dataset verdict. */
export function evaluateAgainstProfile(reference: ProfileReference, current: Sample, config: DetectorConfig) {
  const features: FeatureDrift[] = [];
  for (const name of Object.keys(reference.numeric).sort()) {
    const cur = current.numeric[name];
    if (cur && cur.length > 0) features.push(profileNumericDrift(name, reference.numeric[name]!, cur, config));
  }
  for (const name of Object.keys(reference.categorical).sort()) {
    const cur = current.categorical[name];
    if (cur) features.push(profileCategoricalDrift(name, reference.categorical[name]!, cur, config));
  }
  return verdictOf(features, config);
}

/** Drift of the model's output against the baseline window's outputs (null until both have some). */
export function evaluatePrediction(reference: Sample, current: Sample, config: DetectorConfig, sortReference?: SortReference): FeatureDrift | null {
  if (reference.predictionNumeric.length > 1 && current.predictionNumeric.length > 1) {
    return numericDrift('__prediction__', reference.predictionNumeric, current.predictionNumeric, config, sortReference);
  }
  if (Object.keys(reference.predictionCategorical).length && Object.keys(current.predictionCategorical).length) {
    return categoricalDrift('__prediction__', reference.predictionCategorical, current.predictionCategorical, reference.count, config);
  }
  return null;
}

/** Per-feature verdicts, prediction drift, and the dataset verdict against a reference window (the audit and benches use this form). */
export function evaluate(reference: Sample, current: Sample, config: DetectorConfig) {
  return { ...evaluateFeatures(reference, current, config), predictionDrift: evaluatePrediction(reference, current, config) };
}

/** Drift of the joined labels against the labels joined during the reference window (null until both have some). */
export function evaluateLabels(reference: { labelsNumeric: number[]; labelsCategorical: Record<string, number> }, current: { labelsNumeric: number[]; labelsCategorical: Record<string, number> }, config: DetectorConfig, sortReference?: SortReference): FeatureDrift | null {
  if (reference.labelsNumeric.length > 1 && current.labelsNumeric.length > 1) return numericDrift('__label__', reference.labelsNumeric, current.labelsNumeric, config, sortReference);
  const refTotal = Object.values(reference.labelsCategorical).reduce((s, v) => s + v, 0);
  if (refTotal > 1 && Object.keys(current.labelsCategorical).length) return categoricalDrift('__label__', reference.labelsCategorical, current.labelsCategorical, refTotal, config);
  return null;
}
