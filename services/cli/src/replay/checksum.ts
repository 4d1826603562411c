import { Sql, ident, sql } from '@mlstream/materializer';
import type { PartitionRange } from './range.ts';

/**
 * SQL that fingerprints a table over the replayed Kafka coordinates, for
 * ClickHouse 18.16 (no window functions, no query parameters). A table's
 * fingerprint is count() and the wrapping UInt64 sum of cityHash64 over each
 * row's columns: independent of row order and of how parts were merged, and
 * (unlike an XOR) changed by a duplicated row.
 */
export interface ColumnInfo {
  name: string;
  type: string;
}

export interface TableInfo {
  table: string;
  engine: string;
  /** ORDER BY key as system.tables prints it, e.g. `run_id, key`. */
  sortingKey: string;
  columns: ColumnInfo[];
}

/** Columns written at materialization time from the wall clock or the writer's state, never compared. */
export const excludedTables = ['materializer_progress', 'materializer_table_progress', '_migrations'] as const;

/** The view fed from `predictions`; compared by its finalized values (see docs/replay.md). */
export const metricsView = 'model_metrics_1m';

/** cityHash64 refuses Nullable arguments: a Nullable column hashes as (isNull, value), an array holding Nullables as its text. */
export function hashArguments(columns: readonly ColumnInfo[]): Sql {
  const allowed = columns.map((c) => c.name);
  return new Sql(
    columns
      .map((c) => {
        const name = ident(c.name, allowed).text;
        if (c.type.startsWith('Nullable(')) return `isNull(${name}), assumeNotNull(${name})`;
        if (c.type.includes('Nullable(')) return `toString(${name})`;
        return name;
      })
      .join(', '),
  );
}

/** Rows of `topic` within the replayed offsets; `0` (no rows) when no partition of it was replayed. */
export function rangeFilter(topic: string, ranges: readonly PartitionRange[]): Sql {
  const mine = ranges.filter((r) => r.topic === topic && r.end > r.start);
  if (!mine.length) return new Sql('0');
  const parts = mine.map((r) => sql`(_partition = ${r.partition} AND _offset >= ${r.start} AND _offset < ${r.end})`.text);
  return sql`(_topic = ${topic} AND (${new Sql(parts.join(' OR '))}))`;
}

/** Rows of `topic` past the replayed offsets (written after the replay's end). */
export function beyondFilter(topic: string, ranges: readonly PartitionRange[]): Sql {
  const mine = ranges.filter((r) => r.topic === topic);
  if (!mine.length) return new Sql('0');
  return sql`(_topic = ${topic} AND (${new Sql(mine.map((r) => sql`(_partition = ${r.partition} AND _offset >= ${r.end})`.text).join(' OR '))}))`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Key columns of a ReplacingMergeTree, from system.tables' sorting_key. */
export function keyColumns(info: TableInfo): string[] {
  const keys = info.sortingKey.split(',').map((k) => k.trim());
  const names = info.columns.map((c) => c.name);
  return keys.map((k) => (IDENT.test(k) ? ident(k, names).text : '')).filter(Boolean);
}

export const isReplacing = (info: TableInfo): boolean => /ReplacingMergeTree/.test(info.engine);

/**
 * count() and checksum of one table over the replayed range. A
 * ReplacingMergeTree is compared as queries see it (FINAL; merges collapse
 * rows at their own pace) and without the keys that the live database holds
 * a newer row of past the range end: there the live FINAL row lies outside
 * the range while the replayed database still shows an older one.
 */
export function tableChecksumSql(database: Sql, info: TableInfo, columns: readonly ColumnInfo[], topic: string, ranges: readonly PartitionRange[], live: Sql): Sql {
  const table = new Sql(info.table);
  const hash = sql`cityHash64(${hashArguments(columns)})`;
  if (!isReplacing(info)) {
    return sql`SELECT count() AS rows, toString(sum(${hash})) AS checksum FROM ${database}.${table} WHERE ${rangeFilter(topic, ranges)}`;
  }
  const keys = keyColumns(info);
  const key = new Sql(keys.length === 1 ? keys[0]! : `(${keys.join(', ')})`);
  const superseded = keys.length
    ? sql` AND ${key} NOT IN (SELECT ${new Sql(keys.join(', '))} FROM ${live}.${table} WHERE ${beyondFilter(topic, ranges)})`
    : new Sql('');
  return sql`SELECT count() AS rows, toString(sum(${hash})) AS checksum FROM (SELECT * FROM ${database}.${table} FINAL) WHERE ${rangeFilter(topic, ranges)}${superseded}`;
}

/** Finalized per-minute aggregates: requests and errors per (model, version, minute). Quantiles are not compared (docs/replay.md). */
export function metricsChecksumSql(database: Sql): Sql {
  return sql`SELECT count() AS rows, toString(sum(cityHash64(model, version, minute, n, e))) AS checksum FROM (SELECT model, version, minute, countMerge(requests) AS n, sumMerge(errors) AS e FROM ${database}.${new Sql(metricsView)} GROUP BY model, version, minute)`;
}

/** Rows of `predictions` outside the replayed range: the view is only comparable when both databases have none. */
export function outsideRangeSql(database: Sql, topic: string, ranges: readonly PartitionRange[]): Sql {
  return sql`SELECT count() AS n FROM ${database}.predictions WHERE NOT ${rangeFilter(topic, ranges)}`;
}

/** Tables of one database (engine, ORDER BY key). */
export const tablesSql = (database: string): Sql => sql`SELECT name, engine, sorting_key FROM system.tables WHERE database = ${database}`;

/** Columns of one database (18.16 has no position column: rows come in column order). */
export const columnsSql = (database: string): Sql => sql`SELECT table, name, type FROM system.columns WHERE database = ${database}`;

/**
 * Query settings for comparisons: no predicate push-down into the FINAL
 * subquery and no automatic PREWHERE, which 18.16 would apply before the
 * FINAL merge and so filter rows a newer version had replaced.
 */
export const compareSettings = { optimize_move_to_prewhere: 0, enable_optimize_predicate_expression: 0 } as const;
