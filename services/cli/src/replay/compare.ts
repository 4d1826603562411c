import type { ClickHouseClient } from '@mlstream/kit';
import { Sql } from '@mlstream/materializer';
import { columnsSql, compareSettings, metricsChecksumSql, metricsView, outsideRangeSql, tableChecksumSql, tablesSql, type ColumnInfo, type TableInfo } from './checksum.ts';
import type { PartitionRange, ReplayTopic } from './range.ts';

export interface Fingerprint {
  rows: number;
  checksum: string;
}

export interface TableComparison {
  table: string;
  /** The topic that feeds it; null for the per-minute view. */
  topic: string | null;
  replayed: Fingerprint | null;
  live: Fingerprint | null;
  /** Rows and checksum equal; null when not compared (see `note`). */
  equal: boolean | null;
  note?: string;
}

export interface CompareOptions {
  client: ClickHouseClient;
  replayDatabase: string;
  liveDatabase: string;
  topics: readonly ReplayTopic[];
  ranges: readonly PartitionRange[];
}

async function schemaOf(client: ClickHouseClient, database: string): Promise<Map<string, TableInfo>> {
  const read = async <T>(query: Sql) => (await client.query({ query: query.text, format: 'JSONEachRow' })).json<T>();
  const tables = await read<{ name: string; engine: string; sorting_key: string }>(tablesSql(database));
  const columns = await read<{ table: string; name: string; type: string }>(columnsSql(database));
  return new Map(tables.map((t) => [t.name, { table: t.name, engine: t.engine, sortingKey: t.sorting_key, columns: columns.filter((c) => c.table === t.name).map((c) => ({ name: c.name, type: c.type })) }]));
}

const sameColumns = (a: readonly ColumnInfo[], b: readonly ColumnInfo[]) => a.length === b.length && a.every((c, i) => c.name === b[i]!.name && c.type === b[i]!.type);

/**
 * Compares every table fed by the replayed topics, restricted in both
 * databases to the replayed (_topic, _partition, _offset) ranges, by count()
 * and checksum; then the per-minute view by its finalized values when both
 * databases hold exactly the replayed predictions.
 */
export async function compareDatabases(options: CompareOptions): Promise<TableComparison[]> {
  const { client, topics, ranges } = options;
  // Both names were checked as plain identifiers by the caller.
  const replayDb = new Sql(options.replayDatabase);
  const liveDb = new Sql(options.liveDatabase);
  const [replaySchema, liveSchema] = await Promise.all([schemaOf(client, replayDb.text), schemaOf(client, liveDb.text)]);
  const fingerprint = async (query: Sql): Promise<Fingerprint> => {
    const [row] = await (await client.query({ query: query.text, format: 'JSONEachRow', clickhouse_settings: compareSettings })).json<{ rows: string; checksum: string }>();
    return { rows: Number(row?.rows ?? 0), checksum: row?.checksum ?? '0' };
  };
  const results: TableComparison[] = [];
  for (const { topic, tables } of topics) {
    for (const table of tables) {
      const mine = replaySchema.get(table);
      const theirs = liveSchema.get(table);
      if (!mine) throw new Error(`the replay database ${replayDb.text} lacks table ${table}: were its migrations applied?`);
      const replayed = await fingerprint(tableChecksumSql(replayDb, mine, mine.columns, topic, ranges, liveDb));
      if (!theirs) {
        results.push({ table, topic, replayed, live: null, equal: false, note: `${liveDb.text}.${table} does not exist` });
        continue;
      }
      // Different migrations: compare the columns both have, and say so.
      const common = mine.columns.filter((c) => theirs.columns.some((t) => t.name === c.name && t.type === c.type));
      const drift = !sameColumns(mine.columns, theirs.columns);
      const a = drift ? await fingerprint(tableChecksumSql(replayDb, mine, common, topic, ranges, liveDb)) : replayed;
      const live = await fingerprint(tableChecksumSql(liveDb, theirs, common, topic, ranges, liveDb));
      results.push({ table, topic, replayed: a, live, equal: !drift && a.rows === live.rows && a.checksum === live.checksum, ...(drift ? { note: 'the two databases have different columns (different migrations); checksums cover the common ones' } : {}) });
    }
  }
  const predictions = topics.find((t) => t.stream === 'predictions');
  if (predictions && replaySchema.has(metricsView)) {
    results.push(await compareView(options, predictions.topic, replayDb, liveDb, liveSchema.has(metricsView), fingerprint));
  }
  return results;
}

async function compareView(options: CompareOptions, topic: string, replayDb: Sql, liveDb: Sql, liveHasView: boolean, fingerprint: (q: Sql) => Promise<Fingerprint>): Promise<TableComparison> {
  const base = { table: `${metricsView} (finalized)`, topic: null };
  if (!liveHasView) return { ...base, replayed: await fingerprint(metricsChecksumSql(replayDb)), live: null, equal: false, note: `${liveDb.text}.${metricsView} does not exist` };
  // The view has no Kafka coordinates: it is only comparable when both predictions tables hold exactly the replayed rows.
  const outside = async (db: Sql) => Number((await (await options.client.query({ query: outsideRangeSql(db, topic, options.ranges).text, format: 'JSONEachRow' })).json<{ n: string }>())[0]?.n ?? 0);
  const [a, b] = await Promise.all([outside(replayDb), outside(liveDb)]);
  if (a > 0 || b > 0) {
    return { ...base, replayed: null, live: null, equal: null, note: `not compared: it has no Kafka coordinates, and ${b > 0 ? `${liveDb.text}` : `${replayDb.text}`}.predictions holds ${Math.max(a, b)} row(s) outside the replayed range (replay the whole topic to its current end to compare it)` };
  }
  const [replayed, live] = await Promise.all([fingerprint(metricsChecksumSql(replayDb)), fingerprint(metricsChecksumSql(liveDb))]);
  return { ...base, replayed, live, equal: replayed.rows === live.rows && replayed.checksum === live.checksum, note: 'requests and errors per model, version and minute; latency quantiles are sampled, not compared' };
}

/** Tables that differ (a failed comparison), in report order. */
export const differingTables = (comparisons: readonly TableComparison[]): string[] => comparisons.filter((c) => c.equal === false).map((c) => c.table);
