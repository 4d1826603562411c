import { MlstreamError } from '@mlstream/kit';
import { RUN_COLUMNS, boundedInt, compileSearch, join, lit, parseFilter, parseOrderBy, sql, type Sql } from '../sql/index.ts';
import { checkText, dbOf, num, select, type AnalyticsDeps } from './common.ts';
import { currentTagsSql, scopeSearch, type RunViewType } from './current-state.ts';

export interface SearchRunsInput {
  /** MLflow filter, e.g. `metrics.acc > 0.9 and params.lr = '0.01' and tags.team = 'x'`. */
  filter?: string;
  /** MLflow order_by entries, e.g. `['metrics.acc DESC', 'attributes.start_time']`. */
  orderBy?: string[];
  experiments?: string[];
  /** Page size; default 100, at most 50 000 (MLflow's limit). */
  maxResults?: number;
  pageToken?: string;
  /** MLflow's run_view_type: deleted runs are left out unless asked for (default ACTIVE_ONLY). */
  viewType?: RunViewType;
}

export interface RunSummary {
  runId: string;
  experiment: string;
  name: string;
  status: string;
  codeVersion: string;
  actor: string;
  startTime: number;
  endTime: number | null;
  params: Record<string, string>;
  /** Latest value of each metric (highest step, then timestamp). */
  metrics: Record<string, number>;
  tags: Record<string, string>;
}

export interface SearchRunsOutput {
  runs: RunSummary[];
  nextPageToken?: string;
}

// Page tokens are opaque to clients; inside, the offset of the next page.
const encodeToken = (offset: number): string => Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
function decodeToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const { o } = JSON.parse(Buffer.from(checkText(token, 'pageToken', 200), 'base64url').toString('utf8')) as { o: unknown };
    return boundedInt(o, 'page offset', 0, 10_000_000);
  } catch (cause) {
    throw new MlstreamError('INVALID_ANALYTICS_REQUEST', 'pageToken is not one this service issued', { cause });
  }
}

/** Pure: the search query (one row more than the page, to know whether another page follows). */
export function searchRunsSql(db: Sql, input: SearchRunsInput): { query: Sql; limit: number; offset: number } {
  const limit = boundedInt(input.maxResults ?? 100, 'maxResults', 1, 50_000);
  const offset = decodeToken(input.pageToken);
  if ((input.orderBy?.length ?? 0) > 10) throw new MlstreamError('INVALID_FILTER', 'at most 10 order_by terms');
  const where = parseFilter(input.filter);
  const viewType = input.viewType ?? 'ACTIVE_ONLY';
  if (!['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'].includes(viewType)) throw new MlstreamError('INVALID_ANALYTICS_REQUEST', 'viewType must be ACTIVE_ONLY, DELETED_ONLY or ALL');
  // A filter on the lifecycle stage itself (MLflow's attributes.lifecycle_stage) decides alone.
  const namesStage = where.some((c) => c.entity === 'attribute' && c.key === 'lifecycle_stage');
  const compiled = compileSearch(db, {
    where,
    orderBy: (input.orderBy ?? []).map(parseOrderBy),
    ...(input.experiments?.length ? { experiments: input.experiments.map((e) => checkText(e, 'experiment')) } : {}),
    limit: limit + 1,
    offset,
  });
  return { query: scopeSearch(db, compiled, namesStage ? 'ALL' : viewType), limit, offset };
}

/** MLflow-style run search compiled to ClickHouse, with params, latest metrics and tags of each run on the page. */
export async function searchRuns(deps: AnalyticsDeps, input: SearchRunsInput): Promise<SearchRunsOutput> {
  const db = dbOf(deps);
  const { query, limit, offset } = searchRunsSql(db, input);
  // join_use_nulls: runs without the metric / param / tag an order term names sort last.
  const rows = await select<Record<(typeof RUN_COLUMNS)[number], string>>(deps, query, { join_use_nulls: '1' });
  const page = rows.slice(0, limit);
  const ids = join(page.map((r) => lit(r.run_id)), ', ');
  const details = page.length
    ? await Promise.all([
        select<{ run_id: string; key: string; v: string }>(deps, sql`SELECT run_id, key, any(value) AS v FROM ${db}.run_params WHERE run_id IN (${ids}) GROUP BY run_id, key`),
        select<{ run_id: string; key: string; v: number }>(deps, sql`SELECT run_id, key, argMax(value, (step, ts_ms, _offset)) AS v FROM ${db}.run_metrics WHERE run_id IN (${ids}) GROUP BY run_id, key`),
        select<{ run_id: string; key: string; v: string }>(deps, sql`SELECT run_id, key, argMax(value, _offset) AS v FROM ${currentTagsSql(db)} AS __tags WHERE run_id IN (${ids}) GROUP BY run_id, key`),
      ])
    : [[], [], []];
  const [params, metrics, tags] = details;
  const byRun = <V>(list: Array<{ run_id: string; key: string; v: V }>, id: string) =>
    Object.fromEntries(list.filter((x) => x.run_id === id).sort((a, b) => a.key.localeCompare(b.key)).map((x) => [x.key, x.v]));
  return {
    runs: page.map((r) => ({
      runId: r.run_id,
      experiment: r.experiment,
      name: r.name,
      status: r.status,
      codeVersion: r.code_version,
      actor: r.actor,
      startTime: num(r.start_ms),
      endTime: num(r.end_ms) > 0 ? num(r.end_ms) : null,
      params: byRun(params, r.run_id),
      metrics: byRun(metrics, r.run_id) as Record<string, number>,
      tags: byRun(tags, r.run_id),
    })),
    ...(rows.length > limit ? { nextPageToken: encodeToken(offset + limit) } : {}),
  };
}

export interface MetricPoint {
  step: number;
  timestamp: number;
  value: number;
}

export function metricHistorySql(db: Sql, input: { runId: string; key: string; maxResults?: number }): Sql {
  const limit = boundedInt(input.maxResults ?? 25_000, 'maxResults', 1, 1_000_000);
  return sql`SELECT step, ts_ms, value FROM ${db}.run_metrics WHERE run_id = ${checkText(input.runId, 'runId', 250)} AND key = ${checkText(input.key, 'key', 250)} ORDER BY step, ts_ms, _offset LIMIT ${limit}`;
}

/** Every observation of one metric of a run, by step then time. */
export async function metricHistory(deps: AnalyticsDeps, input: { runId: string; key: string; maxResults?: number }): Promise<MetricPoint[]> {
  const rows = await select<{ step: string; ts_ms: string; value: number }>(deps, metricHistorySql(dbOf(deps), input));
  return rows.map((r) => ({ step: num(r.step), timestamp: num(r.ts_ms), value: num(r.value) }));
}
