import { sql, type Sql } from '../sql/index.ts';
import { checkText, checkWindow, dbOf, num, numOrNull, select, type AnalyticsDeps, type TimeWindow } from './common.ts';

export interface FeatureSkewInput extends TimeWindow {
  view: string;
}

/** Skew of one feature of a view over a window of prediction time. */
export interface FeatureSkewSummary {
  feature: string;
  /** Predictions that used the feature and named an entity of the view. */
  compared: number;
  match: number;
  skew: number;
  missingOnline: number;
  expired: number;
  unknown: number;
  /** (skew + missingOnline + expired) / (compared − unknown), or null when nothing was comparable. */
  skewRate: number | null;
  /** Mean |served − online| over the numeric values that differed, or null. */
  meanAbsDifference: number | null;
}

/** Pure: per-feature counts by status (one row per feature, ARRAY JOIN over the per-prediction arrays of 009_feature_skew). */
export function featureSkewSql(db: Sql, input: FeatureSkewInput): { features: Sql; totals: Sql } {
  const view = checkText(input.view, 'view');
  const w = checkWindow({ from: input.from, to: input.to });
  const scope = sql`view = ${view} AND occurred_ms >= ${w.from} AND occurred_ms < ${w.to}`;
  return {
    features: sql`SELECT f AS feature, count() AS compared, countIf(s = 'match') AS n_match, countIf(s = 'skew') AS n_skew, countIf(s = 'missing_online') AS n_missing, countIf(s = 'expired') AS n_expired, countIf(s = 'unknown') AS n_unknown, avgIf(abs(sn - onum), s = 'skew' AND isNotNull(sn) AND isNotNull(onum)) AS mean_abs FROM ${db}.feature_skew ARRAY JOIN feature_names AS f, feature_statuses AS s, served_numeric AS sn, online_numeric AS onum WHERE ${scope} GROUP BY f ORDER BY f`,
    totals: sql`SELECT count() AS predictions, countIf(skewed > 0) AS skewed FROM ${db}.feature_skew WHERE ${scope}`,
  };
}

/** Skew per feature of a view in [from, to) of prediction time, with how many predictions were compared and how many had any skew. */
export async function featureSkew(deps: AnalyticsDeps, input: FeatureSkewInput): Promise<{ view: string; from: number; to: number; predictions: number; skewedPredictions: number; features: FeatureSkewSummary[] }> {
  const q = featureSkewSql(dbOf(deps), input);
  type F = { feature: string; compared: string; n_match: string; n_skew: string; n_missing: string; n_expired: string; n_unknown: string; mean_abs: number | string | null };
  const [features, totals] = await Promise.all([select<F>(deps, q.features), select<{ predictions: string; skewed: string }>(deps, q.totals)]);
  return {
    view: input.view,
    from: input.from,
    to: input.to,
    predictions: num(totals[0]?.predictions ?? 0),
    skewedPredictions: num(totals[0]?.skewed ?? 0),
    features: features.map((r) => {
      const [compared, match, skew, missingOnline, expired, unknown] = [r.compared, r.n_match, r.n_skew, r.n_missing, r.n_expired, r.n_unknown].map(num) as [number, number, number, number, number, number];
      const comparable = compared - unknown;
      return { feature: r.feature, compared, match, skew, missingOnline, expired, unknown, skewRate: comparable > 0 ? (skew + missingOnline + expired) / comparable : null, meanAbsDifference: numOrNull(r.mean_abs) };
    }),
  };
}
