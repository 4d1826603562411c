// One scenario run against one ClickHouse engine through the real code paths:
// the migration runner, the materializer's writer (projections, watermarks,
// one JSONEachRow insert per table and batch) and every analytics query.
// current-clickhouse.test.ts runs it on 18.16 and on ClickHouse 26 (chdb)
// and compares; nothing here knows which engine it talks to.
import fs from 'node:fs';
import path from 'node:path';
import { experimentIdOf, type ClickHouseClient, type DecodedEvent, type RecordTypes, type ResolvedCatalog } from '@mlstream/kit';
import {
  compareVersions,
  Sql,
  createStore,
  type InsertFormat,
  driftHistory,
  metricHistory,
  migrate,
  modelHealth,
  modelVersions,
  searchRuns,
  tablesOfStream,
  writeBatch,
  type MaterializedStream,
  type SearchRunsInput,
} from '@mlstream/materializer';
import { mlflowScenario, scenario, type Draft } from '../fixtures/materializer/scenario.ts';

export type World = ReturnType<typeof world>;

/** The materializer test's scenario with its MLflow part, plus a metric only run-b has (its latest value is not its largest) and a dead letter. */
export function world(catalog: ResolvedCatalog) {
  const w = scenario();
  const at = w.T0 - 1_800_000 + 60_000 + 10;
  const extra: Draft[] = [
    { type: 'MetricsLogged', value: { eventId: '00000000-0000-4000-9000-000000000001', commandId: 'cmd-loss', actor: 'ci', occurredAt: at, aggregateVersion: 8, runId: 'run-b', metrics: [{ key: 'loss', value: 0.5, step: 0, timestamp: at }, { key: 'loss', value: 0.25, step: 1, timestamp: at + 1 }] } },
    {
      type: 'DeadLetter',
      value: {
        eventId: '00000000-0000-4000-9000-000000000002', occurredAt: w.T0 + 1, sourceTopic: catalog.topic('predictions'), sourcePartition: 0, sourceOffset: 600,
        key: Buffer.from('churn'), value: Buffer.from('not avro at all'), headers: [{ key: 'ce_type', value: Buffer.from('x') }], errorCode: 'CORRUPT_MESSAGE', reason: 'unknown magic byte', consumer: 'mlstream-materializer',
      },
    },
  ];
  const mlflow = mlflowScenario(experimentIdOf);
  return { ...w, mlflow, drafts: [...w.drafts, ...extra, ...mlflow.drafts] };
}

/** The drafts as the materializer receives them: one partition per topic, offsets in production order. */
export function decodedEvents(catalog: ResolvedCatalog, drafts: readonly Draft[]): Map<string, DecodedEvent[]> {
  const byTopic = new Map<string, DecodedEvent[]>();
  for (const d of drafts) {
    const topic = catalog.topicOf(d.type);
    const list = byTopic.get(topic) ?? [];
    list.push({ type: d.type, value: d.value, schemaId: 1, topic, partition: 0, offset: String(list.length), key: null, headers: {} } as DecodedEvent);
    byTopic.set(topic, list);
  }
  return byTopic;
}

/** Events per flush, as MLSTREAM_MATERIALIZER_MAX_EVENTS would cut them: several inserts feed the view. */
const BATCH = 250;

/** Applies the migrations (twice: the second run must skip all) and writes every topic's events in batches. */
export async function load(client: ClickHouseClient, db: string, catalog: ResolvedCatalog, drafts: readonly Draft[], insertFormat: InsertFormat = 'RowBinary') {
  const first = await migrate({ client, database: db });
  const second = await migrate({ client, database: db });
  const store = createStore(client, new Sql(db), { insertFormat });
  let inserts = 0;
  for (const [topic, events] of decodedEvents(catalog, drafts)) {
    const stream = catalog.byTopic(topic)!.stream as MaterializedStream;
    const tables = tablesOfStream[stream];
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH);
      const marks = await store.watermarks(topic, 0, tables);
      inserts += (await writeBatch(store, tables, batch, marks, Number(batch[batch.length - 1]!.offset), topic, 0)).inserts;
    }
  }
  return { first, second, inserts };
}

