import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type DecodedEvent, type ResolvedCatalog } from '@mlstream/kit';
import { defaultConfig, syntheticPredictions } from '@mlstream/drift-detector';
import { auditDrift } from '../../services/cli/src/audit/drift.ts';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';
import { waitForCommitted } from '../helpers/waits.ts';

// The drift detector killed with SIGKILL mid-stream and restarted must publish
// exactly what an uninterrupted run publishes: same records, same bytes. Label
// fields are the exception by design (docs/drift.md): which labels a window
// joins depends on how far the feedback partition had been read when it
// closed; each window names that range, and the audit must reproduce them,
// with every label joined once.
describe('drift detector under SIGKILL', () => {
  const kafka = testKafka('drift-crash');
  const schemaRegistry = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
  const running: ServiceProcess[] = [];
  const WINDOW = 200;
  const WINDOWS = 12;
  const shape = { numeric: 20, categorical: 5 };
  const before = syntheticPredictions({ seed: 21, model: 'churn', version: 1, count: WINDOW * 4, shape });
  const after = syntheticPredictions({ seed: 22, model: 'churn', version: 1, count: WINDOW * (WINDOWS - 4), startAt: 1_764_100_000_000, shape: { ...shape, shift: Object.fromEntries(Array.from({ length: 14 }, (_, i) => [i, 1.5])) } });
  const predictions = [...before, ...after];
  // Labels trail each window. They match the predictions, so no performance drop joins the policy and the
  // decisions stay comparable byte for byte (a performance drop in the evidence depends on label timing).
  const labels = predictions.map((p, i) => ({ eventId: `label-${i}`, occurredAt: p.occurredAt + 1000, requestId: p.requestId, model: 'churn', label: p.prediction as number }));

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
  const outputsOf = async (catalog: ResolvedCatalog, streams: ReadonlyArray<'drift' | 'retrain' | 'quality' | 'predictions' | 'feedback'> = ['drift', 'retrain', 'quality']) => {
    const serde = createSerde({ schemaRegistry, catalog, source: 'mlstream/test' });
    const out: DecodedEvent[] = [];
    for (const stream of streams) out.push(...(await readTopic(kafka, serde, catalog.topic(stream))));
    return out;
  };
  // Topic names carry each run's prefix; everything else but the label fields must match byte for byte.
  const withoutLabels = (e: DecodedEvent) => {
    if (e.type !== 'DriftMeasured') return e.value;
    const { performance: _p, labelDrift: _l, performanceDrop: _d, sources, ...rest } = e.value;
    return { ...rest, sources: sources?.slice(0, 1) };
  };
  const canonical = (events: DecodedEvent[], prefix: string) => events.map((e) => JSON.stringify({ type: e.type, key: e.key, value: withoutLabels(e) }).split(prefix).join('<prefix>'));
  const run = async (kill: boolean) => {
    const catalog = resolveCatalog(`${uniqueName(kill ? 'drift-killed' : 'drift-clean')}.`);
    await applyTestTopics(kafka, catalog);
    const serde = createSerde({ schemaRegistry, catalog, source: 'mlstream/test' });
    const encoded = await Promise.all(predictions.map((p) => serde.encode('PredictionLogged', p)));
    const encodedLabels = await Promise.all(labels.map((l) => serde.encode('LabelObserved', l)));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    // Counts DriftMeasured as they are committed, to pace the producer one window at a time.
    let measured = 0;
    const watcher = kafka.consumer({ groupId: `${catalog.prefix}watcher`, readUncommitted: false, maxWaitTimeInMs: 50 });
    await watcher.connect();
    await watcher.subscribe({ topic: catalog.topic('drift'), fromBeginning: true });
    await watcher.run({ eachMessage: async ({ message }) => void (message.headers?.ce_type?.toString().endsWith('DriftMeasured') && (measured += 1)) });
    const admin = kafka.admin();
    await admin.connect();
    let process = detector(catalog);
    for (let w = 0; w < WINDOWS; w++) {
      // Labels of the previous window first, read and committed by the detector, then this window's
      // predictions: the window's close joins them.
      if (w > 0) {
        await producer.send({ topic: catalog.topic('feedback'), acks: -1, messages: encodedLabels.slice((w - 1) * WINDOW, w * WINDOW).map((e) => e.message) });
        await waitForCommitted(admin, `${catalog.prefix}mlstream-drift-detector`, catalog.topic('feedback'), w * WINDOW, { timeoutMs: 60_000 });
      }
      await producer.send({ topic: catalog.topic('predictions'), acks: -1, messages: encoded.slice(w * WINDOW, (w + 1) * WINDOW).map((e) => e.message) });
      if (kill && w === 5) {
        await waitFor(() => measured > 0, { what: 'first drift outputs', timeoutMs: 60_000 });
        process.child.kill('SIGKILL');
        await process.exited;
        process = detector(catalog);
      }
      await waitFor(() => measured > w, { what: `window ${w}`, timeoutMs: 60_000, intervalMs: 50 });
    }
    await watcher.disconnect();
    await producer.disconnect();
    await admin.disconnect();
    const outputs = await waitFor(
      async () => {
        const o = await outputsOf(catalog);
        return o.filter((e) => e.type === 'DriftMeasured').length >= WINDOWS && o.filter((e) => e.type === 'DataQualityMeasured').length >= WINDOWS && o;
      },
      { what: `${WINDOWS} DriftMeasured`, timeoutMs: 90_000, intervalMs: 500 },
    );
    process.child.kill('SIGTERM');
    await process.exited;
    return { outputs, lines: canonical(outputs, catalog.prefix), catalog };
  };

  afterAll(() => {
    for (const p of running) p.child.kill('SIGKILL');
  });

  it('publishes byte-identical outputs with and without a crash, and requests retraining once', async () => {
    const { outputs: clean, lines: cleanLines } = await run(false);
    const { lines: killedLines, outputs: killed, catalog } = await run(true);
    expect(killedLines.length).toBe(cleanLines.length);
    const firstDifference = cleanLines.findIndex((line, i) => line !== killedLines[i]);
    expect(firstDifference, firstDifference >= 0 ? `record ${firstDifference} differs:\n${cleanLines[firstDifference]}\n${killedLines[firstDifference]}` : '').toBe(-1);
    expect(clean.filter((e) => e.type === 'DriftMeasured')).toHaveLength(WINDOWS);
    // The data quality of every window, from the same transactions and snapshots.
    expect(clean.filter((e) => e.type === 'DataQualityMeasured')).toHaveLength(WINDOWS);
    expect(clean.filter((e) => e.type === 'RetrainRequested')).toHaveLength(1);
    const detected = clean.filter((e) => e.type === 'DriftDetected');
    expect(detected.length).toBeGreaterThanOrEqual(1);
    expect(detected[0]!.value).toMatchObject({ model: 'churn', version: 1, windowId: 'churn/v1/count/6' });

    // Labels across the crash: the windows' feedback ranges tile the labels read, none twice, none skipped,
    // and the audit recomputes every performance and label-drift field from them.
    const ranges = killed.flatMap((e) => (e.type === 'DriftMeasured' ? (e.value.sources ?? []).slice(1) : [])).sort((a, b) => a.partition - b.partition || a.fromOffset - b.fromOffset);
    expect(ranges.length).toBeGreaterThan(3);
    expect(new Set(ranges.map((r) => r.partition)).size).toBe(1);
    expect(ranges[0]!.fromOffset).toBe(0);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i]!.fromOffset).toBe(ranges[i - 1]!.toOffset + 1);
    const labelled = killed.reduce((n, e) => n + (e.type === 'DriftMeasured' ? (e.value.performance?.labeled ?? 0) : 0), 0);
    expect(labelled).toBe(ranges.at(-1)!.toOffset + 1);
    const inputs = await outputsOf(catalog, ['predictions', 'feedback']);
    const report = auditDrift({ model: 'churn', predictions: inputs.filter((e) => e.type === 'PredictionLogged'), recorded: killed, configOf: () => ({ ...defaultConfig, windowSize: WINDOW }), labels: inputs.filter((e) => e.type === 'LabelObserved') });
    expect(report.findings).toEqual([]);
    expect(report.matched).toBe(killed.length);
  });
});
