import { MlstreamError, type EntityRow, type FeatureRef, type FeatureValue, type HistoricalRow, type ViewForRetrieval } from '@mlstream/kit';
import { lit, sql, type Sql } from '../sql/index.ts';
import { dbOf, select, type AnalyticsDeps } from './common.ts';

/** One entity row as the point-in-time query takes it: an id (its index in the request), the entity key and the time it is "as of". */
export interface PointInTimeRow {
  id: number;
  entityKey: string;
  timestamp: number;
}

/** The values of the record that won for a row (all of its values; the caller picks the features). */
export interface PointInTimeHit {
  numeric: Record<string, number>;
  categorical: Record<string, string>;
  occurredAt: number;
}

/** Rows per ClickHouse query: the entity rows travel as a literal array (no temporary tables, no external data on 18.16's HTTP client). */
export const POINT_IN_TIME_CHUNK = 5_000;

/**
 * Point-in-time lookup of one view on ClickHouse 18.16, which has no ASOF
 * JOIN and joins only on equality (USING): the entity rows, as a literal
 * array, are joined ALL INNER to the view's records of the same keys; the
 * range condition (at or before the row's time, within the TTL) filters the
 * joined pairs; `argMax(values, (occurred_ms, _partition, _offset))` per row
 * keeps the latest record, ties on event time going to the one later in the
 * log. Rows with nothing in reach are absent from the answer. The right side
 * is cut to the requested keys and to the rows' overall time range before
 * the join, so the hash table ClickHouse builds holds only candidates.
 */
export function pointInTimeQuery(deps: AnalyticsDeps, view: string, ttlSeconds: number, rows: readonly PointInTimeRow[]): Sql {
  if (!rows.length) throw new TypeError('pointInTimeQuery: no rows');
  const ttlMs = ttlSeconds * 1000;
  const keys = [...new Set(rows.map((r) => r.entityKey))];
  const maxTs = Math.max(...rows.map((r) => r.timestamp));
  const minTs = Math.min(...rows.map((r) => r.timestamp));
  // Three literal arrays of scalars, ARRAY JOINed into rows: ClickHouse parses each as one constant. (An array of
  // tuples is parsed element by element on 18.16 and costs seconds per thousand rows.)
  const ids = lit(rows.map((r) => r.id));
  const entityKeys = lit(rows.map((r) => r.entityKey));
  const times = lit(rows.map((r) => r.timestamp));
  const ttlRight = ttlMs > 0 ? sql` AND occurred_ms + ${lit(ttlMs)} >= ${lit(minTs)}` : sql``;
  const ttlPair = ttlMs > 0 ? sql` AND occurred_ms + ${lit(ttlMs)} >= row_ms` : sql``;
  const db = dbOf(deps);
  return sql`SELECT row_id, argMax(tuple(numeric_keys, numeric_exact, categorical_keys, categorical_values, occurred_ms), tuple(occurred_ms, _partition, _offset)) AS best
FROM (
  SELECT row_id, entity_key, row_ms
  FROM (SELECT ${ids} AS ids, ${entityKeys} AS keys, ${times} AS times) ARRAY JOIN ids AS row_id, keys AS entity_key, times AS row_ms
) ALL INNER JOIN (
  SELECT entity_key, occurred_ms, _partition, _offset, numeric_keys, numeric_exact, categorical_keys, categorical_values
  FROM ${db}.feature_values
  WHERE view = ${lit(view)} AND has(${lit(keys)}, entity_key) AND occurred_ms <= ${lit(maxTs)}${ttlRight}
) USING entity_key
WHERE occurred_ms <= row_ms${ttlPair}
GROUP BY row_id`;
}

type Best = [string[], string[], string[], string[], string | number];

/** Runs the point-in-time lookup of one view in chunks; answers the winning record per row id. */
export async function pointInTimeValues(deps: AnalyticsDeps, view: string, ttlSeconds: number, rows: readonly PointInTimeRow[]): Promise<Map<number, PointInTimeHit>> {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0) throw new MlstreamError('INVALID_ANALYTICS_REQUEST', `ttlSeconds must be an integer >= 0, got ${ttlSeconds}`);
  const hits = new Map<number, PointInTimeHit>();
  for (let i = 0; i < rows.length; i += POINT_IN_TIME_CHUNK) {
    const chunk = rows.slice(i, i + POINT_IN_TIME_CHUNK);
    const answer = await select<{ row_id: number | string; best: Best }>(deps, pointInTimeQuery(deps, view, ttlSeconds, chunk), { max_query_size: '16777216' });
    for (const { row_id, best } of answer) {
      const [nk, nv, ck, cv, at] = best;
      hits.set(Number(row_id), {
        numeric: Object.fromEntries(nk.map((k, j) => [k, Number(nv[j])])),
        categorical: Object.fromEntries(ck.map((k, j) => [k, cv[j]!])),
        occurredAt: Number(at),
      });
    }
  }
  return hits;
}

/**
 * getHistoricalFeatures on ClickHouse: for each entity row, the requested
 * features as of its timestamp (docs/features.md), in request order. The
 * result equals `pointInTimeReference` over the same records (tested on a
 * randomized set, test/integration/features-historical.test.ts).
 */
export async function historicalFeatures(deps: AnalyticsDeps, views: ReadonlyMap<string, ViewForRetrieval>, rows: readonly EntityRow[], refs: readonly FeatureRef[]): Promise<HistoricalRow[]> {
  const out: HistoricalRow[] = rows.map((r) => ({ entities: r.entities, timestamp: r.timestamp, values: Object.fromEntries(refs.map((f) => [f.ref, null as FeatureValue])) }));
  const byView = new Map<string, FeatureRef[]>();
  for (const r of refs) byView.set(r.view, [...(byView.get(r.view) ?? []), r]);
  for (const [name, viewRefs] of byView) {
    const view = views.get(name);
    if (!view) throw new MlstreamError('FEATURE_VIEW_NOT_FOUND', `no feature view ${name}`, { details: { view: name } });
    const keyed = rows.flatMap((r, id) => (r.entities[view.keyName] === undefined ? [] : [{ id, entityKey: String(r.entities[view.keyName]), timestamp: r.timestamp }]));
    if (!keyed.length) continue;
    const hits = await pointInTimeValues(deps, name, view.ttlSeconds, keyed);
    for (const [id, hit] of hits) {
      const values = out[id]!.values;
      for (const f of viewRefs) values[f.ref] = Object.hasOwn(hit.numeric, f.feature) ? hit.numeric[f.feature]! : Object.hasOwn(hit.categorical, f.feature) ? hit.categorical[f.feature]! : null;
    }
  }
  return out;
}
