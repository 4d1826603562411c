import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, createSchemaRegistryClient, createSerde, resolveCatalog } from '@mlstream/kit';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';
import { predictions } from '../fixtures/materializer/scenario.ts';

// SIGKILL the materializer three times while 20 000 predictions stream in, with
// a second instance joining (rebalance) and later leaving with SIGTERM: every
// offset is in ClickHouse exactly once afterwards, and the per-minute view
// counts each prediction exactly once too.
describe('materializer under SIGKILL', () => {
  const prefix = `${uniqueName('matcrash')}.`;
  const db = uniqueName('matcrash').replace(/-/g, '_');
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('materializer-crash');
  const client = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const running: ServiceProcess[] = [];
  const env = {
    MLSTREAM_TOPIC_PREFIX: prefix,
    MLSTREAM_CLICKHOUSE_DATABASE: db,
    MLSTREAM_LOG_LEVEL: 'warn',
    MLSTREAM_MATERIALIZER_MAX_EVENTS: '1500',
    MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '150',
    MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: '6000',
    MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS: '6000',
  };
  const spawn = (extra: Record<string, string> = {}) => {
    const p = startService('services/materializer/src/main.ts', { ...env, ...extra });
    running.push(p);
    return p;
  };
  const scalar = async (query: string): Promise<number> => {
    const rows = await (await client.query({ query, format: 'JSONEachRow' })).json<{ n: string }>();
    return Number(rows[0]?.n ?? 0);
  };
  const stored = () => scalar(`SELECT count() AS n FROM ${db}.predictions`);
  const migrated = () => scalar(`SELECT count() AS n FROM system.tables WHERE database = '${db}' AND name = 'model_metrics_1m_mv'`);

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited)); // none may re-create the database after the drop
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('loses and duplicates nothing across repeated SIGKILLs', async () => {
    await applyTestTopics(kafka, catalog);
    const TOTAL = 20_000;
    // Three models (the topic key), so several partitions are in flight when the kill lands.
    const models = ['churn', 'fraud', 'upsell'];
    const values = predictions(TOTAL, { seed: 11 }).map((v, i) => ({ ...v, model: models[i % models.length]! }));
    const encoded = await Promise.all(values.map((v) => serde.encode('PredictionLogged', v)));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const topic = catalog.topic('predictions');
    let current = spawn();
    await waitFor(migrated, { what: 'migrations', timeoutMs: 30_000 });
    const kills: number[] = [];
    let helper: ServiceProcess | undefined;
    const SLICES = 20;
    const per = TOTAL / SLICES;
    for (let i = 0; i < SLICES; i++) {
      await producer.send({ topic, acks: -1, messages: encoded.slice(i * per, (i + 1) * per).map((e) => e.message) });
      if (i === 3 || i === 9 || i === 15) {
        // Kill while it is busy: this instance has inserted rows, more are arriving.
        const floor = kills[kills.length - 1] ?? 0;
        const before = await waitFor(async () => { const n = await stored(); return n > floor && n; }, { what: 'progress before the kill', timeoutMs: 40_000, intervalMs: 20 }).catch((error: Error) => {
          throw new Error(`${error.message}; materializer output:\n${current.output().slice(-3_000)}`);
        });
        // ... at a different moment each time: right after the first insert seen, or after one or two more
        // inserts became visible (other partitions' inserts of the same flush may still be in flight).
        let seen = before;
        for (let more = 0; more < kills.length && seen < (i + 1) * per; more++) {
          seen = await waitFor(async () => { const n = await stored(); return n > seen && n; }, { what: 'another insert', timeoutMs: 40_000, intervalMs: 20 });
        }
        current.child.kill('SIGKILL');
        await current.exited;
        kills.push(before);
        if (process.env.MLSTREAM_TEST_VERBOSE) console.log(`kill ${kills.length}: ${before} rows stored, ${(i + 1) * per} produced`);
        current = spawn();
      }
      if (i === 6) helper = spawn({ MLSTREAM_LOG_LEVEL: 'info' }); // the group rebalances over two instances
      if (i === 12) {
        // A graceful stop flushes its buffers before it leaves the group. Wait until it runs:
        // a SIGTERM while node is still loading the module exits by signal, before any handler exists.
        await waitFor(() => helper!.output().includes('service.started'), { what: 'the second materializer to start', timeoutMs: 60_000 });
        helper!.child.kill('SIGTERM');
        expect(await helper!.exited).toBe(0);
      }
    }
    await producer.disconnect();
    await waitFor(async () => (await stored()) >= TOTAL, { what: `${TOTAL} predictions in ClickHouse`, timeoutMs: 60_000, intervalMs: 250 }).catch((error: Error) => {
      throw new Error(`${error.message}; ${TOTAL} produced; materializer output:\n${current.output().slice(-3_000)}`);
    });
    // Stop the last instance (it flushes and exits): nothing can be written after this, so a late duplicate would be counted below.
    current.child.kill('SIGTERM');
    expect(await current.exited).toBe(0);
    expect(kills.length).toBe(3);
    expect(kills[kills.length - 1]).toBeLessThan(TOTAL);

    expect(await stored()).toBe(TOTAL);
    expect(await scalar(`SELECT count() AS n FROM (SELECT _partition, _offset FROM ${db}.predictions GROUP BY _partition, _offset HAVING count() > 1)`)).toBe(0);
    expect(await scalar(`SELECT uniqExact(request_id) AS n FROM ${db}.predictions`)).toBe(TOTAL);
    // Every Kafka offset of every partition is present: per partition, count = max + 1 = high watermark.
    const offsets = await kafka.admin();
    await offsets.connect();
    const high = await offsets.fetchTopicOffsets(topic);
    await offsets.disconnect();
    const perPartition = await (await client.query({ query: `SELECT _partition AS p, count() AS n, max(_offset) AS m FROM ${db}.predictions GROUP BY p ORDER BY p`, format: 'JSONEachRow' })).json<{ p: number; n: string; m: string }>();
    expect(perPartition.map((r) => [r.p, Number(r.n), Number(r.m) + 1])).toEqual(high.filter((h) => Number(h.high) > 0).map((h) => [h.partition, Number(h.high), Number(h.high)]).sort((a, b) => a[0]! - b[0]!));
    // The materialized view counted each prediction once.
    expect(await scalar(`SELECT countMerge(requests) AS n FROM ${db}.model_metrics_1m`)).toBe(TOTAL);
    expect(await scalar(`SELECT sumMerge(errors) AS n FROM ${db}.model_metrics_1m`)).toBe(values.filter((v) => v.error).length);
  });
});
