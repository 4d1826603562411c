import { boundedInt, join, lit, sql } from '../sql/index.ts';
import { checkText, dbOf, num, select, type AnalyticsDeps } from './common.ts';

/** The event-time range of drift windows (start of the first, end of the last) of one model version. */
export async function driftWindowRange(deps: AnalyticsDeps, input: { model: string; version: number; windowIds: string[] }): Promise<{ start: number; end: number; windows: number } | null> {
  const model = checkText(input.model, 'model');
  const version = boundedInt(input.version, 'version', 0, 4_294_967_295);
  if (!input.windowIds.length) return null;
  const ids = join(input.windowIds.map((w) => lit(checkText(w, 'window id'))), ', ');
  const [row] = await select<{ start: string; end: string; windows: string }>(
    deps,
    sql`SELECT min(window_start_ms) AS start, max(window_end_ms) AS end, uniqExact(window_id) AS windows FROM ${dbOf(deps)}.drift_measurements WHERE model = ${model} AND version = ${version} AND window_id IN (${ids})`,
  );
  return row && num(row.windows) > 0 ? { start: num(row.start), end: num(row.end), windows: num(row.windows) } : null;
}

export interface RangePrediction {
  _topic: string;
  _partition: number;
  _offset: string;
  request_id: string;
  version: number;
  occurred_ms: string;
  prediction: string;
  numeric_keys: string[];
  numeric_values: number[];
  categorical_keys: string[];
  categorical_values: string[];
}

export interface RangeLabel {
  _topic: string;
  _partition: number;
  _offset: string;
  request_id: string;
  occurred_ms: string;
  label: string;
}

/** Predictions of a model version in an event-time range, and every label of their request ids observed by `labelCutoffMs`. */
export async function predictionsWithLabels(deps: AnalyticsDeps, input: { model: string; version: number; from: number; to: number; labelCutoffMs: number }): Promise<{ predictions: RangePrediction[]; labels: RangeLabel[] }> {
  const db = dbOf(deps);
  const model = checkText(input.model, 'model');
  const version = boundedInt(input.version, 'version', 0, 4_294_967_295);
  const from = boundedInt(input.from, 'from', 0, Number.MAX_SAFE_INTEGER);
  const to = boundedInt(input.to, 'to', 0, Number.MAX_SAFE_INTEGER);
  const cutoff = boundedInt(input.labelCutoffMs, 'labelCutoffMs', 0, Number.MAX_SAFE_INTEGER);
  const scope = sql`model = ${model} AND version = ${version} AND occurred_ms >= ${from} AND occurred_ms <= ${to} AND is_error = 0`;
  const predictions = await select<RangePrediction>(
    deps,
    sql`SELECT _topic, _partition, _offset, request_id, version, occurred_ms, prediction, numeric_keys, numeric_values, categorical_keys, categorical_values FROM ${db}.predictions WHERE ${scope} ORDER BY _partition, _offset`,
  );
  const labels = await select<RangeLabel>(
    deps,
    sql`SELECT _topic, _partition, _offset, request_id, occurred_ms, label FROM ${db}.labels WHERE model = ${model} AND occurred_ms <= ${cutoff} AND request_id IN (SELECT request_id FROM ${db}.predictions WHERE ${scope}) ORDER BY _partition, _offset`,
  );
  return { predictions, labels };
}

/** Max materialized offset per partition of a table for one model: how far the read model has come. */
export async function materializedOffsets(deps: AnalyticsDeps, input: { table: 'predictions' | 'labels'; model: string }): Promise<Record<string, string>> {
  const table = input.table === 'predictions' ? sql`predictions` : sql`labels`;
  const rows = await select<{ p: number; o: string; n: string }>(deps, sql`SELECT _partition AS p, max(_offset) AS o, count() AS n FROM ${dbOf(deps)}.${table} WHERE model = ${checkText(input.model, 'model')} GROUP BY _partition ORDER BY p`);
  return Object.fromEntries(rows.map((r) => [String(r.p), `${r.o}/${r.n}`]));
}

export interface RetrainJobRow {
  jobId: string;
  idempotencyKey: string;
  /** Latest event, without "RetrainJob". */
  state: string;
  openedAt: number;
  updatedAt: number;
  events: Array<{ event: string; at: number; eventId: string; version: number | null; detail: Record<string, unknown> }>;
}

/** The retrain jobs of a model, newest first, each with its events in order. */
export async function retrainJobs(deps: AnalyticsDeps, input: { model: string; limit?: number }): Promise<RetrainJobRow[]> {
  const limit = boundedInt(input.limit ?? 50, 'limit', 1, 1_000);
  const rows = await select<{ job_id: string; idempotency_key: string; event: string; occurred_ms: string; event_id: string; version: number | null; detail: string }>(
    deps,
    sql`SELECT job_id, idempotency_key, event, occurred_ms, event_id, version, detail FROM ${dbOf(deps)}.retrain_jobs WHERE model = ${checkText(input.model, 'model')} AND job_id IN (SELECT job_id FROM (SELECT job_id, min(occurred_ms) AS opened FROM ${dbOf(deps)}.retrain_jobs WHERE model = ${input.model} GROUP BY job_id ORDER BY opened DESC LIMIT ${limit})) ORDER BY job_id, _offset`,
  );
  const jobs = new Map<string, RetrainJobRow>();
  for (const r of rows) {
    let job = jobs.get(r.job_id);
    if (!job) jobs.set(r.job_id, (job = { jobId: r.job_id, idempotencyKey: r.idempotency_key, state: r.event, openedAt: num(r.occurred_ms), updatedAt: num(r.occurred_ms), events: [] }));
    // A job event the orchestrator re-sent after a crash carries the same eventId: listed once.
    if (job.events.some((e) => e.eventId === r.event_id)) continue;
    job.events.push({ event: r.event, at: num(r.occurred_ms), eventId: r.event_id, version: r.version === null ? null : num(r.version), detail: JSON.parse(r.detail) as Record<string, unknown> });
    job.state = r.event;
    job.updatedAt = num(r.occurred_ms);
  }
  return [...jobs.values()].sort((a, b) => b.openedAt - a.openedAt);
}
