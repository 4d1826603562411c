import { MlstreamError } from '@mlstream/kit';
import { boundedInt, join, lit, sql, type Sql } from '../sql/index.ts';
import { checkText, checkWindow, dbOf, num, numOrNull, select, type AnalyticsDeps, type TimeWindow } from './common.ts';

export interface ModelHealthInput extends TimeWindow {
  model: string;
  /** Bucket width in seconds, a multiple of 60 (the view is per minute); default 60. */
  bucketSeconds?: number;
  /** Only these versions; default all. */
  versions?: number[];
}

export interface LatencyQuantiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface HealthPoint {
  version: number;
  /** Bucket start, epoch ms. */
  bucketStart: number;
  requests: number;
  errors: number;
  errorRate: number;
  latencyMs: LatencyQuantiles;
}

const versionList = (versions: number[]): Sql => join(versions.map((v) => lit(boundedInt(v, 'version', 0, 4_294_967_295))), ', ');

/** Pure: the model health query over the per-minute view. */
export function modelHealthSql(db: Sql, input: ModelHealthInput): Sql {
  const { from, to } = checkWindow(input);
  const bucket = boundedInt(input.bucketSeconds ?? 60, 'bucketSeconds', 60, 31 * 86_400);
  if (bucket % 60 !== 0) throw new MlstreamError('INVALID_ANALYTICS_REQUEST', 'bucketSeconds must be a multiple of 60');
  const versions = input.versions?.length ? sql` AND version IN (${versionList(input.versions)})` : sql``;
  return sql`SELECT version, intDiv(toUInt32(minute), ${bucket}) * ${bucket} AS bucket, countMerge(requests) AS n_requests, sumMerge(errors) AS n_errors, quantilesMerge(0.5, 0.95, 0.99)(latency) AS q FROM ${db}.model_metrics_1m WHERE model = ${checkText(input.model, 'model')} AND minute >= toDateTime(${Math.floor(from / 1000)}) AND minute < toDateTime(${Math.ceil(to / 1000)})${versions} GROUP BY version, bucket ORDER BY version, bucket`;
}

const quantiles = (q: number[]): LatencyQuantiles => ({ p50: q[0] ?? 0, p95: q[1] ?? 0, p99: q[2] ?? 0 });

/** Throughput, error rate and latency p50/p95/p99 per version and bucket. */
export async function modelHealth(deps: AnalyticsDeps, input: ModelHealthInput): Promise<HealthPoint[]> {
  const rows = await select<{ version: number; bucket: string; n_requests: string; n_errors: string; q: number[] }>(deps, modelHealthSql(dbOf(deps), input));
  return rows.map((r) => ({
    version: num(r.version),
    bucketStart: num(r.bucket) * 1000,
    requests: num(r.n_requests),
    errors: num(r.n_errors),
    errorRate: num(r.n_requests) ? num(r.n_errors) / num(r.n_requests) : 0,
    latencyMs: quantiles(r.q),
  }));
}

/** A version by number, or by alias (resolved to the version the alias points at now). */
export type VersionRef = number | { alias: string };

export interface CompareInput extends TimeWindow {
  model: string;
  champion: VersionRef;
  challenger: VersionRef;
}

export interface VersionReport {
  version: number;
  requests: number;
  errorRate: number;
  latencyMs: LatencyQuantiles;
  /** Numeric predictions: mean and p10/p50/p90; null when predictions are classes. */
  prediction: { mean: number; p10: number; p50: number; p90: number } | null;
  /** Most frequent predicted values (classes, or numbers as text), top 10. */
  topPredictions: Array<{ value: string; count: number }>;
  /** Predictions with a label, and accuracy (exact match) / MAE (numeric) over them. */
  labeled: number;
  accuracy: number | null;
  mae: number | null;
}

