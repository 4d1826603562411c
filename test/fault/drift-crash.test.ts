import { afterAll, describe, expect, it } from 'vitest';
import { applyTopics, createRegistryClient, createSerde, readToEnd, resolveCatalog, type DecodedEvent, type ResolvedCatalog } from '@mlstream/kit';
import { syntheticPredictions } from '@mlstream/drift-detector';
import { connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';

// The drift detector killed with SIGKILL mid-stream and restarted must publish
// exactly what an uninterrupted run publishes: same records, same bytes.
describe('drift detector under SIGKILL', () => {
  const kafka = testKafka('drift-crash');
  const registry = createRegistryClient({ url: connections.schemaRegistryUrl });
  const running: ServiceProcess[] = [];
  const WINDOW = 200;
  const WINDOWS = 12;
  const shape = { numeric: 20, categorical: 5 };
  const before = syntheticPredictions({ seed: 21, model: 'churn', version: 1, count: WINDOW * 4, shape });
  const after = syntheticPredictions({ seed: 22, model: 'churn', version: 1, count: WINDOW * (WINDOWS - 4), startAt: 1_764_100_000_000, shape: { ...shape, shift: Object.fromEntries(Array.from({ length: 14 }, (_, i) => [i, 1.5])) } });
  const predictions = [...before, ...after];

  const detector = (catalog: ResolvedCatalog) => {
    const p = startService('services/drift-detector/src/main.ts', {
      MLSTREAM_TOPIC_PREFIX: catalog.prefix,
      MLSTREAM_LOG_LEVEL: 'warn',
      MLSTREAM_DRIFT_WINDOW_SIZE: String(WINDOW),
      MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: '6000',
      MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS: '8000',
    });
    running.push(p);
    return p;
  };
  const outputsOf = async (catalog: ResolvedCatalog) => {
    const serde = createSerde({ registry, catalog, source: 'mlstream/test' });
    const out: DecodedEvent[] = [];
    for (const stream of ['drift', 'retrain'] as const) {
      const pending: Array<Promise<DecodedEvent>> = [];
      await readToEnd({ kafka, topic: catalog.topic(stream), onMessage: (partition, message) => void pending.push(serde.decode({ topic: catalog.topic(stream), partition, message })) });
      out.push(...(await Promise.all(pending)));
    }
    return out;
  };
  // Topic names carry each run's prefix; everything else must match byte for byte.
  const canonical = (events: DecodedEvent[], prefix: string) => events.map((e) => JSON.stringify({ type: e.type, key: e.key, value: e.value }).split(prefix).join('<prefix>'));
  const run = async (kill: boolean) => {
    const catalog = resolveCatalog(`${uniqueName(kill ? 'drift-killed' : 'drift-clean')}.`);
    const admin = kafka.admin();
    await admin.connect();
    await applyTopics(admin, catalog);
    await admin.disconnect();
    const serde = createSerde({ registry, catalog, source: 'mlstream/test' });
    const encoded = await Promise.all(predictions.map((p) => serde.encode('PredictionLogged', p)));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    let process = detector(catalog);
    for (let w = 0; w < WINDOWS; w++) {
      await producer.send({ topic: catalog.topic('predictions'), acks: -1, messages: encoded.slice(w * WINDOW, (w + 1) * WINDOW).map((e) => e.message) });
      await new Promise((r) => setTimeout(r, 300));
      if (kill && w === 5) {
        await waitFor(async () => (await outputsOf(catalog)).length > 0, { what: 'first drift outputs', timeoutMs: 60_000 });
        process.child.kill('SIGKILL');
        await process.exited;
        process = detector(catalog);
      }
    }
    await producer.disconnect();
    const outputs = await waitFor(
      async () => {
        const o = await outputsOf(catalog);
        return o.filter((e) => e.type === 'DriftMeasured').length >= WINDOWS && o;
      },
      { what: `${WINDOWS} DriftMeasured`, timeoutMs: 90_000, intervalMs: 500 },
    );
    process.child.kill('SIGTERM');
    await process.exited;
    return { outputs, lines: canonical(outputs, catalog.prefix) };
  };

  afterAll(() => {
    for (const p of running) p.child.kill('SIGKILL');
  });

  it('publishes byte-identical outputs with and without a crash, and requests retraining once', async () => {
    const { outputs: clean, lines: cleanLines } = await run(false);
    const { lines: killedLines } = await run(true);
    expect(killedLines.length).toBe(cleanLines.length);
    const firstDifference = cleanLines.findIndex((line, i) => line !== killedLines[i]);
    expect(firstDifference, firstDifference >= 0 ? `record ${firstDifference} differs:\n${cleanLines[firstDifference]}\n${killedLines[firstDifference]}` : '').toBe(-1);
    expect(clean.filter((e) => e.type === 'DriftMeasured')).toHaveLength(WINDOWS);
    expect(clean.filter((e) => e.type === 'RetrainRequested')).toHaveLength(1);
    const detected = clean.filter((e) => e.type === 'DriftDetected');
    expect(detected.length).toBeGreaterThanOrEqual(1);
    expect(detected[0]!.value).toMatchObject({ model: 'churn', version: 1, windowId: 'churn/v1/count/6' });
  });
});
