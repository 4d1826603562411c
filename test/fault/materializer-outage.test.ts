import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, createSchemaRegistryClient, createSerde, resolveCatalog } from '@mlstream/kit';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics } from '../helpers/index.ts';
import { freePort, startService, type ServiceProcess } from '../helpers/processes.ts';
import { predictions } from '../fixtures/materializer/scenario.ts';

/** A TCP proxy in front of ClickHouse that the test can cut (connections in flight included) and restore. */
async function clickhouseProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((downstream) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const s of [downstream, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    downstream.pipe(upstream).pipe(downstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    async down() {
      await new Promise<void>((r) => {
        server.close(() => r());
        for (const s of sockets) s.destroy();
      });
    },
    up: () => new Promise<void>((r) => server.listen(port, '127.0.0.1', r)),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}


// ClickHouse becomes unreachable mid-stream (connections cut, inserts in flight
// included): the materializer pauses, reports not ready, retries with backoff
// and, once ClickHouse is back, has every prediction exactly once.
describe('materializer while ClickHouse is unreachable', () => {
  const prefix = `${uniqueName('matdown')}.`;
  const db = uniqueName('matdown').replace(/-/g, '_');
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('materializer-outage');
  const client = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  let service: ServiceProcess | undefined;
  let proxy: Awaited<ReturnType<typeof clickhouseProxy>> | undefined;
  const scalar = async (query: string): Promise<number> => Number((await (await client.query({ query, format: 'JSONEachRow' })).json<{ n: string }>())[0]?.n ?? 0);
  const stored = () => scalar(`SELECT count() AS n FROM ${db}.predictions`);

  afterAll(async () => {
    service?.child.kill('SIGKILL');
    await service?.exited;
    await proxy?.close().catch(() => {});
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('pauses, retries and then writes everything exactly once', async () => {
    await applyTestTopics(kafka, catalog);
    proxy = await clickhouseProxy(new URL(connections.clickhouse.url));
    const httpPort = await freePort();
    service = startService('services/materializer/src/main.ts', {
      MLSTREAM_TOPIC_PREFIX: prefix,
      MLSTREAM_CLICKHOUSE_DATABASE: db,
      MLSTREAM_CLICKHOUSE_URL: proxy.url,
      MLSTREAM_HTTP_PORT: String(httpPort),
      MLSTREAM_LOG_LEVEL: 'warn',
      MLSTREAM_MATERIALIZER_MAX_EVENTS: '1000',
      MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '100',
      MLSTREAM_MATERIALIZER_RETRY_MAX_MS: '1000',
    });
    const ready = async () => (await fetch(`http://127.0.0.1:${httpPort}/readyz`).catch(() => undefined))?.status;
    await waitFor(async () => (await ready()) === 200, { what: 'materializer ready', timeoutMs: 40_000 });

    const TOTAL = 10_000;
    const models = ['churn', 'fraud', 'upsell'];
    const values = predictions(TOTAL, { seed: 5 }).map((v, i) => ({ ...v, model: models[i % models.length]! }));
    const encoded = await Promise.all(values.map((v) => serde.encode('PredictionLogged', v)));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const topic = catalog.topic('predictions');
    const per = TOTAL / 10;
    for (let i = 0; i < 10; i++) {
      await producer.send({ topic, acks: -1, messages: encoded.slice(i * per, (i + 1) * per).map((e) => e.message) });
      if (i === 2) {
        await waitFor(async () => (await stored()) > 0, { what: 'first rows', timeoutMs: 30_000 });
        await proxy.down();
      }
      if (i === 8) {
        // Up again only once the materializer has seen the outage: not ready, and retrying a failed insert.
        await waitFor(async () => (await ready()) === 503, { what: 'readiness to report the ClickHouse outage', timeoutMs: 30_000 });
        await waitFor(() => service!.output().includes('materializer.clickhouse_retry'), { what: 'an insert retried during the outage', timeoutMs: 30_000 });
        await proxy.up();
      }
    }
    await producer.disconnect();
    await waitFor(async () => (await stored()) >= TOTAL, { what: `${TOTAL} predictions`, timeoutMs: 40_000, intervalMs: 250 }).catch((error: Error) => {
      throw new Error(`${error.message}; output:\n${service!.output().slice(-3_000)}`);
    });
    await waitFor(async () => (await ready()) === 200, { what: 'readiness after the outage', timeoutMs: 30_000 });
    // Stop it (it flushes and exits): nothing can be written after this, so a late duplicate would be counted below.
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(await stored()).toBe(TOTAL);
    expect(await scalar(`SELECT count() AS n FROM (SELECT _partition, _offset FROM ${db}.predictions GROUP BY _partition, _offset HAVING count() > 1)`)).toBe(0);
    expect(await scalar(`SELECT uniqExact(request_id) AS n FROM ${db}.predictions`)).toBe(TOTAL);
    expect(await scalar(`SELECT countMerge(requests) AS n FROM ${db}.model_metrics_1m`)).toBe(TOTAL);
  });
});