async function resolveVersion(deps: AnalyticsDeps, db: Sql, model: string, ref: VersionRef): Promise<number> {
  if (typeof ref === 'number') return boundedInt(ref, 'version', 0, 4_294_967_295);
  const alias = checkText(ref.alias, 'alias', 250);
  const [row] = await select<{ last_action: string; last_version: number }>(deps, sql`SELECT argMax(action, _offset) AS last_action, argMax(version, _offset) AS last_version FROM ${db}.aliases WHERE model = ${model} AND alias = ${alias} HAVING count() > 0`);
  if (!row || row.last_action !== 'SET') throw new MlstreamError('ALIAS_NOT_FOUND', `model ${model} has no alias ${alias}`, { details: { model, alias } });
  return num(row.last_version);
}

/** Pure: the per-version comparison queries (stats, top predictions, label join). */
export function compareSql(db: Sql, model: string, versions: number[], window: TimeWindow): { stats: Sql; top: Sql; labels: Sql } {
  const { from, to } = checkWindow(window);
  const scope = sql`model = ${model} AND version IN (${versionList(versions)}) AND occurred_ms >= ${from} AND occurred_ms < ${to}`;
  return {
    stats: sql`SELECT version, count() AS requests, sum(is_error) AS errors, quantiles(0.5, 0.95, 0.99)(latency_ms) AS q, countIf(prediction_num IS NOT NULL) AS numeric, avg(prediction_num) AS mean, quantiles(0.1, 0.5, 0.9)(prediction_num) AS pq FROM ${db}.predictions WHERE ${scope} GROUP BY version`,
    top: sql`SELECT version, prediction AS value, count() AS n FROM ${db}.predictions WHERE ${scope} GROUP BY version, prediction ORDER BY version, n DESC, value LIMIT 10 BY version`,
    labels: sql`SELECT version, count() AS labeled, avg(prediction = observed) AS accuracy, avg(abs(prediction_num - observed_num)) AS mae FROM (SELECT version, request_id, prediction, prediction_num FROM ${db}.predictions WHERE ${scope}) AS p ALL INNER JOIN (SELECT request_id, argMax(label, _offset) AS observed, argMax(label_num, _offset) AS observed_num FROM ${db}.labels WHERE model = ${model} GROUP BY request_id) AS l USING request_id GROUP BY version`,
  };
}

/** Champion vs challenger over a window: latency, errors, prediction distribution, accuracy where labels exist. */
export async function compareVersions(deps: AnalyticsDeps, input: CompareInput): Promise<{ champion: VersionReport; challenger: VersionReport }> {
  const db = dbOf(deps);
  const model = checkText(input.model, 'model');
  const champion = await resolveVersion(deps, db, model, input.champion);
  const challenger = await resolveVersion(deps, db, model, input.challenger);
  const q = compareSql(db, model, [champion, challenger], input);
  const [stats, top, labels] = await Promise.all([
    select<{ version: number; requests: string; errors: string; q: number[]; numeric: string; mean: number | null; pq: Array<number | null> }>(deps, q.stats),
    select<{ version: number; value: string; n: string }>(deps, q.top),
    select<{ version: number; labeled: string; accuracy: number; mae: number | null }>(deps, q.labels),
  ]);
  const report = (version: number): VersionReport => {
    const s = stats.find((r) => num(r.version) === version);
    const l = labels.find((r) => num(r.version) === version);
    const requests = num(s?.requests ?? 0);
    const numeric = num(s?.numeric ?? 0) > 0;
    return {
      version,
      requests,
      errorRate: requests ? num(s!.errors) / requests : 0,
      latencyMs: quantiles(s?.q ?? []),
      prediction: numeric ? { mean: num(s!.mean), p10: num(s!.pq[0]), p50: num(s!.pq[1]), p90: num(s!.pq[2]) } : null,
      topPredictions: top.filter((r) => num(r.version) === version).map((r) => ({ value: r.value, count: num(r.n) })),
      labeled: num(l?.labeled ?? 0),
      accuracy: l ? numOrNull(l.accuracy) : null,
      mae: l && numeric ? numOrNull(l.mae) : null,
    };
  };
  return { champion: report(champion), challenger: report(challenger) };
}
