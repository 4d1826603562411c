import { boundedInt, sql, type Sql } from '../sql/index.ts';
import { dbOf, modelHistoryScope, num, numOrNull, select, type AnalyticsDeps, type TimeWindow } from './common.ts';

export interface DriftHistoryInput extends Partial<TimeWindow> {
  model: string;
  version?: number;
  /** Most recent N measurements; default 500, at most 10 000. */
  limit?: number;
}

export interface DriftPoint {
  version: number;
  windowId: string;
  windowIndex: number;
  windowStart: number;
  windowEnd: number;
  count: number;
  driftedShare: number;
  datasetDrift: boolean;
  features: Array<{ feature: string; test: string; statistic: number; pValue: number | null; drifted: boolean }>;
  accuracy: number | null;
  mae: number | null;
  eventId: string;
}

export interface DriftDetection {
  version: number;
  windowId: string;
  at: number;
  driftedFeatures: string[];
  measurementIds: string[];
  reason: string;
}

export interface RetrainRequest {
  version: number;
  at: number;
  idempotencyKey: string;
  reason: string;
  requestedBy: string;
  evidenceEventIds: string[];
}

/** Pure: measurement, detection and retrain queries for a model (optionally one version, one window of event time). */
export function driftHistorySql(db: Sql, input: DriftHistoryInput): { measurements: Sql; detections: Sql; retrains: Sql } {
  const limit = boundedInt(input.limit ?? 500, 'limit', 1, 10_000);
  const scope = modelHistoryScope(input);
  return {
    measurements: sql`SELECT * FROM (SELECT version, window_id, window_index, window_start_ms, window_end_ms, window_count, drifted_share, dataset_drift, feature_names, feature_tests, feature_statistics, feature_p_values, feature_drifted, accuracy, mae, event_id, occurred_ms, _offset FROM ${db}.drift_measurements WHERE ${scope} ORDER BY occurred_ms DESC, _offset DESC LIMIT ${limit}) ORDER BY occurred_ms, _offset`,
    detections: sql`SELECT version, window_id, occurred_ms, drifted_features, measurement_ids, reason FROM ${db}.drift_detections WHERE ${scope} ORDER BY occurred_ms, _offset LIMIT ${limit}`,
    retrains: sql`SELECT version, occurred_ms, idempotency_key, reason, requested_by, evidence_event_ids FROM ${db}.retrain_requests WHERE ${scope} ORDER BY occurred_ms, _offset LIMIT ${limit}`,
  };
}

/** Drift measurements per window, detections and retrain requests of a model, oldest first. */
export async function driftHistory(deps: AnalyticsDeps, input: DriftHistoryInput): Promise<{ measurements: DriftPoint[]; detections: DriftDetection[]; retrains: RetrainRequest[] }> {
  const q = driftHistorySql(dbOf(deps), input);
  type M = { version: number; window_id: string; window_index: string; window_start_ms: string; window_end_ms: string; window_count: string; drifted_share: number; dataset_drift: number; feature_names: string[]; feature_tests: string[]; feature_statistics: number[]; feature_p_values: Array<number | null>; feature_drifted: number[]; accuracy: number | null; mae: number | null; event_id: string };
  const [measurements, detections, retrains] = await Promise.all([
    select<M>(deps, q.measurements),
    select<{ version: number; window_id: string; occurred_ms: string; drifted_features: string[]; measurement_ids: string[]; reason: string }>(deps, q.detections),
    select<{ version: number; occurred_ms: string; idempotency_key: string; reason: string; requested_by: string; evidence_event_ids: string[] }>(deps, q.retrains),
  ]);
  return {
    measurements: measurements.map((m) => ({
      version: num(m.version),
      windowId: m.window_id,
      windowIndex: num(m.window_index),
      windowStart: num(m.window_start_ms),
      windowEnd: num(m.window_end_ms),
      count: num(m.window_count),
      driftedShare: m.drifted_share,
      datasetDrift: m.dataset_drift === 1,
      features: m.feature_names.map((feature, i) => ({ feature, test: m.feature_tests[i] ?? '', statistic: m.feature_statistics[i] ?? 0, pValue: numOrNull(m.feature_p_values[i]), drifted: m.feature_drifted[i] === 1 })),
      accuracy: numOrNull(m.accuracy),
      mae: numOrNull(m.mae),
      eventId: m.event_id,
    })),
    detections: detections.map((d) => ({ version: num(d.version), windowId: d.window_id, at: num(d.occurred_ms), driftedFeatures: d.drifted_features, measurementIds: d.measurement_ids, reason: d.reason })),
    retrains: retrains.map((r) => ({ version: num(r.version), at: num(r.occurred_ms), idempotencyKey: r.idempotency_key, reason: r.reason, requestedBy: r.requested_by, evidenceEventIds: r.evidence_event_ids })),
  };
}
