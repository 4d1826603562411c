import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ClickHouseSettings } from '@clickhouse/client';
import type { ClickHouseClient } from '@mlstream/kit';
import { Sql, join, sql } from '../sql/index.ts';
import type { RunStart, Row, TableName } from '../projections/index.ts';
import { RowEncodeError, compileRowBinary, type RowBinaryEncoder } from './rowbinary.ts';

/**
 * How far each table already holds a topic partition, read from ClickHouse
 * itself: the per-table watermark is the source of truth, the progress row
 * only a hint for tables that had nothing to say for a while.
 */
export interface Watermarks {
  /**
   * Highest offset of the partition each table is known to hold: its own
   * max(_offset), raised by its progress hint; -1 when neither says anything.
   */
  tables: Map<TableName, number>;
  /** Lowest progress hint of the tables (-1 when one has none): a batch ending above it records progress. */
  progress: number;
}

/**
 * The tables that existed while `materializer_progress` (one hint per topic
 * partition) was the only hint: that hint still speaks for them. Tables
 * added later rely on `materializer_table_progress` alone, so a table new to
 * an already-materialized topic is filled from the start of the partition.
 */
export const legacyProgressTables: ReadonlySet<TableName> = new Set<TableName>([
  'datasets', 'runs', 'run_params', 'run_metrics', 'run_tags', 'run_inputs', 'run_artifacts', 'model_versions', 'stage_history', 'aliases',
  'predictions', 'labels', 'drift_measurements', 'drift_detections', 'retrain_requests', 'dead_letters', 'command_results',
]);

/**
 * Pure: each table's watermark is the highest of its own max(_offset), its
 * per-table hint and, for the tables that predate per-table hints, the
 * partition-wide hint. Raising a table's mark to a hint is safe: the hint was
 * written after that table held every row up to it.
 */
export function combineWatermarks(tables: readonly TableName[], tableMax: (t: TableName) => number, tableHint: (t: TableName) => number, legacyHint: number): Watermarks {
  const hints = tables.map((t) => Math.max(tableHint(t), legacyProgressTables.has(t) ? legacyHint : -1));
  return {
    tables: new Map(tables.map((t, i) => [t, Math.max(tableMax(t), hints[i]!)])),
    progress: hints.length ? Math.min(...hints) : -1,
  };
}

/** First offset not yet materialized everywhere: every table holds all rows of events before it. */
export const resumeOffset = (w: Watermarks): number => Math.max(w.progress, Math.min(...w.tables.values())) + 1;

export interface Store {
  watermarks(topic: string, partition: number, tables: readonly TableName[]): Promise<Watermarks>;
  /** Start facts of runs whose RunStarted reached `runs` in an earlier batch. */
  runStarts(runIds: readonly string[]): Promise<Map<string, RunStart>>;
  /**
   * ONE insert: atomic for up to max_insert_block_size rows (chunks are cut
   * below that). It runs under a query id naming the topic partition
   * (`insertQueryPrefix`), so `settle` can find it on the server.
   */
  insert(table: TableName, rows: Row[], partition?: { topic: string; partition: number }): Promise<void>;
  /**
   * The fence before every watermark read: waits until no insert of this
   * topic partition (by any instance) is still running on the server, killing
   * the ones still there after `settleMs`. An insert the server has not
   * finished is then either in the table or never will be.
   */
  settle(topic: string, partition: number): Promise<{ waitedMs: number; killed: number }>;
  /** eventId → highest offset of the table's rows of this partition at or above `fromOffset`: seeds the dedupe window. */
  recentEventIds(table: TableName, topic: string, partition: number, fromOffset: number): Promise<Map<string, number>>;
  /** Records that every table of `tables` holds the partition's rows up to `offset`. */
  recordProgress(topic: string, partition: number, offset: number, tables: readonly TableName[]): Promise<void>;
  /** recordProgress for several partitions with the same two inserts. */
  recordProgressMany(hints: readonly ProgressHint[]): Promise<void>;
}

/** A resume hint: every table of `tables` holds the topic partition's rows up to `offset`. */
export interface ProgressHint {
  topic: string;
  partition: number;
  offset: number;
  tables: readonly TableName[];
}

