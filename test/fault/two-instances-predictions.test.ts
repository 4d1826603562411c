import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, createSchemaRegistryClient, createSerde, resolveCatalog } from '@mlstream/kit';
import { applyTestTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { freePort, startService, type ServiceProcess } from '../helpers/processes.ts';
import { predictions } from '../fixtures/materializer/scenario.ts';
import { apiKeysSpec, tokens } from '../fixtures/gateway/index.ts';

// Two gateways and two materializers; clients post predictions over HTTP with
// their own eventIds and retry every request that did not get a 202 on the
// other gateway (same eventIds), and resend some that did (a lost response).
// A gateway and a materializer are SIGKILLed together, twice (each instance
// once), mid-stream, and restarted: every prediction that got a 202 is in ClickHouse exactly once.
// Mutation that makes it fail: MLSTREAM_MATERIALIZER_DEDUPE_WINDOW=0 (the
// retried and resent predictions are counted twice).
describe('two gateways and two materializers under SIGKILL', () => {
  const prefix = `${uniqueName('two-pred')}.`;
  const db = uniqueName('two_pred').replace(/-/g, '_');
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('two-instances-predictions');
  const client = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const running: ServiceProcess[] = [];
  const common = {
    MLSTREAM_TOPIC_PREFIX: prefix,
    MLSTREAM_CLICKHOUSE_DATABASE: db,
    MLSTREAM_LOG_LEVEL: 'info',
  };
  const materializer = () => {
    const p = startService('services/materializer/src/main.ts', {
      ...common,
      MLSTREAM_MATERIALIZER_MAX_EVENTS: '500',
      MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '150',
    });
    running.push(p);
    return p;
  };
  const gateway = (port: number) => {
    const p = startService('services/gateway/src/main.ts', {
      ...common,
      MLSTREAM_LOG_LEVEL: 'warn',
      MLSTREAM_GATEWAY_PORT: String(port),
      MLSTREAM_GATEWAY_API_KEYS: apiKeysSpec,
      // No console is served here: skip building it.
      MLSTREAM_CONSOLE_DIR: path.join(os.tmpdir(), `${prefix}no-console`),
    });
    running.push(p);
    return p;
  };
  const failWithOutput = (p: ServiceProcess) => (error: Error) => {
    throw new Error(`${error.message} (pid ${p.child.pid}, exit code ${p.child.exitCode ?? 'none: still running'}); output:\n${p.output().slice(-3_000)}`);
  };
  const materializerStarted = (p: ServiceProcess) => waitFor(() => p.output().includes('service.started'), { what: 'a materializer to start', timeoutMs: 90_000 }).catch(failWithOutput(p));
  const gatewayReady = (p: ServiceProcess, url: string) =>
    waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { what: `the gateway at ${url} to be ready`, timeoutMs: 90_000, intervalMs: 100 }).catch(failWithOutput(p));
  const scalar = async (query: string): Promise<number> => Number((await (await client.query({ query, format: 'JSONEachRow' })).json<{ n: string }>())[0]?.n ?? 0);

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('counts every accepted prediction once while instances of both are killed and restarted', async () => {
    await applyTestTopics(kafka, catalog);
    // The subjects of this fresh prefix registered once, here: four processes starting at once would
    // otherwise race for each of ~90 new subjects, which took over 90 s once on a loaded machine.
    await createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' }).registerAll();
    const BATCH = 25;
    const BATCHES = 160; // 4 000 predictions
    const KILLS_AT = [50, 110]; // batches accepted: each gateway and each materializer killed once
    const RESEND_EVERY = 8; // every 8th accepted batch is sent again, as after a lost 202
    const models = ['churn', 'fraud', 'upsell', 'ltv', 'spam', 'risk'];
    const values = predictions(BATCH * BATCHES, { seed: 16 }).map((v, i) => ({ ...v, model: models[i % models.length]! }));
    const batches = Array.from({ length: BATCHES }, (_, b) => values.slice(b * BATCH, (b + 1) * BATCH).map(({ probabilities: _p, error: _e, ...p }) => p));

    const ports = [await freePort(), await freePort()];
    const urls = ports.map((p) => `http://127.0.0.1:${p}`);
    const gateways = ports.map(gateway);
    const materializers = [materializer(), materializer()];
    await Promise.all([...gateways.map((g, i) => gatewayReady(g, urls[i]!)), ...materializers.map(materializerStarted)]);

    const stats = { accepted: 0, failed: 0, resent: 0, statuses: new Map<string, number>() };
    let gate: Promise<void> = Promise.resolve();
    const post = async (url: string, batch: (typeof batches)[number]): Promise<string> => {
      try {
        const res = await fetch(`${url}/v1/predictions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${tokens.writer}`, 'content-type': 'application/json' },
          body: JSON.stringify({ predictions: batch }),
          signal: AbortSignal.timeout(20_000),
        });
        await res.arrayBuffer();
        return String(res.status);
      } catch (error) {
        return (error as Error & { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
      }
    };
    /** Until a 202, alternating gateways; what is not a 202 is retried with the same eventIds. */
    const deliver = async (b: number, first: number) => {
      for (let attempt = 0; ; attempt++) {
        const status = await post(urls[(first + attempt) % 2]!, batches[b]!);
        stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
        if (status === '202') return;
        stats.failed += 1;
        if (attempt > 300) throw new Error(`batch ${b}: no 202 after ${attempt} attempts (${[...stats.statuses].join(' ')})`);
        // A client's backoff after a refusal (not synchronisation).
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    let next = 0;
    const clientLoop = async (c: number) => {
      while (next < BATCHES) {
        await gate;
        // Another client may have taken the last batch while this one waited at the gate.
        if (next >= BATCHES) break;
        const b = next++;
        await deliver(b, b + c);
        stats.accepted += 1;
        if (b % RESEND_EVERY === 0) {
          await deliver(b, b + c + 1);
          stats.resent += 1;
        }
      }
    };
    const clients = [0, 1, 2].map(clientLoop);

    const started = Date.now();
    const note = (what: string) => process.env.MLSTREAM_TEST_VERBOSE && console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
    for (const [k, at] of KILLS_AT.entries()) {
      await waitFor(() => stats.accepted >= at, { what: `${at} batches accepted (${JSON.stringify([...stats.statuses])})`, timeoutMs: 90_000, intervalMs: 20 });
      const slot = k % 2;
      // While clients post: one gateway (requests in flight die with it) and one materializer.
      gateways[slot]!.child.kill('SIGKILL');
      materializers[slot]!.child.kill('SIGKILL');
      await Promise.all([gateways[slot]!.exited, materializers[slot]!.exited]);
      note(`killed gateway ${slot} and materializer ${slot} at ${stats.accepted} batches`);
      gateways[slot] = gateway(ports[slot]!);
      materializers[slot] = materializer();
      // The survivors take the load for 15 more batches; then the clients wait for the restarted pair.
      await waitFor(() => stats.accepted >= at + 15, { what: `${at + 15} batches accepted on the surviving gateway`, timeoutMs: 90_000, intervalMs: 20 });
      let open!: () => void;
      gate = new Promise((resolve) => (open = resolve));
      await Promise.all([gatewayReady(gateways[slot]!, urls[slot]!), materializerStarted(materializers[slot]!)]);
      open();
      note(`restarted pair ${slot} ready at ${stats.accepted} batches`);
    }
    await Promise.all(clients);
    note(`all ${BATCHES} batches accepted; ${stats.failed} failed attempts retried, ${stats.resent} resent`);

    const TOTAL = BATCH * BATCHES;
    await waitFor(async () => (await scalar(`SELECT count() AS n FROM ${db}.predictions`)) >= TOTAL, { what: `${TOTAL} predictions in ClickHouse`, timeoutMs: 120_000, intervalMs: 200 });
    // Let every materializer finish what it read, then count once more: nothing arrives late.
    for (const p of [...gateways, ...materializers]) {
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
    }
    console.log(`two gateways + two materializers: attempts by status ${JSON.stringify([...stats.statuses])}, resent ${stats.resent}`);
    expect(stats.resent).toBe(BATCHES / RESEND_EVERY);
    expect(await scalar(`SELECT count() AS n FROM ${db}.predictions`)).toBe(TOTAL);
    expect(await scalar(`SELECT uniqExact(event_id) AS n FROM ${db}.predictions`)).toBe(TOTAL);
    expect(await scalar(`SELECT countMerge(requests) AS n FROM ${db}.model_metrics_1m`)).toBe(TOTAL);
    // The resends reached Kafka (they are repeats there) and were dropped by eventId.
    const admin = kafka.admin();
    await admin.connect();
    const inKafka = (await admin.fetchTopicOffsets(catalog.topic('predictions'))).reduce((n, p) => n + Number(p.high), 0);
    await admin.disconnect();
    expect(inKafka).toBeGreaterThanOrEqual(TOTAL + (BATCHES / RESEND_EVERY) * BATCH);
    expect(running.map((p) => p.output()).join('\n')).toContain('materializer.repeats_dropped');
  }, 300_000);
});
