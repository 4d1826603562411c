import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { createClickHouse, resolveCatalog, type ClickHouseClient } from '@mlstream/kit';
import { createDatabase, migrationsTable, planMigrations, readMigrationFiles, sql } from '@mlstream/materializer';
import { connections, uniqueName } from '../helpers/index.ts';
import { parse } from 'yaml';
import { ensurePythonEnv, startPythonServer, testRequirements, type PythonServer } from '../helpers/python.ts';
import { answers, load, readyAnswers, schemaOf, tableContents, viewContents, world, type Answers } from './read-model-run.ts';

// docker-compose deploys a current ClickHouse (25.8); the local stack runs
// Debian's 18.16. This file runs the same scenario through the real code
// (migration runner, materializer writer, analytics queries) on 18.16 from
// the shared stack and on two current engines in-process through chdb, each
// behind a small HTTP shim (test/python/chdb_http.py) that @clickhouse/client
// talks to unchanged: the version docker-compose deploys, and the newest
// chdb. Answers are checked against expectations computed here, and every
// current engine must agree with 18.16 on every table row and every answer
// (docs/clickhouse.md).
const python = path.resolve(import.meta.dirname, '../python');
const shim = path.join(python, 'chdb_http.py');
const composeTag = String((parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../docker-compose.yml'), 'utf8')) as { services: { clickhouse: { image: string } } }).services.clickhouse.image.split(':')[1]);
const currentEngines = [
  { label: 'docker-compose', requirements: path.join(python, 'requirements-clickhouse-25.8.txt'), venv: 'clickhouse-25.8' },
  { label: 'newest', requirements: testRequirements, venv: 'venv' },
];

interface Engine {
  name: string;
  client: ClickHouseClient;
  /** The shim's URL (current engines only). */
  url?: string;
  version: string;
  loaded: Awaited<ReturnType<typeof load>>;
  answers: Answers;
  schema: Awaited<ReturnType<typeof schemaOf>>;
  tables: Awaited<ReturnType<typeof tableContents>>;
  view: Awaited<ReturnType<typeof viewContents>>;
  hostileParam: string | undefined;
  ready: Awaited<ReturnType<typeof readyAnswers>>;
}

/** Deep equality where numbers may differ in the last bits (18.16 parses JSON floats with a fast, not exact, parser). */
function expectSame(actual: unknown, expected: unknown, where = '$'): void {
  if (typeof expected === 'number' && typeof actual === 'number') {
    const tolerance = 1e-9 * Math.max(1, Math.abs(expected));
    if (Math.abs(actual - expected) > tolerance) expect.fail(`${where}: ${actual} != ${expected}`);
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) expect.fail(`${where}: ${JSON.stringify(actual)?.slice(0, 300)} != ${JSON.stringify(expected).slice(0, 300)}`);
    expected.forEach((e, i) => expectSame((actual as unknown[])[i], e, `${where}[${i}]`));
    return;
  }
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') expect.fail(`${where}: ${JSON.stringify(actual)} is not an object`);
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual as object)])].sort();
    for (const k of keys) expectSame((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k], `${where}.${k}`);
    return;
  }
  if (actual !== expected) expect.fail(`${where}: ${JSON.stringify(actual)} != ${JSON.stringify(expected)}`);
}

const quantile = (values: number[], q: number) => {
  const s = [...values].sort((a, b) => a - b);
  const i = q * (s.length - 1);
  const lo = Math.floor(i);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (i - lo);
};