export interface StoreOptions {
  /**
   * Replicated tables: write with insert_quorum = this many replicas and read
   * watermarks with select_sequential_consistency, so a resume never reads a
   * replica that lags behind the last insert. 0 (default) on a single node.
   */
  insertQuorum?: number;
  /** How long `settle` waits for another instance's insert to finish before killing it; default 10 000 ms. */
  settleMs?: number;
  /**
   * Wire format of the table inserts: RowBinary (default; ClickHouse parses it
   * several times faster) or JSONEachRow. A table with a column type the
   * RowBinary writer does not know is written as JSONEachRow anyway.
   */
  insertFormat?: InsertFormat;
}

/** Insert formats the store can write (MLSTREAM_MATERIALIZER_INSERT_FORMAT); the first is the default. */
export const INSERT_FORMATS = ['RowBinary', 'JSONEachRow'] as const;
export type InsertFormat = (typeof INSERT_FORMATS)[number];

/** Query ids of the inserts of one topic partition: `mlstream-mat|<db>|<topic>|<partition>|<uuid>`. */
export const insertQueryPrefix = (db: string, topic: string, partition: number): string => `mlstream-mat|${db}|${topic}|${partition}|`;

export function createStore(client: ClickHouseClient, db: Sql, options: StoreOptions = {}): Store {
  const quorum = options.insertQuorum ?? 0;
  const readSettings: ClickHouseSettings = quorum > 0 ? { select_sequential_consistency: '1' } : {};
  const writeSettings: ClickHouseSettings = quorum > 0 ? { insert_quorum: String(quorum) } : {};
  const settleMs = options.settleMs ?? 10_000;
  const select = async <T>(query: Sql): Promise<T[]> =>
    (await (await client.query({ query: query.text, format: 'JSONEachRow', clickhouse_settings: readSettings })).json<T>());
  // One encoder per table, compiled from its columns on the first insert (null: JSONEachRow).
  const encoders = new Map<TableName, Promise<RowBinaryEncoder | null>>();
  const encoderOf = (table: TableName) => {
    let e = encoders.get(table);
    if (!e) {
      e = select<{ name: string; type: string }>(
        sql`SELECT name, type FROM system.columns WHERE database = ${db.text} AND table = ${table} AND default_kind NOT IN ('MATERIALIZED', 'ALIAS')`,
      ).then((cols) => (cols.length ? (compileRowBinary(cols) ?? null) : null));
      e.catch(() => encoders.delete(table)); // read again on the next insert
      encoders.set(table, e);
    }
    return e;
  };
  const format = options.insertFormat ?? 'RowBinary';
  const recordProgressMany = async (hints: readonly ProgressHint[]): Promise<void> => {
    if (!hints.length) return;
    const updated_at = Math.floor(Date.now() / 1000);
    // Two hints, in parallel: neither is trusted beyond the tables, so their order does not matter.
    await Promise.all([
      client.insert({
        table: `${db.text}.materializer_table_progress`,
        values: hints.flatMap(({ topic, partition, offset, tables }) => tables.map((table) => ({ topic, partition, table, offset, updated_at }))),
        format: 'JSONEachRow',
        clickhouse_settings: writeSettings,
      }),
      // Kept for dashboards and older readers: the last offset of the partition every table holds.
      client.insert({ table: `${db.text}.materializer_progress`, values: hints.map(({ topic, partition, offset }) => ({ topic, partition, offset, updated_at })), format: 'JSONEachRow', clickhouse_settings: writeSettings }),
    ]);
  };
  return {
    async watermarks(topic, partition, tables) {
      // count() separates "no rows" from "offset 0": max() of nothing is 0 for UInt64.
      const parts = tables.map((t) => sql`SELECT ${t} AS t, count() AS n, max(_offset) AS m FROM ${db}.${new Sql(t)} WHERE _topic = ${topic} AND _partition = ${partition}`);
      parts.push(sql`SELECT '' AS t, count() AS n, max(offset) AS m FROM ${db}.materializer_progress WHERE topic = ${topic} AND partition = ${partition}`);
      parts.push(sql`SELECT concat('#', table) AS t, count() AS n, max(offset) AS m FROM ${db}.materializer_table_progress WHERE topic = ${topic} AND partition = ${partition} GROUP BY table`);
      const rows = await select<{ t: string; n: string; m: string }>(join(parts, ' UNION ALL '));
      const value = (r: { n: string; m: string } | undefined) => (r && Number(r.n) > 0 ? Number(r.m) : -1);
      return combineWatermarks(tables, (t) => value(rows.find((r) => r.t === t)), (t) => value(rows.find((r) => r.t === `#${t}`)), value(rows.find((r) => r.t === '')));
    },
    async runStarts(runIds) {
      if (!runIds.length) return new Map();
      const rows = await select<RunStart & { run_id: string; start_ms: string }>(
        sql`SELECT run_id, experiment, name, code_version, actor, start_ms FROM ${db}.runs WHERE run_id IN (${join(runIds.map((id) => sql`${id}`), ', ')}) AND start_ms > 0 ORDER BY _version DESC LIMIT 1 BY run_id`,
      );
      return new Map(rows.map((r) => [r.run_id, { experiment: r.experiment, name: r.name, code_version: r.code_version, actor: r.actor, start_ms: Number(r.start_ms) }]));
    },
    async insert(table, rows, at) {
      const query_id = at ? `${insertQueryPrefix(db.text, at.topic, at.partition)}${randomUUID()}` : undefined;
      const encoder = format === 'RowBinary' ? await encoderOf(table) : null;
      if (!encoder) {
        await client.insert({ table: `${db.text}.${table}`, values: rows, format: 'JSONEachRow', clickhouse_settings: writeSettings, ...(query_id ? { query_id } : {}) });
        return;
      }
      const body = encoder.encode(rows);
      const { stream } = await client.exec({
        query: `INSERT INTO ${db.text}.${table} (${encoder.columns.map((c) => `\`${c}\``).join(', ')}) FORMAT RowBinary`,
        values: Readable.from([body]),
        clickhouse_settings: writeSettings,
        ...(query_id ? { query_id } : {}),
      });
      for await (const _ of stream); // the (empty) answer: the insert is done once it ended
    },
    async settle(topic, partition) {
      // LIKE with the prefix escaped: topic names may contain '_' (a LIKE wildcard).
      const pattern = insertQueryPrefix(db.text, topic, partition).replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
      const running = async () => Number((await select<{ n: string }>(sql`SELECT count() AS n FROM system.processes WHERE query_id LIKE ${pattern}`))[0]?.n ?? 0);
      const started = Date.now();
      let killed = 0;
      for (let delay = 20; (await running()) > 0; delay = Math.min(500, delay * 2)) {
        if (Date.now() - started >= settleMs) {
          killed += 1;
          await client.command({ query: sql`KILL QUERY WHERE query_id LIKE ${pattern} SYNC`.text });
        }
        await new Promise((r) => setTimeout(r, delay));
      }
      return { waitedMs: Date.now() - started, killed };
    },
    async recentEventIds(table, topic, partition, fromOffset) {
      const rows = await select<{ id: string; o: string }>(
        sql`SELECT event_id AS id, max(_offset) AS o FROM ${db}.${new Sql(table)} WHERE _topic = ${topic} AND _partition = ${partition} AND _offset >= ${Math.max(0, fromOffset)} GROUP BY event_id`,
      );
      return new Map(rows.map((r) => [r.id, Number(r.o)]));
    },
    recordProgress(topic, partition, offset, tables) {
      return recordProgressMany([{ topic, partition, offset, tables }]);
    },
    recordProgressMany,
  };
}

/** ClickHouse error codes worth retrying (overload, timeouts, replicas); others are bugs or schema drift. */
const RETRIABLE_CLICKHOUSE_CODES = new Set(['3', '159', '164', '202', '209', '210', '241', '242', '252', '285', '319', '425', '999']);

/** True when ClickHouse answered with an error that retrying cannot fix. */
export function isFatalClickHouseError(error: unknown): boolean {
  if (error instanceof RowEncodeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^\d+$/.test(code) && !RETRIABLE_CLICKHOUSE_CODES.has(code);
}
