import type { DataQualityMeasured, FeatureQuality, QualityFailure } from '@mlstream/kit';
import type { DetectorConfig } from '../config.ts';
import type { QualityAcc } from './accumulate.ts';
import type { QualitySchema } from './schema.ts';

export type QualityThresholds = Pick<DetectorConfig, 'qualityMaxMissingShare' | 'qualityMaxOutOfRangeShare' | 'qualityMaxUnseenShare' | 'qualityMinScore'>;

/** What the quality pass says of one window (the parts of DataQualityMeasured it computes). */
export type QualityMeasurement = Pick<DataQualityMeasured, 'score' | 'passed' | 'features' | 'missingFeatures' | 'extraFeatures' | 'failures'>;

const sum = (counts: Record<string, number> | undefined) => {
  let total = 0;
  for (const k in counts) total += counts[k]!;
  return total;
};

/**
 * The quality of a closed window.
 *
 * - `rows` is the window's prediction count; a feature is missing from a row
 *   when the row's maps do not carry it or carry NaN/±Infinity.
 * - Shares of missing values and type mismatches are over rows; out-of-range
 *   and unseen shares are over the values present (as Evidently's value range
 *   and value list metrics drop missing values first).
 * - score = valid values / (rows × training features), where a value is valid
 *   when present, of the training kind, inside the training range (numeric) or
 *   among the training categories (categorical). 1 is a clean window; a
 *   feature that is entirely null costs 1/features. null when rows or the
 *   schema are empty.
 *
 * Without a schema (the reference window of a version without a training
 * profile) the features the window carried are the schema, with no ranges
 * nor categories to hold them to.
 */
export function measureQuality(acc: QualityAcc, categorical: Record<string, Record<string, number>>, rows: number, schema: QualitySchema | null, thresholds: QualityThresholds): QualityMeasurement {
  const numericNames = schema ? Object.keys(schema.numeric) : Object.keys(acc.numeric);
  const categoricalNames = schema ? Object.keys(schema.categorical) : Object.keys(categorical);
  const constantInReference = new Set(schema?.constant ?? []);
  const features: FeatureQuality[] = [];
  let valid = 0;

  for (const feature of numericNames) {
    const q = acc.numeric[feature];
    const present = q ? q.n - q.nonFinite : 0;
    const wrong = sum(categorical[feature]);
    const range = schema?.numeric[feature];
    const out = q?.out ?? 0;
    valid += present - out;
    features.push({
      feature,
      kind: 'numeric',
      present,
      missingShare: rows ? (rows - present - wrong) / rows : 0,
      outOfRangeShare: range && present ? out / present : null,
      unseenShare: null,
      typeMismatchShare: rows ? wrong / rows : 0,
      constant: present >= 2 && q!.min === q!.max && !constantInReference.has(feature),
    });
  }
  for (const feature of categoricalNames) {
    const counts = categorical[feature];
    const present = sum(counts);
    const wrong = acc.numeric[feature]?.n ?? 0;
    const known = schema?.categorical[feature];
    let unseen = 0;
    if (known) for (const category in counts) if (known[category] === undefined) unseen += counts[category]!;
    valid += present - unseen;
    features.push({
      feature,
      kind: 'categorical',
      present,
      missingShare: rows ? (rows - present - wrong) / rows : 0,
      unseenShare: known && present ? unseen / present : null,
      outOfRangeShare: null,
      typeMismatchShare: rows ? wrong / rows : 0,
      constant: present >= 2 && Object.keys(counts!).length === 1 && !constantInReference.has(feature),
    });
  }
  features.sort((a, b) => (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : a.kind < b.kind ? -1 : 1));

  const extraRows: Record<string, number> = {};
  if (schema) {
    for (const name in acc.numeric) if (!(name in schema.numeric) && !(name in schema.categorical)) extraRows[name] = acc.numeric[name]!.n;
    for (const name in categorical) if (!(name in schema.numeric) && !(name in schema.categorical)) extraRows[name] = (extraRows[name] ?? 0) + sum(categorical[name]);
  }
  const extraFeatures = Object.keys(extraRows).sort();
  const missingFeatures = rows ? features.filter((f) => f.missingShare === 1).map((f) => f.feature) : [];
  const cells = rows * features.length;
  const score = cells ? valid / cells : null;

  const failures: QualityFailure[] = [];
  for (const f of features) {
    if (f.missingShare > thresholds.qualityMaxMissingShare) failures.push({ feature: f.feature, check: 'missing_share', observed: f.missingShare, threshold: thresholds.qualityMaxMissingShare });
    if (f.outOfRangeShare != null && f.outOfRangeShare > thresholds.qualityMaxOutOfRangeShare) failures.push({ feature: f.feature, check: 'out_of_range_share', observed: f.outOfRangeShare, threshold: thresholds.qualityMaxOutOfRangeShare });
    if (f.unseenShare != null && f.unseenShare > thresholds.qualityMaxUnseenShare) failures.push({ feature: f.feature, check: 'unseen_share', observed: f.unseenShare, threshold: thresholds.qualityMaxUnseenShare });
    if (f.typeMismatchShare > 0) failures.push({ feature: f.feature, check: 'type_mismatch', observed: f.typeMismatchShare, threshold: 0 });
    if (f.constant) failures.push({ feature: f.feature, check: 'constant', observed: 1, threshold: 0 });
  }
  for (const feature of extraFeatures) failures.push({ feature, check: 'extra_feature', observed: extraRows[feature]!, threshold: 0 });
  if (score !== null && score < thresholds.qualityMinScore) failures.push({ feature: '', check: 'score', observed: score, threshold: thresholds.qualityMinScore });
  return { score, passed: failures.length === 0, features, missingFeatures, extraFeatures, failures };
}
