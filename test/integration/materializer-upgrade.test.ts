import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, createSchemaRegistryClient, createSerde, experimentIdOf, resolveCatalog, type ClickHouseClient, type DecodedEvent } from '@mlstream/kit';
import { Sql, createStore, legacyProgressTables, migrate, readMigrationFiles, runMaterializerService, writeBatch, type RunningMaterializer, type Store } from '@mlstream/materializer';
import { applyTestTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';

// Upgrading a read model that an older materializer filled: migration 003 adds
// tables to the runs topic, whose deletions and tag deletions the old one read
// without writing them anywhere. The per-table resume hints must make the new
// materializer re-read the partition for the new tables only: history filled
// in, nothing written twice in the old tables.
describe('materializer upgrade: a table new to an already materialized topic is filled from the start', () => {
  const prefix = `${uniqueName('matup')}.`;
  const db = uniqueName('matup').replace(/-/g, '_');
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('matup');
  const client: ClickHouseClient = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: db, MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200', MLSTREAM_LOG_LEVEL: process.env.MLSTREAM_TEST_LOG_LEVEL ?? 'silent', MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: '6000' };
  let service: RunningMaterializer | undefined;
  const count = async (query: string) => Number((await (await client.query({ query, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);

  afterAll(async () => {
    await service?.stop();
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('fills run_lifecycle and run_tag_deletions with the history and adds no row to runs or run_tags', async () => {
    await applyTestTopics(kafka, catalog);
    const c = (v: number) => ({ eventId: crypto.randomUUID(), occurredAt: 1_764_201_600_000 + v, commandId: `c${v}`, actor: 'ana', aggregateVersion: v, runId: 'r1' });
    const drafts = [
      { type: 'RunStarted', value: { ...c(1), experiment: 'churn', experimentId: null, name: 'fit', tags: { team: 'x', stage: 'final' }, codeVersion: null, status: 'RUNNING' } },
      { type: 'TagDeleted', value: { ...c(2), key: 'stage' } },
      { type: 'RunDeleted', value: { ...c(3) } },
    ] as const;
    const encoded = await Promise.all(drafts.map((d) => serde.encode(d.type, d.value as never)));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const [meta] = await producer.send({ topic: catalog.topic('runs'), acks: -1, messages: encoded.map((e) => e.message) });
    await producer.disconnect();
    const partition = meta!.partition;
    const topic = catalog.topic('runs');

    // The old materializer: migrations 001 and 002, the runs tables of 001, one per-partition progress row.
    expect((await migrate({ client, database: db, files: readMigrationFiles().slice(0, 2) })).applied).toHaveLength(2);
    const store = createStore(client, new Sql(db));
    const oldStore: Store = {
      ...store,
      recordProgress: async (t, p, offset) => {
        await client.insert({ table: `${db}.materializer_progress`, values: [{ topic: t, partition: p, offset, updated_at: 0 }], format: 'JSONEachRow' });
      },
    };
    const events = drafts.map((e, i) => ({ type: e.type, value: e.value, schemaId: 1, topic, partition, offset: String(i), key: 'r1', headers: {} }) as unknown as DecodedEvent);
    const oldTables = (['runs', 'run_params', 'run_metrics', 'run_tags', 'run_inputs', 'run_artifacts'] as const).filter((t) => legacyProgressTables.has(t));
    await writeBatch(oldStore, oldTables, events, { tables: new Map(oldTables.map((t) => [t, -1])), progress: -1 }, 2, topic, partition);
    expect(await count(`SELECT count() AS n FROM ${db}.runs`)).toBe(1);
    expect(await count(`SELECT count() AS n FROM ${db}.run_tags`)).toBe(2);

    // The new materializer applies 003 and resumes.
    service = await runMaterializerService({ env, signals: false });
    await waitFor(async () => (await count(`SELECT count() AS n FROM ${db}.run_lifecycle`)) === 2 && (await count(`SELECT count() AS n FROM ${db}.run_tag_deletions`)) === 1, {
      what: 'the new tables filled from the partition start', timeoutMs: 30_000, intervalMs: 250,
    });
    const lifecycle = await (await client.query({ query: `SELECT action, experiment_id, _offset FROM ${db}.run_lifecycle ORDER BY _offset`, format: 'JSONEachRow' })).json();
    expect(lifecycle).toEqual([{ action: 'STARTED', experiment_id: experimentIdOf('churn'), _offset: '0' }, { action: 'DELETED', experiment_id: '', _offset: '2' }]);
    // Per-table hints now exist for every table of the topic; the old tables got nothing twice.
    await waitFor(async () => (await count(`SELECT count() AS n FROM ${db}.materializer_table_progress WHERE topic = '${topic}' AND offset = 2`)) === 8, { what: 'per-table hints', timeoutMs: 30_000, intervalMs: 250 });
    expect(await count(`SELECT count() AS n FROM ${db}.runs`)).toBe(1);
    expect(await count(`SELECT count() AS n FROM ${db}.run_tags`)).toBe(2);
  });
});
