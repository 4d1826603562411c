import type { Admin, Kafka } from 'kafkajs';
import { MlstreamError, type ClickHouseClient, type ResolvedCatalog, type Serde } from '@mlstream/kit';
import { Sql, createStore, migrate, sql, type Store } from '@mlstream/materializer';
import { compareDatabases, differingTables, type TableComparison } from './compare.ts';
import { offsetsOf, parseBound, planRanges, selectTopics, type Bound, type BoundOffsets, type PartitionExtent, type PartitionRange, type ReplayTopic } from './range.ts';
import { replayRanges, type ReplayProgress, type UndecodableRecord } from './run.ts';

export interface ReplayCommandOptions {
  kafka: Kafka;
  serde: Serde;
  client: ClickHouseClient;
  catalog: ResolvedCatalog;
  /** The live database from the configuration (MLSTREAM_CLICKHOUSE_DATABASE). */
  liveDatabase: string;
  /** Target; default `mlstream_replay_<UTC timestamp>`. */
  database?: string;
  /** Database to compare with; default the live one; null = do not compare. */
  compareWith?: string | null;
  from?: string;
  to?: string;
  /** Topic names or stream ids, comma-separated; default every materialized topic. */
  topics?: string;
  /** Replay into the live database or a non-empty one. */
  force?: boolean;
  /** Drop the target afterwards (only when this replay created it). */
  dropAfter?: boolean;
  /** How long to wait for the live materializer to reach the replayed offsets; default 15 000 ms. */
  waitLiveMs?: number;
  maxEvents?: number;
  onProgress?: (progress: ReplayProgress) => void;
  now?: () => Date;
}

