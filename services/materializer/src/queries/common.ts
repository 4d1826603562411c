import { MlstreamError, isMlstreamError, type ClickHouseClient } from '@mlstream/kit';
import { boundedInt, database, sql, type Sql } from '../sql/index.ts';

/** What every analytics query needs: a ClickHouse client and the database of the read model. */
export interface AnalyticsDeps {
  client: ClickHouseClient;
  database: string;
}

/** A time window in epoch milliseconds, [from, to). */
export interface TimeWindow {
  from: number;
  to: number;
}

const MAX_WINDOW_MS = 366 * 24 * 3_600_000;
/** The last epoch millisecond an analytics window may name (before 2100); the gateway's query schema uses the same bound. */
export const MAX_QUERY_TIME_MS = Date.UTC(2100, 0, 1) - 1;

export function checkWindow(w: TimeWindow): TimeWindow {
  const ok = (n: unknown) => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_QUERY_TIME_MS;
  if (!ok(w.from) || !ok(w.to) || w.from >= w.to || w.to - w.from > MAX_WINDOW_MS) {
    throw new MlstreamError('INVALID_ANALYTICS_REQUEST', 'from and to must be epoch milliseconds with from < to, at most 366 days apart', { details: { from: w.from, to: w.to } });
  }
  return w;
}

export const dbOf = (deps: AnalyticsDeps): Sql => database(deps.database);

/** `model = … [AND version = …] [AND occurred_ms in [from, to)]`: the scope of a model's per-window history tables. */
export function modelHistoryScope(input: Partial<TimeWindow> & { model: string; version?: number }): Sql {
  let scope = sql`model = ${checkText(input.model, 'model')}`;
  if (input.version !== undefined) scope = sql`${scope} AND version = ${boundedInt(input.version, 'version', 0, 4_294_967_295)}`;
  if (input.from !== undefined || input.to !== undefined) {
    const w = checkWindow({ from: input.from ?? 0, to: input.to ?? MAX_QUERY_TIME_MS });
    scope = sql`${scope} AND occurred_ms >= ${w.from} AND occurred_ms < ${w.to}`;
  }
  return scope;
}

/** Text that becomes a literal: bounded, so a 10 MB "model name" never reaches ClickHouse. */
export function checkText(value: unknown, what: string, max = 1_000): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    throw new MlstreamError('INVALID_ANALYTICS_REQUEST', `${what} must be text of 1 to ${max} characters`, { details: { [what]: typeof value === 'string' ? value.length : typeof value } });
  }
  return value;
}

const unreachable = (error: unknown): boolean => /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|socket hang up|Timeout error/i.test(`${(error as { code?: string })?.code ?? ''} ${(error as Error)?.message ?? ''}`);

/**
 * Runs one SELECT. ClickHouse's own messages (which name tables and columns)
 * stay in `cause` for the logs; callers see a coded error only.
 */
export async function select<T>(deps: AnalyticsDeps, query: Sql, settings: Record<string, string> = {}): Promise<T[]> {
  try {
    const result = await deps.client.query({ query: query.text, format: 'JSONEachRow', clickhouse_settings: settings });
    return await result.json<T>();
  } catch (cause) {
    if (isMlstreamError(cause)) throw cause;
    if (unreachable(cause)) throw new MlstreamError('CLICKHOUSE_UNAVAILABLE', undefined, { cause });
    throw new MlstreamError('ANALYTICS_QUERY_FAILED', undefined, { cause });
  }
}

export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v === null || v === undefined || Number.isNaN(Number(v)) ? null : Number(v));