/** Run searches that exercise every part of the filter compiler and the nested order-by joins. */
export const searches = (w: World): Record<string, SearchRunsInput> => ({
  metricAndTag: { filter: "metrics.acc > 0.9 and tags.team = 'x'", orderBy: ['metrics.acc DESC'] },
  page1: { orderBy: ['attributes.start_time ASC'], maxResults: 2 },
  paramAndStatus: { filter: "params.lr = '0.1' and attributes.status = 'FAILED'" },
  hostileExact: { filter: `params.lr = '${w.hostile.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` },
  injection: { filter: "params.lr = '\\'; DROP TABLE runs; --'" },
  ilike: { filter: "attributes.run_name ILIKE 'RUN %'" },
  like: { filter: "tags.stage LIKE 'fin%' and params.depth NOT IN ('4')" },
  inList: { filter: "params.depth IN ('3', '5')", orderBy: ['params.depth DESC'] },
  notEqual: { filter: "tags.team != 'x'" },
  experiments: { experiments: ['churn-exp', "o'hare"], orderBy: ['tags.team ASC', 'metrics.acc ASC'] },
  missingMetricSortsLast: { orderBy: ['metrics.loss ASC'] },
  missingMetricDesc: { orderBy: ['metrics.loss DESC', 'params.depth ASC'] },
  startTime: { filter: `attributes.start_time >= ${w.T0 - 1_800_000 + 60_000} and attributes.end_time > 0` },
  noMatch: { filter: 'metrics.acc > 0.99' },
  latestNotLargest: { filter: 'metrics.loss < 0.3' },
  deletedRuns: { viewType: 'DELETED_ONLY' },
  allRunsTeamX: { viewType: 'ALL', filter: "tags.team = 'x'" },
  deletedTag: { filter: "tags.stage = 'final'", orderBy: ['tags.stage ASC'] },
});

/** Every analytics query's answer on one engine (errors are answers too: their codes). */
export async function answers(client: ClickHouseClient, db: string, w: World) {
  const deps = { client, database: db };
  const window = { from: w.T0, to: w.T0 + 3_600_000 };
  const code = (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code ?? String(e));
  const search: Record<string, unknown> = {};
  for (const [name, input] of Object.entries(searches(w))) search[name] = await searchRuns(deps, input);
  const page1 = search.page1 as Awaited<ReturnType<typeof searchRuns>>;
  search.page2 = await searchRuns(deps, { ...searches(w).page1, pageToken: page1.nextPageToken! });
  return {
    health: {
      twoMinutes: await modelHealth(deps, { model: 'churn', ...window, bucketSeconds: 120 }),
      oneMinuteV2: await modelHealth(deps, { model: 'churn', ...window, versions: [2] }),
      hourAllVersions: await modelHealth(deps, { model: 'churn', ...window, bucketSeconds: 3600, versions: [1, 2, 3] }),
      unknownModel: await modelHealth(deps, { model: "it's not", ...window }),
    },
    compare: {
      byAlias: await compareVersions(deps, { model: 'churn', champion: { alias: 'champion' }, challenger: { alias: 'challenger' }, ...window }),
      byNumber: await compareVersions(deps, { model: 'churn', champion: 2, challenger: 1, from: w.T0 + 60_000, to: w.T0 + 120_000 }),
      noTraffic: await compareVersions(deps, { model: 'churn', champion: 1, challenger: 7, ...window }),
      deletedAlias: await code(compareVersions(deps, { model: 'churn', champion: { alias: 'old' }, challenger: 2, ...window })),
    },
    search,
    metricHistory: {
      runA: await metricHistory(deps, { runId: 'run-a', key: 'acc' }),
      limited: await metricHistory(deps, { runId: 'run-a', key: 'acc', maxResults: 2 }),
      none: await metricHistory(deps, { runId: 'run-x', key: 'acc' }),
    },
    modelVersions: {
      churn: await modelVersions(deps, { model: 'churn' }),
      none: await modelVersions(deps, { model: 'nope' }),
      scratch: await modelVersions(deps, { model: 'scratch-model' }),
      gone: await modelVersions(deps, { model: 'gone-model' }),
    },
    drift: {
      all: await driftHistory(deps, { model: 'churn', version: 1 }),
      window: await driftHistory(deps, { model: 'churn', from: w.T0 + 60_000, to: w.T0 + 180_001 }),
      lastTwo: await driftHistory(deps, { model: 'churn', limit: 2 }),
      lateWindow: await driftHistory(deps, { model: 'churn', from: w.T0 + 120_000, to: w.T0 + 3_600_000 }),
    },
  };
}