describe('current ClickHouse (chdb 25.8 and newest): migrations, a materializer batch and every analytics query agree with 18.16', () => {
  const catalog = resolveCatalog(`${uniqueName('chdb')}.`);
  const db = uniqueName('chdb').replace(/-/g, '_');
  const w = world(catalog);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstream-chdb-'));
  const servers: PythonServer[] = [];
  const venvMs: number[] = [];
  const engines: Engine[] = [];
  const clients: Array<{ name: string; client: ClickHouseClient; url?: string }> = [];
  const legacy = () => engines[0]!;
  const currents = () => engines.slice(1);

  beforeAll(async () => {
    // Macros make the Replicated engines' '{shard}' / '{replica}' resolvable, so their DDL is checked up to ZooKeeper.
    const config = path.join(dataDir, 'config.xml');
    fs.writeFileSync(config, '<clickhouse><macros><shard>s1</shard><replica>r1</replica></macros></clickhouse>\n');
    clients.push({ name: 'ClickHouse 18.16 (local stack)', client: createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password }) });
    for (const target of currentEngines) {
      const env = ensurePythonEnv({ requirements: target.requirements, name: target.venv });
      venvMs.push(env.ms);
      const server = await startPythonServer(env.python, shim, ['--data', path.join(dataDir, target.venv), '--config', config]);
      servers.push(server);
      const url = `http://127.0.0.1:${server.ready[1]}`;
      clients.push({ name: `ClickHouse ${server.ready[2]} (chdb, ${target.label})`, client: createClickHouse({ url }), url });
    }
    for (const { name, client, url } of clients) {
      const [{ v }] = await (await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' })).json<{ v: string }>() as [{ v: string }];
      // Everything is read right after the load: the shared 18.16 server is also cleaned up by other test runs.
      // The chdb shim passes SQL text to chdb, so binary RowBinary bodies go to 18.16 only; chdb gets JSONEachRow.
      const loaded = await load(client, db, catalog, w.drafts, url ? 'JSONEachRow' : 'RowBinary');
      const [param] = await (await client.query({ query: `SELECT value FROM ${db}.run_params WHERE run_id = 'run-c' AND key = 'lr'`, format: 'JSONEachRow' })).json<{ value: string }>();
      engines.push({
        name, client, ...(url ? { url } : {}), version: v, loaded, answers: await answers(client, db, w),
        schema: await schemaOf(client, db), tables: await tableContents(client, db), view: await viewContents(client, db), hostileParam: param?.value,
        ready: await readyAnswers(client, db),
      });
    }
  }, 600_000);

  afterAll(async () => {
    for (const { client } of clients) {
      await client.command({ query: `DROP DATABASE IF EXISTS ${db}` }).catch(() => {});
      await client.close();
    }
    for (const server of servers) await server.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("talks to 18.16, to docker-compose's ClickHouse version and to a newer one through the shim", () => {
    console.log(`engines: ${engines.map((e) => `${e.name} = ${e.version}`).join('; ')}; python venvs ${venvMs.join(' / ')} ms`);
    const [compose, newest] = currents();
    expect(legacy().version).toMatch(/^18\.16\./);
    // The pin in requirements-clickhouse-25.8.txt follows the image docker-compose.yml deploys.
    expect(compose!.version.split('.').slice(0, 2).join('.'), `docker-compose deploys clickhouse-server:${composeTag}; pin the chdb that embeds it`).toBe(composeTag);
    const [major, minor] = newest!.version.split('.').map(Number);
    expect(major! * 100 + minor!).toBeGreaterThanOrEqual(Number(composeTag.split('.')[0]) * 100 + Number(composeTag.split('.')[1]));
    // Each venv is cached: a second call finds its stamp and installs nothing.
    for (const target of currentEngines) expect(ensurePythonEnv({ requirements: target.requirements, name: target.venv }).installed).toBe(false);
  });

  it('applies every migration on every engine, a second run skips them, and all report the same tables and column types', () => {
    const names = readMigrationFiles().map((f) => f.name);
    for (const e of engines) {
      expect(e.loaded.first, e.name).toEqual({ applied: names, skipped: [] });
      expect(e.loaded.second, e.name).toEqual({ applied: [], skipped: names });
    }
    // The view's own columns are inferred from its SELECT: 18.16 types toStartOfMinute() as DateTime('<server zone>'),
    // current versions as DateTime. The table it writes to has the declared DateTime on both.
    const inferred = (c: { table: string; type: string }) => (c.table === 'model_metrics_1m_mv' ? { ...c, type: c.type.replace(/^DateTime\('[^']*'\)$/, 'DateTime') } : c);
    const a = legacy().schema;
    for (const { name, schema: b } of currents()) {
      expect(b.tables.length, name).toBe(40); // 34 event tables (round 5's validation, quality, webhook, retrain-job and feature tables included), the per-minute view and its table, the experiments view, two progress tables, _migrations
      expect(b.tables.map((t) => t.name), name).toContain('_migrations');
      expect(b.tables, name).toEqual(a.tables);
      expect(b.columns.map(inferred), name).toEqual(a.columns.map(inferred));
    }
  });

  it.each(currentEngines.map((t, i) => [t.label, i] as const))('cluster DDL (ON CLUSTER, Replicated engines) parses on current ClickHouse (%s) and is valid up to ZooKeeper', async (_label, i) => {
    const topology = { database: 'mls', cluster: 'prod' };
    const statements = [createDatabase(topology), migrationsTable(topology), ...planMigrations(readMigrationFiles(), topology).flatMap((m) => m.statements)];
    // Its own client, silent: every table statement below is expected to fail, and @clickhouse/client logs each failure.
    const client = createClient({ url: currents()[i]!.url!, log: { level: ClickHouseLogLevel.OFF } });
    await client.command({ query: 'CREATE DATABASE IF NOT EXISTS mls' });
    try {
      for (const statement of statements) {
        // Parse only: the statement as written, ON CLUSTER included (no cluster is configured here).
        const [{ f }] = (await (await client.query({ query: sql`SELECT formatQuery(${statement}) AS f`.text, format: 'JSONEachRow' })).json<{ f: string }>()) as [{ f: string }];
        expect(f, statement.slice(0, 80)).toContain('ON CLUSTER prod');
        // Run the table DDL without ON CLUSTER: engine arguments, columns, keys and version columns are all
        // checked before ClickHouse looks for ZooKeeper, so NO_ZOOKEEPER (225) is the only acceptable failure.
        if (!/^CREATE TABLE/.test(statement)) continue;
        expect(statement).toMatch(/ENGINE = Replicated\w*MergeTree\('\/clickhouse\/tables\/\{shard\}\/mls\/\w+', '\{replica\}'/);
        const error = await client.command({ query: statement.replace(' ON CLUSTER prod', '') }).then(() => undefined, (e: { code?: string; message: string }) => e);
        expect(error?.code, `${statement.slice(0, 80)}: ${error?.message}`).toBe('225');
      }
    } finally {
      await client.command({ query: 'DROP DATABASE IF EXISTS mls' });
      await client.close();
    }
    expect(statements.filter((s) => s.startsWith('CREATE TABLE')).length).toBe(38);
    expect(statements.filter((s) => s.startsWith('CREATE VIEW'))).toHaveLength(1);
  });

  it('writes the same rows on every engine: every table, byte for byte, Kafka coordinates included', () => {
    const counts = (tables: Engine['tables']) => Object.fromEntries(Object.entries(tables).map(([t, rows]) => [t, rows.length]));
    expect(counts(legacy().tables)).toEqual({
      aliases: 4, command_results: 2, datasets: 2, dead_letters: 1, drift_detections: 1, drift_measurements: 3, labels: w.labels.length,
      predictions: w.preds.length, retrain_requests: 1, run_artifacts: 3, run_inputs: 3, run_metrics: 8, run_params: 6, run_tags: 7, runs: 4,
      ...w.mlflow.counts, model_versions: 2 + w.mlflow.counts.model_versions, stage_history: 4 + w.mlflow.counts.stage_history, run_lifecycle: w.mlflow.counts.run_lifecycle + 3, experiments: 2,
      // Round 5 tables this batch has no events for.
      retrain_jobs: 0, webhook_deliveries: 0, expectation_suites: 0, dataset_validations: 0, quality_measurements: 0, quality_failures: 0, feature_values: 0, feature_skew: 0,
    });
    for (const c of currents()) {
      expect(c.loaded.inserts, c.name).toBe(legacy().loaded.inserts);
      expectSame(c.tables, legacy().tables, c.name);
    }
    for (const e of engines) expect(e.hostileParam, e.name).toBe(w.hostile);
  });

  it('the per-minute view aggregates every prediction once, with the same quantiles on every engine', () => {
    const expected = new Map<string, { n: number; e: number; lat: number[] }>();
    for (const p of w.preds) {
      const k = `${p.version}/${Math.floor(p.occurredAt / 60_000) * 60}`;
      const cur = expected.get(k) ?? { n: 0, e: 0, lat: [] };
      expected.set(k, { n: cur.n + 1, e: cur.e + (p.error ? 1 : 0), lat: [...cur.lat, p.latencyMs] });
    }
    for (const { name, view } of engines) {
      expect(view.length, name).toBe(expected.size);
      for (const row of view) {
        const want = expected.get(`${row.version}/${row.minute}`)!;
        expect([Number(row.requests), Number(row.errors)], name).toEqual([want.n, want.e]);
        row.q.forEach((q, i) => expect(q, name).toBeCloseTo(quantile(want.lat, [0.5, 0.95, 0.99][i]!), 6));
      }
    }
    for (const c of currents()) expectSame(c.view, legacy().view, c.name);
  });

  it('model health and champion vs challenger: expected figures, same on every engine', () => {
    for (const { name, answers: got } of engines) {
      const points = got.health.twoMinutes;
      expect(points.map((p) => [p.version, p.bucketStart]), name).toEqual([1, 2].flatMap((v) => [0, 1].map((b) => [v, w.T0 + b * 120_000])));
      for (const point of points) {
        const inBucket = w.preds.filter((p) => p.version === point.version && p.occurredAt >= point.bucketStart && p.occurredAt < point.bucketStart + 120_000);
        expect([point.requests, point.errors], name).toEqual([inBucket.length, inBucket.filter((p) => p.error).length]);
        expect(point.latencyMs.p95, name).toBeCloseTo(quantile(inBucket.map((p) => p.latencyMs), 0.95), 6);
      }
      expect(got.health.oneMinuteV2.every((p) => p.version === 2) && got.health.oneMinuteV2.length, name).toBe(3);
      expect(got.health.hourAllVersions.map((p) => [p.version, p.requests]), name).toEqual([[1, 300], [2, 300]]);
      expect(got.health.unknownModel, name).toEqual([]);
      const { champion, challenger } = got.compare.byAlias;
      for (const [report, version] of [[champion, 1], [challenger, 2]] as const) {
        const mine = w.preds.filter((p) => p.version === version);
        const labeled = w.labels.filter((l) => mine.some((p) => p.requestId === l.requestId));
        const correct = labeled.filter((l) => mine.find((p) => p.requestId === l.requestId)!.prediction === l.label).length;
        expect([report.version, report.requests, report.labeled], name).toEqual([version, mine.length, labeled.length]);
        expect(report.errorRate, name).toBeCloseTo(mine.filter((p) => p.error).length / mine.length, 12);
        expect(report.accuracy, name).toBeCloseTo(correct / labeled.length, 12);
        expect(report.prediction!.mean, name).toBeCloseTo(mine.reduce((s, p) => s + (p.prediction as number), 0) / mine.length, 12);
        expect(report.topPredictions.reduce((s, t) => s + t.count, 0), name).toBe(mine.length);
      }
      expect(got.compare.byNumber.champion.version, name).toBe(2);
      expect(got.compare.noTraffic.challenger, name).toMatchObject({ version: 7, requests: 0, labeled: 0, accuracy: null, prediction: null, topPredictions: [] });
      expect(got.compare.deletedAlias, name).toBe('ALIAS_NOT_FOUND');
    }
    for (const c of currents()) {
      expectSame(c.answers.health, legacy().answers.health, `${c.name} health`);
      expectSame(c.answers.compare, legacy().answers.compare, `${c.name} compare`);
    }
  });

  it('run search: the MLflow filter compiler finds the same runs in the same order on every engine', () => {
    const ids = (a: Answers, name: string) => (a.search[name] as { runs: Array<{ runId: string }> }).runs.map((r) => r.runId);
    const expected: Record<string, string[]> = {
      metricAndTag: ['run-c', 'run-a'], page1: ['run-a', 'run-b'], page2: ['run-c'], paramAndStatus: ['run-b'], hostileExact: ['run-c'], injection: [],
      ilike: ['run-c', 'run-b', 'run-a'], like: ['run-c', 'run-a'], inList: ['run-c', 'run-a'], notEqual: ['run-b'], experiments: ['run-a', 'run-c', 'run-b'],
      missingMetricSortsLast: ['run-b', 'run-c', 'run-a'], missingMetricDesc: ['run-b', 'run-a', 'run-c'], startTime: ['run-b'], noMatch: [], latestNotLargest: ['run-b'],
      deletedRuns: ['run-d'], allRunsTeamX: ['run-d', 'run-c', 'run-a'], deletedTag: ['run-c', 'run-a'],
    };
    for (const { name, answers: got } of engines) {
      expect(Object.fromEntries(Object.keys(expected).map((k) => [k, ids(got, k)])), name).toEqual(expected);
      const [first] = (got.search.metricAndTag as { runs: Array<Record<string, unknown>> }).runs;
      expect(first, name).toMatchObject({ runId: 'run-c', metrics: { acc: 0.95 }, params: { lr: w.hostile, depth: '5' }, tags: { team: 'x', stage: 'final' }, endTime: null });
      // run-b's stage tag was deleted: not shown.
      expect((got.search.paramAndStatus as { runs: Array<{ tags: unknown }> }).runs[0]!.tags, name).toEqual({ team: 'y' });
    }
    for (const c of currents()) expectSame(c.answers.search, legacy().answers.search, `${c.name} search`);
  });

  it('metric history, stage history / registry with lineage, and drift history: expected answers, same on every engine', () => {
    for (const { name, answers: got } of engines) {
      expect(got.metricHistory.runA.map((p) => [p.step, p.value]), name).toEqual([[0, 0.7], [1, 0.8], [2, 0.93]]);
      expect(got.metricHistory.limited.length, name).toBe(2);
      expect(got.metricHistory.none, name).toEqual([]);
      const versions = got.modelVersions.churn;
      expect(versions.map((v) => [v.version, v.currentStage, v.aliases]), name).toEqual([[1, 'PRODUCTION', ['champion']], [2, 'DEVELOPMENT', ['challenger']]]);
      expect(versions[0]!.stageHistory.map((s) => [s.fromStage, s.toStage]), name).toEqual([[null, 'DEVELOPMENT'], ['DEVELOPMENT', 'STAGING'], ['STAGING', 'PRODUCTION']]);
      expect(versions[0]!.stageHistory[2]!.gate, name).toEqual({ metric: 'acc', passed: true, candidate: 0.93, threshold: 0.9 });
      expect(versions[0]!.lineage.run, name).toMatchObject({ status: 'FINISHED', codeVersion: 'git-0', params: { lr: '0.01', depth: '3' }, metrics: { acc: 0.93 } });
      expect(versions[1]!.lineage.run!.metrics, name).toEqual({ acc: 0.85, loss: 0.25 });
      expect(versions[0]!.lineage.datasets, name).toEqual([{ datasetId: 'customers', version: 'v1', context: 'training', contentSha256: 'sha-v1', uri: 's3://data/customers/v1', rowCount: 1000, source: { topic: catalog.topic('ingestion'), partition: 0, offset: 0 } }]);
      expect(versions[1]!.lineage.datasets.map((d) => [d.version, d.rowCount]), name).toEqual([['v2', 1200]]);
      expect(got.modelVersions.none, name).toEqual([]);
      expect(versions[1]!.description, name).toBe('v2 notes');
      expect(got.modelVersions.scratch.map((v) => v.version), name).toEqual([2]);
      expect(got.modelVersions.gone, name).toEqual([]);
      const h = got.drift.all;
      expect(h.measurements.map((m) => [m.windowIndex, m.datasetDrift, m.accuracy]), name).toEqual([[0, false, 0.9], [1, false, 0.8], [2, true, expect.closeTo(0.7, 12)]]);
      expect(h.measurements[0]!.features, name).toEqual([
        { feature: 'age', test: 'ks', statistic: 0.1, pValue: 0.5, drifted: false },
        { feature: 'plan', test: 'jensenshannon', statistic: 0.05, pValue: null, drifted: false },
      ]);
      expect(h.detections, name).toEqual([expect.objectContaining({ windowId: 'churn/1/COUNT/2', driftedFeatures: ['age'], measurementIds: [h.measurements[2]!.eventId] })]);
      expect(h.retrains, name).toEqual([expect.objectContaining({ idempotencyKey: 'churn-1-w2', requestedBy: 'drift-detector', evidenceEventIds: [h.measurements[2]!.eventId] })]);
      expect([got.drift.window.measurements.map((m) => m.windowIndex), got.drift.window.detections.length, got.drift.window.retrains.length], name).toEqual([[1, 2], 1, 0]);
      expect(got.drift.lastTwo.measurements.map((m) => m.windowIndex), name).toEqual([1, 2]);
      expect(got.drift.lateWindow.measurements.map((m) => m.windowIndex), name).toEqual([2]);
    }
    for (const c of currents()) {
      expectSame(c.answers.metricHistory, legacy().answers.metricHistory, `${c.name} metricHistory`);
      expectSame(c.answers.modelVersions, legacy().answers.modelVersions, `${c.name} modelVersions`);
      expectSame(c.answers.drift, legacy().answers.drift, `${c.name} drift`);
    }
  });

  it('the ready queries of docs/materializer.md run on every engine, with the same answers', () => {
    // Query 16's max(updated_at) is the wall clock of each engine's load; the rest is a function of the events.
    // Rows are compared as sets: some queries order by a count that ties, and engines break ties differently.
    const stable = (r: Engine['ready'][number]) => {
      const rows = r.query.includes('materializer_progress') ? r.rows?.map((row) => ({ ...(row as object), at: '' })) : r.rows;
      return { ...r, query: '', rows: rows?.map((row) => JSON.stringify(row)).sort().map((row) => JSON.parse(row) as unknown) };
    };
    expect(legacy().ready.length).toBe(24);
    for (const e of engines) expect(e.ready.filter((r) => r.error).map((r) => `${r.error}\n${r.query}`), e.name).toEqual([]);
    expect(legacy().ready.filter((r) => r.rows!.length > 0).length).toBeGreaterThanOrEqual(18);
    for (const c of currents()) expectSame(c.ready.map(stable), legacy().ready.map(stable), `${c.name} ready queries`);
  });

  it('the escaping helper round-trips hostile text through current ClickHouse', async () => {
    const nasty = ["'", '\\', "\\'", '\0', 'a\0b', '\x07\b\f\v\n\r\t', '\x01\x1f\x7f', '-- x', '/* y */', '𝔘 “q” naïve', "'); DROP TABLE runs; --", '\u2028', w.hostile];
    for (const { name, client } of currents()) {
      for (const text of nasty) {
        const [row] = await (await client.query({ query: sql`SELECT ${text} AS v`.text, format: 'JSONEachRow' })).json<{ v: string }>();
        expect(row!.v, `${name}: ${JSON.stringify(text)}`).toBe(text);
      }
    }
  });
});
