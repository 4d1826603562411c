import type { FeatureDrift } from '@mlstream/kit';
import { aligned, chiSquareTest, jensenShannon, wassersteinNormed } from '../stats/index.ts';
import { ksTwoSample } from '../domain/statistics/index.ts';
import type { DetectorConfig } from './config.ts';
import type { Sample } from './state.ts';

const numericDrift = (feature: string, reference: number[], current: number[], config: DetectorConfig): FeatureDrift => {
  if (reference.length <= config.smallReferenceRows) {
    // scipy's ks_2samp(method='auto'): exact p-values up to 10 000 rows, matched to 1e-9.
    const { statistic, pValue } = ksTwoSample(reference, current);
    return { feature, kind: 'numeric', test: 'ks', statistic, pValue, threshold: config.pValueThreshold, drifted: pValue < config.pValueThreshold };
  }
  const statistic = wassersteinNormed(reference, current);
  return { feature, kind: 'numeric', test: 'wasserstein', statistic, pValue: null, threshold: config.distanceThreshold, drifted: statistic >= config.distanceThreshold };
};

const categoricalDrift = (feature: string, reference: Record<string, number>, current: Record<string, number>, referenceRows: number, config: DetectorConfig): FeatureDrift => {
  if (referenceRows <= config.smallReferenceRows) {
    const { statistic, pValue } = chiSquareTest(reference, current);
    return { feature, kind: 'categorical', test: 'chisquare', statistic, pValue, threshold: config.pValueThreshold, drifted: pValue < config.pValueThreshold };
  }
  const [p, q] = aligned(reference, current);
  const statistic = jensenShannon(p, q);
  return { feature, kind: 'categorical', test: 'jensenshannon', statistic, pValue: null, threshold: config.distanceThreshold, drifted: statistic >= config.distanceThreshold };
};

/** Per-feature verdicts (features sorted by name), prediction drift, and the dataset verdict. */
export function evaluate(reference: Sample, current: Sample, config: DetectorConfig) {
  const features: FeatureDrift[] = [];
  for (const name of Object.keys(reference.numeric).sort()) {
    const cur = current.numeric[name];
    if (cur && cur.length > 1 && (reference.numeric[name]?.length ?? 0) > 1) features.push(numericDrift(name, reference.numeric[name]!, cur, config));
  }
  for (const name of Object.keys(reference.categorical).sort()) {
    const cur = current.categorical[name];
    if (cur) features.push(categoricalDrift(name, reference.categorical[name]!, cur, reference.count, config));
  }
  let predictionDrift: FeatureDrift | null = null;
  if (reference.predictionNumeric.length > 1 && current.predictionNumeric.length > 1) {
    predictionDrift = numericDrift('__prediction__', reference.predictionNumeric, current.predictionNumeric, config);
  } else if (Object.keys(reference.predictionCategorical).length && Object.keys(current.predictionCategorical).length) {
    predictionDrift = categoricalDrift('__prediction__', reference.predictionCategorical, current.predictionCategorical, reference.count, config);
  }
  const drifted = features.filter((f) => f.drifted);
  const driftedShare = features.length ? drifted.length / features.length : 0;
  return { features, predictionDrift, driftedShare, datasetDrift: features.length > 0 && driftedShare >= config.datasetDriftShare, driftedFeatures: drifted.map((f) => f.feature) };
}

/** Drift of the joined labels against the labels joined during the reference window (null until both have some). */
export function evaluateLabels(reference: { labelsNumeric: number[]; labelsCategorical: Record<string, number> }, current: { labelsNumeric: number[]; labelsCategorical: Record<string, number> }, config: DetectorConfig): FeatureDrift | null {
  if (reference.labelsNumeric.length > 1 && current.labelsNumeric.length > 1) return numericDrift('__label__', reference.labelsNumeric, current.labelsNumeric, config);
  const refTotal = Object.values(reference.labelsCategorical).reduce((s, v) => s + v, 0);
  if (refTotal > 1 && Object.keys(current.labelsCategorical).length) return categoricalDrift('__label__', reference.labelsCategorical, current.labelsCategorical, refTotal, config);
  return null;
}