export interface ReplayReport {
  database: string;
  created: boolean;
  dropped: boolean;
  compareWith: string | null;
  range: { from: string | null; to: string | null; partitions: PartitionRange[] };
  read: { records: number; events: number; undecodable: UndecodableRecord[]; seconds: number; eventsPerSecond: number; inserts: number; rows: Record<string, number> };
  /** Partitions the live materializer had not reached when the comparison started (their differences may be lag). */
  liveBehind: Array<{ topic: string; partition: number; liveProgress: number; replayedTo: number }>;
  tables: TableComparison[];
  /** Tables whose rows or checksum differ: the command exits 1 when not empty. */
  differences: string[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const defaultReplayDatabase = (now: Date): string => `mlstream_replay_${now.toISOString().replace(/\.\d+Z$/, '').replace(/[-:]/g, '').replace('T', '_')}`;

const checkName = (name: string, flag: string): string => {
  if (!IDENT.test(name)) throw new MlstreamError('INVALID_REPLAY_OPTION', `${flag} ${JSON.stringify(name)} is not a plain identifier (letters, digits, underscore)`, { details: { [flag]: name } });
  return name;
};

async function extentsOf(admin: Admin, topics: readonly ReplayTopic[]): Promise<PartitionExtent[]> {
  const out: PartitionExtent[] = [];
  for (const { topic } of topics) {
    for (const o of await admin.fetchTopicOffsets(topic)) out.push({ topic, partition: o.partition, low: Number(o.low), high: Number(o.high) });
  }
  return out.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/** Resolves a bound to offsets: times through the broker's time index (the first record at or after the time). */
async function resolveBound(admin: Admin, bound: Bound | undefined, topics: readonly ReplayTopic[], extents: readonly PartitionExtent[], flag: string, isEnd: boolean): Promise<BoundOffsets | undefined> {
  if (!bound) return undefined;
  if (bound.kind === 'offsets') return offsetsOf(bound, topics, extents, flag, isEnd);
  const at = new Map<string, number>();
  // `--to T` includes records stamped T: the end is the first record after T.
  const ms = isEnd ? bound.ms + 1 : bound.ms;
  for (const { topic } of topics) for (const o of await admin.fetchTopicOffsetsByTimestamp(topic, ms)) at.set(`${topic}:${o.partition}`, Number(o.offset));
  return (topic, partition) => at.get(`${topic}:${partition}`);
}

async function rowsIn(client: ClickHouseClient, database: string): Promise<{ exists: boolean; rows: number }> {
  const q = async (query: Sql) => Number((await (await client.query({ query: query.text, format: 'JSONEachRow' })).json<{ n: string }>())[0]?.n ?? 0);
  const exists = (await q(sql`SELECT count() AS n FROM system.databases WHERE name = ${database}`)) > 0;
  if (!exists) return { exists, rows: 0 };
  return { exists, rows: await q(sql`SELECT sum(rows) AS n FROM system.parts WHERE database = ${database} AND active AND table != '_migrations'`) };
}

/** Waits until the live materializer's progress reaches every replayed partition's last offset, or gives up. */
async function waitForLive(live: Store, topics: readonly ReplayTopic[], lastOffsets: Record<string, number>, waitMs: number): Promise<ReplayReport['liveBehind']> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const behind: ReplayReport['liveBehind'] = [];
    for (const [key, replayedTo] of Object.entries(lastOffsets)) {
      const cut = key.lastIndexOf(':');
      const topic = key.slice(0, cut);
      const partition = Number(key.slice(cut + 1));
      const tables = topics.find((t) => t.topic === topic)?.tables ?? [];
      const marks = await live.watermarks(topic, partition, tables);
      // The progress row is a hint that can lag the tables: a table whose watermark passed the offset has the rows too.
      const reached = Math.max(marks.progress, Math.min(...marks.tables.values()));
      if (reached < replayedTo) behind.push({ topic, partition, liveProgress: reached, replayedTo });
    }
    if (!behind.length || Date.now() >= deadline) return behind;
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * `mlstream replay`: (1) pick the topics and capture their end offsets, (2)
 * resolve --from / --to to offsets, (3) refuse the live or a non-empty target,
 * (4) migrate the target and replay into it with the materializer's writer,
 * (5) compare every table with the live database over the same offsets.
 */
export async function replay(options: ReplayCommandOptions): Promise<ReplayReport> {
  const { kafka, serde, client, catalog } = options;
  const database = checkName(options.database ?? defaultReplayDatabase(options.now?.() ?? new Date()), '--database');
  const compareWith = options.compareWith === null ? null : checkName(options.compareWith ?? options.liveDatabase, '--compare-with');
  const topics = selectTopics(catalog, options.topics);
  const from = options.from === undefined ? undefined : parseBound(options.from, '--from');
  const to = options.to === undefined ? undefined : parseBound(options.to, '--to');

  const admin = kafka.admin();
  await admin.connect();
  let ranges: PartitionRange[];
  try {
    const extents = await extentsOf(admin, topics);
    ranges = planRanges(extents, await resolveBound(admin, from, topics, extents, '--from', false), await resolveBound(admin, to, topics, extents, '--to', true));
  } finally {
    await admin.disconnect();
  }

  const target = await rowsIn(client, database);
  if (!options.force) {
    if (database === options.liveDatabase || database === compareWith) throw new MlstreamError('REPLAY_REFUSED', `refusing to replay into ${database}: it is the live database (or the one compared with); pass --force to add to it anyway`, { details: { database } });
    if (target.rows > 0) throw new MlstreamError('REPLAY_REFUSED', `refusing to replay into ${database}: it already holds ${target.rows} row(s); choose a fresh --database or pass --force (rows already there are skipped by their watermarks)`, { details: { database, rows: target.rows } });
  }
  if (compareWith !== null && !(await rowsIn(client, compareWith)).exists) {
    throw new MlstreamError('REPLAY_REFUSED', `cannot compare with ${compareWith}: no such database; name one with --compare-with or pass --no-compare`, { details: { compareWith } });
  }

  await migrate({ client, database });
  const db = new Sql(database);
  const live = compareWith === null ? undefined : createStore(client, new Sql(compareWith));
  const store = createStore(client, db);
  // RunFinished repeats its run's start facts. The materializer reads them from its own
  // database; a range that starts after a RunStarted finds them in the compared one.
  const replayStore: Store = live
    ? {
        ...store,
        async runStarts(ids) {
          const found = await store.runStarts(ids);
          const missing = ids.filter((id) => !found.has(id));
          if (missing.length) for (const [id, start] of await live.runStarts(missing)) found.set(id, start);
          return found;
        },
      }
    : store;
  const tablesOf = new Map(topics.map((t) => [t.topic, t.tables]));
  const run = await replayRanges({ kafka, serde, store: replayStore, ranges, tablesOf: (topic) => tablesOf.get(topic) ?? [], ...(options.maxEvents ? { maxEvents: options.maxEvents } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });

  let liveBehind: ReplayReport['liveBehind'] = [];
  let tables: TableComparison[] = [];
  if (live && compareWith !== null) {
    if (compareWith !== database) liveBehind = await waitForLive(live, topics, run.lastOffsets, options.waitLiveMs ?? 15_000);
    tables = await compareDatabases({ client, replayDatabase: database, liveDatabase: compareWith, topics, ranges });
  }
  let dropped = false;
  if (options.dropAfter && !target.exists) {
    await client.command({ query: `DROP DATABASE IF EXISTS ${db.text}` });
    dropped = true;
  }
  return {
    database,
    created: !target.exists,
    dropped,
    compareWith,
    range: { from: from?.text ?? null, to: to?.text ?? null, partitions: ranges },
    read: { records: run.records, events: run.events, undecodable: run.undecodable, seconds: run.elapsedMs / 1000, eventsPerSecond: run.perSecond, inserts: run.inserts, rows: run.rows as Record<string, number> },
    liveBehind,
    tables,
    differences: differingTables(tables),
  };
}
