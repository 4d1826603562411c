import type { FeatureProfile, FeatureSpec } from '../contracts/index.ts';
import { histogram, quantileBinEdges } from './bins.ts';

/** One row of a dataset as the profiler reads it: the same shape a prediction's features have. */
export interface ProfileRow {
  numericFeatures?: Record<string, number | null | undefined>;
  categoricalFeatures?: Record<string, string | null | undefined>;
}

export interface ProfileOptions {
  /** Reference-quantile bins per numeric feature (PSI's usual 10). */
  bins?: number;
  /** Categories listed per categorical feature; the rest are summed in otherCount. */
  topK?: number;
}

/**
 * The profile a DatasetVersionIngested carries, computed from the rows: for a
 * numeric feature min/max/mean/std (ddof=0) and counts over bins at the data's
 * own quantiles; for a categorical one the top-k category counts. This is what
 * the drift detector uses as the reference of every model trained on the
 * dataset (docs/drift.md), so it must be computed over the training rows.
 * A data pipeline calls it through the SDK before publishing a dataset version.
 */
export function profileDataset(rows: readonly ProfileRow[], options: ProfileOptions = {}): { features: FeatureSpec[]; profile: FeatureProfile[] } {
  const bins = options.bins ?? 10;
  const topK = options.topK ?? 50;
  const numeric = new Map<string, number[]>();
  const categorical = new Map<string, Map<string, number>>();
  const nulls = new Map<string, number>();
  const missing = (name: string) => nulls.set(name, (nulls.get(name) ?? 0) + 1);
  for (const row of rows) {
    for (const [name, value] of Object.entries(row.numericFeatures ?? {})) {
      if (!numeric.has(name)) numeric.set(name, []);
      if (value == null || !Number.isFinite(value)) missing(name);
      else numeric.get(name)!.push(value);
    }
    for (const [name, value] of Object.entries(row.categoricalFeatures ?? {})) {
      if (!categorical.has(name)) categorical.set(name, new Map());
      if (value == null) missing(name);
      else categorical.get(name)!.set(value, (categorical.get(name)!.get(value) ?? 0) + 1);
    }
  }
  const features: FeatureSpec[] = [];
  const profile: FeatureProfile[] = [];
  for (const name of [...numeric.keys()].sort()) {
    const values = numeric.get(name)!;
    features.push({ name, type: 'NUMERIC' });
    if (!values.length) {
      profile.push({ name, count: 0, nulls: nulls.get(name) ?? 0, numeric: null, categorical: null });
      continue;
    }
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const mean = sum / values.length;
    let squares = 0;
    for (const v of values) squares += (v - mean) ** 2;
    const binEdges = quantileBinEdges(values, bins);
    profile.push({
      name,
      count: values.length,
      nulls: nulls.get(name) ?? 0,
      numeric: { min, max, mean, std: Math.sqrt(squares / values.length), binEdges, binCounts: histogram(values, binEdges) },
      categorical: null,
    });
  }
  for (const name of [...categorical.keys()].sort()) {
    const counts = [...categorical.get(name)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const listed = counts.slice(0, topK);
    const total = counts.reduce((s, [, c]) => s + c, 0);
    const listedTotal = listed.reduce((s, [, c]) => s + c, 0);
    features.push({ name, type: 'CATEGORICAL' });
    profile.push({ name, count: total, nulls: nulls.get(name) ?? 0, numeric: null, categorical: { counts: Object.fromEntries(listed), topK: listed.length, otherCount: total - listedTotal } });
  }
  return { features, profile };
}
