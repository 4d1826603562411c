import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { createClickHouse, createSchemaRegistryClient, createSerde, resolveCatalog, type ClickHouseClient } from '@mlstream/kit';
import { runMaterializerService, type RunningMaterializer } from '@mlstream/materializer';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics } from '../helpers/index.ts';
import { scenario } from '../fixtures/materializer/scenario.ts';

// `mlstream replay`: every event type materialized live, then rebuilt from the
// log into fresh databases and compared table by table; a tampered live row
// is named, and the live database is never written to.
describe('mlstream replay', () => {
  const prefix = `${uniqueName('replay')}.`;
  const live = uniqueName('rlive').replace(/-/g, '_');
  const rebuilt = uniqueName('rnew').replace(/-/g, '_');
  const second = uniqueName('rtwo').replace(/-/g, '_');
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('replay');
  const client: ClickHouseClient = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: live, MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200', MLSTREAM_LOG_LEVEL: 'silent', MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: '6000' };
  const world = scenario();
  const startedAt = Date.now();
  let producer: Producer;
  let service: RunningMaterializer | undefined;

  const rows = async <T>(query: string): Promise<T[]> => (await client.query({ query, format: 'JSONEachRow' })).json<T>();
  const count = async (db: string, table: string) => Number((await rows<{ n: string }>(`SELECT count() AS n FROM ${db}.${table}`))[0]!.n);
  // Asynchronous: the live materializer runs in this process and must keep its group heartbeats going.
  const cli = async (...args: string[]) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', 'replay', ...args], { env, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    return { status, stdout, stderr, json: args.includes('--json') && stdout ? JSON.parse(stdout) : undefined };
  };
  type Table = { table: string; replayed: { rows: number } | null; live: { rows: number } | null; equal: boolean | null; note?: string };

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const encoded = await Promise.all(world.drafts.map((d) => serde.encode(d.type, d.value as never)));
    const byTopic = new Map<string, Array<(typeof encoded)[number]['message']>>();
    for (const e of encoded) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e.message]);
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    // Undecodable: the live materializer dead-letters it; the replay skips it and rebuilds dead_letters from that topic.
    await producer.send({ topic: catalog.topic('predictions'), acks: -1, messages: [{ key: 'churn', value: Buffer.from('not avro at all') }] });
    service = await runMaterializerService({ env, signals: false });
    await waitFor(async () => (await count(live, 'predictions')) === world.preds.length && (await count(live, 'labels')) === world.labels.length && (await count(live, 'dead_letters')) === 1 && (await count(live, 'retrain_requests')) === 1, {
      what: 'the live read model',
      timeoutMs: 40_000,
      intervalMs: 200,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await producer?.disconnect();
    for (const db of [live, rebuilt, second]) await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('rebuilds every table from the log into a fresh database, equal to the live one', async () => {
    const r = await cli('--database', rebuilt, '--json');
    expect(r.stderr).toMatch(/replay: .* offsets \(100%\)/);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const report = r.json as { created: boolean; read: { events: number; undecodable: unknown[] }; tables: Table[]; differences: string[] };
    expect(report.created).toBe(true);
    expect(report.differences).toEqual([]);
    expect(report.read.undecodable).toHaveLength(1);
    const byTable = new Map(report.tables.map((t) => [t.table, t]));
    expect(byTable.get('predictions')).toMatchObject({ replayed: { rows: world.preds.length }, live: { rows: world.preds.length }, equal: true });
    expect(byTable.get('labels')).toMatchObject({ replayed: { rows: world.labels.length }, equal: true });
    expect(byTable.get('runs')).toMatchObject({ replayed: { rows: 3 }, equal: true }); // FINAL: one row per run
    expect(byTable.get('dead_letters')).toMatchObject({ replayed: { rows: 1 }, equal: true });
    // The per-minute view is compared by its finalized values, and rows it aggregates are non-trivial.
    expect(byTable.get('model_metrics_1m (finalized)')?.equal).toBe(true);
    expect(byTable.get('model_metrics_1m (finalized)')?.replayed?.rows).toBeGreaterThan(1);
    expect(report.tables.every((t) => t.equal === true)).toBe(true);
  });

  it('replays a sub-range: runs started before it and tags or runs replaced after it still compare equal', async () => {
    // Every partition without its first and last record: RunFinished rows whose RunStarted lies before the
    // range, runs whose current state (FINAL) lies after it.
    const all = [0, 1, 2, 3, 4, 5];
    const r = await cli('--database', second, '--topics', 'runs,registry', '--from', all.map((p) => `${p}:1`).join(','), '--drop-after', '--json');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const full = r.json as { range: { partitions: Array<{ partition: number; end: number }> }; tables: Table[]; differences: string[] };
    const ends = full.range.partitions.filter((p) => p.end > 2);
    const to = ends.map((p) => `runs:${p.partition}:${p.end - 2}`).join(',');
    const cut = await cli('--database', second, '--topics', 'runs', '--from', all.map((p) => `${p}:1`).join(','), ...(to ? ['--to', to] : []), '--drop-after', '--json');
    expect(cut.status, cut.stdout + cut.stderr).toBe(0);
    const report = cut.json as { tables: Table[]; differences: string[] };
    expect(report.differences).toEqual([]);
    expect(report.tables.map((t) => t.table)).toEqual(['runs', 'run_params', 'run_metrics', 'run_tags', 'run_inputs', 'run_artifacts', 'run_lifecycle', 'run_tag_deletions']);
    expect(full.tables.find((t) => t.table === 'stage_history')?.equal).toBe(true);
  });

  it('resolves --from and --to given as times through the brokers\' time index', async () => {
    // Every record was produced after the test started and before now.
    const everything = await cli('--database', second, '--topics', 'predictions,feedback', '--from', String(startedAt - 60_000), '--to', new Date().toISOString(), '--drop-after', '--json');
    expect(everything.status, everything.stdout + everything.stderr).toBe(0);
    expect(everything.json.read.events).toBe(world.preds.length + world.labels.length);
    expect(everything.json.differences).toEqual([]);
    const nothing = await cli('--database', second, '--topics', 'predictions,feedback', '--from', String(Date.now() + 60_000), '--drop-after', '--json');
    expect(nothing.status, nothing.stdout + nothing.stderr).toBe(0);
    expect(nothing.json.read.events).toBe(0);
  });

  it('refuses to write into the live database or a non-empty one, before writing anything', async () => {
    const before = await count(live, 'predictions');
    const intoLive = await cli('--database', live);
    expect(intoLive.status).toBe(1);
    expect(intoLive.stderr).toContain('[REPLAY_REFUSED]');
    const intoUsed = await cli('--database', rebuilt);
    expect(intoUsed.status).toBe(1);
    expect(intoUsed.stderr).toMatch(/REPLAY_REFUSED.*already holds/);
    expect((await cli('--database', second, '--from', 'tomorrow')).stderr).toContain('[INVALID_REPLAY_OPTION]');
    expect(await count(live, 'predictions')).toBe(before);
  });

  it('names the table whose live rows were tampered with and exits 1', async () => {
    // Same row count, one value changed: only the checksum can tell.
    const [victim] = await rows<{ request_id: string }>(`SELECT request_id FROM ${live}.labels ORDER BY request_id LIMIT 1`);
    await client.command({ query: `ALTER TABLE ${live}.labels UPDATE label = 'forged' WHERE request_id = '${victim!.request_id}'` });
    await waitFor(async () => Number((await rows<{ n: string }>(`SELECT count() AS n FROM system.mutations WHERE database = '${live}' AND NOT is_done`))[0]!.n) === 0, { what: 'the mutation', timeoutMs: 20_000 });
    const r = await cli('--database', second, '--topics', 'feedback,predictions', '--drop-after', '--json');
    expect(r.status, r.stderr).toBe(1);
    const report = r.json as { dropped: boolean; tables: Table[]; differences: string[] };
    expect(report.differences).toEqual(['labels']);
    expect(report.tables.find((t) => t.table === 'labels')).toMatchObject({ replayed: { rows: world.labels.length }, live: { rows: world.labels.length }, equal: false });
    expect(report.dropped).toBe(true);
    expect(Number((await rows<{ n: string }>(`SELECT count() AS n FROM system.databases WHERE name = '${second}'`))[0]!.n)).toBe(0);
    // The human report names it too.
    const text = await cli('--database', second, '--topics', 'feedback', '--drop-after');
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/labels\s+\d+\s+\d+\s+DIFFERENT \(same count, other values\)/);
    expect(text.stdout).toContain('1 table(s) differ from');
  });
});
