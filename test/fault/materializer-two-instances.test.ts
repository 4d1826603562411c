import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, createSchemaRegistryClient, createSerde, resolveCatalog } from '@mlstream/kit';
import { applyTestTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';
import { predictions } from '../fixtures/materializer/scenario.ts';

// Two materializer instances, one SIGKILLed three times while predictions
// stream in, some of them sent twice with the same eventId (a client retry
// after a gateway restart): every prediction is in ClickHouse once, and the
// killed instance's partitions resume within 10 s (a second instance runs)
// or 20 s (it was alone), with the default session timeout.
// Mutations that make it fail: MLSTREAM_MATERIALIZER_DEDUPE_WINDOW=0 (the
// repeats are counted), MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS=30000 (the old
// default: recovery takes ~30 s).
describe('two materializer instances under SIGKILL, with repeated eventIds', () => {
  const prefix = `${uniqueName('mat2')}.`;
  const db = uniqueName('mat2').replace(/-/g, '_');
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('materializer-two');
  const client = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const running: ServiceProcess[] = [];
  const spawn = () => {
    const p = startService('services/materializer/src/main.ts', {
      MLSTREAM_TOPIC_PREFIX: prefix,
      MLSTREAM_CLICKHOUSE_DATABASE: db,
      MLSTREAM_LOG_LEVEL: 'info',
      MLSTREAM_MATERIALIZER_MAX_EVENTS: '500',
      MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '150',
    });
    running.push(p);
    return p;
  };
  const started = (p: ServiceProcess) =>
    waitFor(() => p.output().includes('service.started'), { what: 'a materializer to start', timeoutMs: 60_000 }).catch((error: Error) => {
      throw new Error(`${error.message}; output:\n${p.output().slice(-3_000)}`);
    });
  const scalar = async (query: string): Promise<number> => Number((await (await client.query({ query, format: 'JSONEachRow' })).json<{ n: string }>())[0]?.n ?? 0);
  const stored = () => scalar(`SELECT count() AS n FROM ${db}.predictions`);

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('counts every prediction once and resumes the killed instance’s work in time', async () => {
    await applyTestTopics(kafka, catalog);
    const SLICES = 10;
    const PER = 600;
    const REPEATS = 40; // per slice, resent from the previous slice with the same eventId
    const models = ['churn', 'fraud', 'upsell', 'ltv', 'spam', 'risk'];
    const values = predictions(SLICES * PER, { seed: 5 }).map((v, i) => ({ ...v, model: models[i % models.length]! }));
    const encoded = await Promise.all(values.map((v) => serde.encode('PredictionLogged', v)));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const topic = catalog.topic('predictions');
    const send = async (i: number) => {
      const fresh = encoded.slice(i * PER, (i + 1) * PER);
      const repeats = i > 0 ? encoded.slice((i - 1) * PER, (i - 1) * PER + REPEATS) : [];
      await producer.send({ topic, acks: -1, messages: [...fresh, ...repeats].map((e) => e.message) });
    };
    const caughtUp = (i: number, timeoutMs: number) =>
      waitFor(async () => (await stored()) === (i + 1) * PER, { what: `${(i + 1) * PER} predictions in ClickHouse`, timeoutMs, intervalMs: 50 });

    const instances = [spawn(), spawn()];
    await Promise.all(instances.map(started));
    const recovery: Array<{ alone: boolean; ms: number }> = [];
    for (let i = 0; i < SLICES; i++) {
      if (i === 2 || i === 4 || i === 6) {
        // Kill the one that has been running longest while it owns partitions; the other keeps running.
        const victim = instances.shift()!;
        victim.child.kill('SIGKILL');
        await victim.exited;
        const t0 = Date.now();
        await send(i);
        await caughtUp(i, 60_000);
        recovery.push({ alone: false, ms: Date.now() - t0 });
        instances.push(spawn());
        await started(instances[instances.length - 1]!);
        continue;
      }
      if (i === 8) {
        // Down to one (SIGTERM leaves the group at once), then SIGKILL the last one and restart it.
        const graceful = instances.shift()!;
        graceful.child.kill('SIGTERM');
        expect(await graceful.exited).toBe(0);
        await send(i);
        await caughtUp(i, 60_000);
        const last = instances.shift()!;
        last.child.kill('SIGKILL');
        await last.exited;
        const t0 = Date.now();
        instances.push(spawn());
        await send(++i);
        await caughtUp(i, 60_000);
        recovery.push({ alone: true, ms: Date.now() - t0 });
        continue;
      }
      await send(i);
      await caughtUp(i, 60_000);
    }
    await producer.disconnect();
    console.log(`recovery after SIGKILL (ms): ${JSON.stringify(recovery)}`);
    for (const p of instances) {
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    }
    const TOTAL = SLICES * PER;
    expect(await stored()).toBe(TOTAL);
    expect(await scalar(`SELECT uniqExact(event_id) AS n FROM ${db}.predictions`)).toBe(TOTAL);
    expect(await scalar(`SELECT count() AS n FROM (SELECT _partition, _offset FROM ${db}.predictions GROUP BY _partition, _offset HAVING count() > 1)`)).toBe(0);
    expect(await scalar(`SELECT countMerge(requests) AS n FROM ${db}.model_metrics_1m`)).toBe(TOTAL);
    const log = running.map((p) => p.output()).join('\n');
    expect(log).toContain('materializer.repeats_dropped');
    for (const r of recovery) expect(r.ms, `recovery ${JSON.stringify(r)}`).toBeLessThan(r.alone ? 20_000 : 10_000);
  }, 300_000);
});