export type Answers = Awaited<ReturnType<typeof answers>>;

/** Columns in declaration order, tables by name (18.16's system.columns has no `position`; JS sorts are stable). */
async function columnsOf(client: ClickHouseClient, db: string) {
  const result = await client.query({ query: `SELECT table, name, type FROM system.columns WHERE database = '${db}'`, format: 'JSONEachRow' });
  return (await result.json<{ table: string; name: string; type: string }>()).sort((a, b) => a.table.localeCompare(b.table));
}

/** Every table's rows (current-state tables as queries see them, FINAL), DateTimes as epoch seconds, in a stable order. */
export async function tableContents(client: ClickHouseClient, db: string): Promise<Record<string, unknown[]>> {
  const rows = async <T>(query: string) => (await client.query({ query, format: 'JSONEachRow' })).json<T>();
  const columns = await columnsOf(client, db);
  const engines = new Map((await rows<{ name: string; engine: string }>(`SELECT name, engine FROM system.tables WHERE database = '${db}'`)).map((t) => [t.name, t.engine]));
  const out: Record<string, unknown[]> = {};
  for (const table of [...new Set(columns.map((c) => c.table))]) {
    const engine = engines.get(table) ?? '';
    if (engine === 'MaterializedView' || engine.includes('Aggregating') || table === '_migrations' || table.startsWith('materializer_')) continue;
    const select = columns.filter((c) => c.table === table).map((c) => (c.type === 'DateTime' ? `toUInt32(${c.name}) AS ${c.name}` : c.name));
    const list = await rows<Record<string, unknown>>(`SELECT ${select.join(', ')} FROM ${db}.${table}${engine.includes('Replacing') ? ' FINAL' : ''}`);
    out[table] = list.map((r) => JSON.stringify(r)).sort().map((s) => JSON.parse(s) as unknown);
  }
  return out;
}

/** The per-minute view merged, one row per (model, version, minute). */
export const viewContents = async (client: ClickHouseClient, db: string) =>
  (await client.query({
    query: `SELECT model, version, toUInt32(minute) AS minute, countMerge(requests) AS requests, sumMerge(errors) AS errors, quantilesMerge(0.5, 0.95, 0.99)(latency) AS q FROM ${db}.model_metrics_1m GROUP BY model, version, minute ORDER BY model, version, minute`,
    format: 'JSONEachRow',
  })).json<{ model: string; version: number; minute: number; requests: string; errors: string; q: number[] }>();

/** Schema as each engine reports it: table engines (kind only) and column types. */
export async function schemaOf(client: ClickHouseClient, db: string) {
  const rows = async <T>(query: string) => (await client.query({ query, format: 'JSONEachRow' })).json<T>();
  const tables = await rows<{ name: string; engine: string }>(`SELECT name, engine FROM system.tables WHERE database = '${db}' ORDER BY name`);
  return { tables, columns: await columnsOf(client, db) };
}

export type Prediction = RecordTypes['PredictionLogged'];

/** The "Ready queries" of docs/materializer.md, comments dropped, aimed at `db` instead of `mlstream`. */
export function readyQueries(db: string): string[] {
  const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/materializer.md'), 'utf8');
  const block = /## Ready queries[\s\S]*?```sql\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  return block
    .split(/;\s*\n/)
    .map((q) => q.split('\n').filter((line) => !line.trim().startsWith('--')).join('\n').trim())
    .filter((q) => q.length > 0)
    .map((q) => q.replace(/\bmlstream\./g, `${db}.`));
}

/** Each ready query's rows, or its error code. */
export async function readyAnswers(client: ClickHouseClient, db: string): Promise<Array<{ query: string; rows?: unknown[]; error?: string }>> {
  const out: Array<{ query: string; rows?: unknown[]; error?: string }> = [];
  for (const query of readyQueries(db)) {
    try {
      out.push({ query, rows: await (await client.query({ query, format: 'JSONEachRow' })).json() });
    } catch (error) {
      out.push({ query, error: `${(error as { code?: string }).code}: ${(error as Error).message.slice(0, 200)}` });
    }
  }
  return out;
}
