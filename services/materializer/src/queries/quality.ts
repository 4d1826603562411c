import { boundedInt, sql, type Sql } from '../sql/index.ts';
import { dbOf, modelHistoryScope, num, numOrNull, select, type AnalyticsDeps, type TimeWindow } from './common.ts';

export interface QualityHistoryInput extends Partial<TimeWindow> {
  model: string;
  version?: number;
  /** Most recent N windows; default 500, at most 10 000. */
  limit?: number;
}

export interface QualityFailureRow {
  feature: string;
  check: string;
  observed: number;
  threshold: number;
}

export interface QualityPoint {
  version: number;
  windowId: string;
  windowIndex: number;
  windowStart: number;
  windowEnd: number;
  count: number;
  referenceId: string;
  driftMeasurementId: string;
  score: number | null;
  passed: boolean;
  features: Array<{ feature: string; kind: string; present: number; missingShare: number; outOfRangeShare: number | null; unseenShare: number | null; typeMismatchShare: number; constant: boolean }>;
  missingFeatures: string[];
  extraFeatures: string[];
  failures: QualityFailureRow[];
  suiteVersion: number | null;
  expectations: Array<{ kind: string; column: string; passed: boolean; evaluable: boolean; detail: string }>;
  eventId: string;
}

export interface QualityAlert {
  version: number;
  windowId: string;
  at: number;
  action: string;
  reason: string;
  measurementIds: string[];
  failures: QualityFailureRow[];
}

/** Pure: per-window quality and DataQualityFailed queries for a model (optionally one version, one window of event time). */
export function qualityHistorySql(db: Sql, input: QualityHistoryInput): { measurements: Sql; failures: Sql } {
  const limit = boundedInt(input.limit ?? 500, 'limit', 1, 10_000);
  const scope = modelHistoryScope(input);
  return {
    measurements: sql`SELECT * FROM (SELECT version, window_id, window_index, window_start_ms, window_end_ms, window_count, reference_id, drift_measurement_id, score, passed, feature_names, feature_kinds, feature_present, feature_missing_shares, feature_out_of_range_shares, feature_unseen_shares, feature_type_mismatch_shares, feature_constant, missing_features, extra_features, failure_features, failure_checks, failure_observed, failure_thresholds, suite_version, expectation_kinds, expectation_columns, expectation_passed, expectation_evaluable, expectation_details, event_id, occurred_ms, _offset FROM ${db}.quality_measurements WHERE ${scope} ORDER BY occurred_ms DESC, _offset DESC LIMIT ${limit}) ORDER BY occurred_ms, _offset`,
    failures: sql`SELECT version, window_id, occurred_ms, action, reason, measurement_ids, failure_features, failure_checks, failure_observed, failure_thresholds FROM ${db}.quality_failures WHERE ${scope} ORDER BY occurred_ms, _offset LIMIT ${limit}`,
  };
}

type FailureColumns = { failure_features: string[]; failure_checks: string[]; failure_observed: number[]; failure_thresholds: number[] };
const failuresOf = (r: FailureColumns): QualityFailureRow[] => r.failure_features.map((feature, i) => ({ feature, check: r.failure_checks[i] ?? '', observed: num(r.failure_observed[i]), threshold: num(r.failure_thresholds[i]) }));

/** Data quality per window (oldest first) and the DataQualityFailed alerts of a model. */
export async function qualityHistory(deps: AnalyticsDeps, input: QualityHistoryInput): Promise<{ measurements: QualityPoint[]; failures: QualityAlert[] }> {
  const q = qualityHistorySql(dbOf(deps), input);
  type M = FailureColumns & {
    version: number; window_id: string; window_index: string; window_start_ms: string; window_end_ms: string; window_count: string; reference_id: string; drift_measurement_id: string;
    score: number | null; passed: number; feature_names: string[]; feature_kinds: string[]; feature_present: string[]; feature_missing_shares: number[]; feature_out_of_range_shares: Array<number | null>;
    feature_unseen_shares: Array<number | null>; feature_type_mismatch_shares: number[]; feature_constant: number[]; missing_features: string[]; extra_features: string[];
    suite_version: number | null; expectation_kinds: string[]; expectation_columns: string[]; expectation_passed: number[]; expectation_evaluable: number[]; expectation_details: string[]; event_id: string;
  };
  const [measurements, failures] = await Promise.all([
    select<M>(deps, q.measurements),
    select<FailureColumns & { version: number; window_id: string; occurred_ms: string; action: string; reason: string; measurement_ids: string[] }>(deps, q.failures),
  ]);
  return {
    measurements: measurements.map((m) => ({
      version: num(m.version),
      windowId: m.window_id,
      windowIndex: num(m.window_index),
      windowStart: num(m.window_start_ms),
      windowEnd: num(m.window_end_ms),
      count: num(m.window_count),
      referenceId: m.reference_id,
      driftMeasurementId: m.drift_measurement_id,
      score: numOrNull(m.score),
      passed: num(m.passed) === 1,
      features: m.feature_names.map((feature, i) => ({
        feature,
        kind: m.feature_kinds[i] ?? '',
        present: num(m.feature_present[i]),
        missingShare: num(m.feature_missing_shares[i]),
        outOfRangeShare: numOrNull(m.feature_out_of_range_shares[i]),
        unseenShare: numOrNull(m.feature_unseen_shares[i]),
        typeMismatchShare: num(m.feature_type_mismatch_shares[i]),
        constant: num(m.feature_constant[i]) === 1,
      })),
      missingFeatures: m.missing_features,
      extraFeatures: m.extra_features,
      failures: failuresOf(m),
      suiteVersion: numOrNull(m.suite_version),
      expectations: m.expectation_kinds.map((kind, i) => ({ kind, column: m.expectation_columns[i] ?? '', passed: num(m.expectation_passed[i]) === 1, evaluable: num(m.expectation_evaluable[i]) === 1, detail: m.expectation_details[i] ?? '' })),
      eventId: m.event_id,
    })),
    failures: failures.map((f) => ({ version: num(f.version), windowId: f.window_id, at: num(f.occurred_ms), action: f.action, reason: f.reason, measurementIds: f.measurement_ids, failures: failuresOf(f) })),
  };
}
