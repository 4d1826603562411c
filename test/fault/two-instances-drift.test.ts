import kafkajs from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type DecodedEvent, type PredictionLogged, type ResolvedCatalog } from '@mlstream/kit';
import { syntheticPredictions } from '@mlstream/drift-detector';
import { applyTestTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';
import { waitForCaughtUp, waitForLiveMembers } from '../helpers/waits.ts';

// Two drift detectors share six models (one per predictions partition). The
// same predictions, some sent twice with the same eventId (client retries),
// go through two runs: one uninterrupted, one where an instance is SIGKILLed
// three times mid-stream (each time while both own partitions) and restarted.
// Both runs must publish the same drift windows, drift verdicts, retrain
// requests and quality records, byte for byte, and count each prediction once.
// Mutation that makes it fail: the restore ignores the snapshots (loadSnapshots
// in services/drift-detector/src/consumer/snapshots.ts returning empty states:
// the new owner restarts its windows mid-stream).
describe('two drift detectors under SIGKILL', () => {
  const kafka = testKafka('two-instances-drift');
  const schemaRegistry = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
  const running: ServiceProcess[] = [];
  const WINDOW = 100;
  const WINDOWS = 6;
  const SHIFT_AT = 3; // windows before the shift
  const REPEAT_EVERY = 25;
  const shape = { numeric: 10, categorical: 3 };

  // One model per predictions partition, so both instances own some (keys hash as the producer hashes them).
  const partitionOf = kafkajs.Partitioners.DefaultPartitioner();
  const metadata = Array.from({ length: 6 }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], offlineReplicas: [], partitionErrorCode: 0 }));
  const models: string[] = [];
  for (let i = 0; models.length < 6; i++) {
    const name = `model-${i}`;
    const p = partitionOf({ topic: 'predictions', partitionMetadata: metadata, message: { key: name, value: null } });
    if (!models.some((m) => partitionOf({ topic: 'predictions', partitionMetadata: metadata, message: { key: m, value: null } }) === p)) models.push(name);
  }
  const perModel = new Map(
    models.map((model, m) => [
      model,
      [
        ...syntheticPredictions({ seed: 100 + m, model, version: 1, count: WINDOW * SHIFT_AT, shape, idPrefix: `${model}-a` }),
        ...syntheticPredictions({ seed: 200 + m, model, version: 1, count: WINDOW * (WINDOWS - SHIFT_AT), startAt: 1_764_100_000_000, shape: { ...shape, shift: { 0: 1.5, 1: 1.5, 2: 1.5, 3: 1.5, 4: 1.5, 5: 1.5, 6: 1.5 } }, idPrefix: `${model}-b` }),
      ],
    ]),
  );
  // Interleaved by model; each repeat is sent again one slice later, after its original.
  const SLICES = 12;
  const perSlice = (WINDOW * WINDOWS) / SLICES;
  const slices: PredictionLogged[][] = Array.from({ length: SLICES }, (_, s) => models.flatMap((model) => perModel.get(model)!.slice(s * perSlice, (s + 1) * perSlice)));
  for (let s = SLICES - 1; s > 0; s--) slices[s]!.push(...slices[s - 1]!.filter((_, i) => i % REPEAT_EVERY === 0));

  const detector = (catalog: ResolvedCatalog) => {
    const p = startService('services/drift-detector/src/main.ts', {
      MLSTREAM_TOPIC_PREFIX: catalog.prefix,
      MLSTREAM_LOG_LEVEL: 'warn',
      MLSTREAM_DRIFT_WINDOW_SIZE: String(WINDOW),
    });
    running.push(p);
    return p;
  };
  const outputsOf = async (catalog: ResolvedCatalog) => {
    const serde = createSerde({ schemaRegistry, catalog, source: 'mlstream/test' });
    const out: DecodedEvent[] = [];
    for (const stream of ['drift', 'retrain', 'quality'] as const) out.push(...(await readTopic(kafka, serde, catalog.topic(stream))));
    return out;
  };
  // Per output topic and key (model) in offset order; models on one output partition interleave differently from run to run.
  const canonical = (events: DecodedEvent[], prefix: string) =>
    events
      .map((e) => ({ group: `${e.topic}|${e.key}`, line: JSON.stringify({ type: e.type, key: e.key, value: e.value }).split(prefix).join('<prefix>') }))
      .map((e) => ({ ...e, group: e.group.split(prefix).join('<prefix>') }))
      .sort((a, b) => (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
      .map((e) => e.line);

  const run = async (kill: boolean) => {
    const catalog = resolveCatalog(`${uniqueName(kill ? 'two-drift-killed' : 'two-drift-clean')}.`);
    await applyTestTopics(kafka, catalog);
    const serde = createSerde({ schemaRegistry, catalog, source: 'mlstream/test' });
    const encoded = await Promise.all(slices.map((slice) => Promise.all(slice.map((p) => serde.encode('PredictionLogged', p)))));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    // Counts DriftMeasured as they are committed.
    let measured = 0;
    const watcher = kafka.consumer({ groupId: `${catalog.prefix}watcher`, readUncommitted: false, maxWaitTimeInMs: 50 });
    await watcher.connect();
    await watcher.subscribe({ topic: catalog.topic('drift'), fromBeginning: true });
    await watcher.run({ eachMessage: async ({ message }) => void (message.headers?.ce_type?.toString().endsWith('DriftMeasured') && (measured += 1)) });

    const group = `${catalog.prefix}mlstream-drift-detector`;
    const instances = [detector(catalog), detector(catalog)];
    /** The group stable with exactly the two live instances (a killed member stays listed until its session expires). */
    const bothServing = () => waitForLiveMembers(admin, group, instances, 'two live drift detectors');
    await bothServing();
    let kills = 0;
    for (let s = 0; s < SLICES; s++) {
      await producer.send({ topic: catalog.topic('predictions'), acks: -1, messages: encoded[s]!.map((e) => e.message) });
      if (kill && (s === 3 || s === 6 || s === 9)) {
        // Mid-window, while the last slice is being processed: one more window measured, then the kill.
        const before = measured;
        await waitFor(() => measured > before, { what: `a window measured after slice ${s}`, timeoutMs: 60_000, intervalMs: 20 });
        const slot = kills++ % 2;
        instances[slot]!.child.kill('SIGKILL');
        await instances[slot]!.exited;
        instances[slot] = detector(catalog);
        await bothServing();
      }
    }
    await producer.disconnect();
    // Every prediction read and its transaction committed: the outputs are final.
    await waitForCaughtUp(admin, group, catalog.topic('predictions'), { timeoutMs: 120_000 });
    const outputs = await outputsOf(catalog);
    await watcher.disconnect();
    await admin.disconnect();
    for (const p of instances) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    return { outputs, lines: canonical(outputs, catalog.prefix), kills };
  };

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
  });

  it('publishes the outputs of an uninterrupted run, byte for byte, counting each prediction once', async () => {
    expect(new Set(models.map((m) => partitionOf({ topic: 'predictions', partitionMetadata: metadata, message: { key: m, value: null } }))).size).toBe(6);
    const clean = await run(false);
    const killed = await run(true);
    expect(killed.kills).toBe(3);
    const firstDifference = clean.lines.findIndex((line, i) => line !== killed.lines[i]);
    expect(firstDifference, firstDifference >= 0 ? `record ${firstDifference} differs:\n${clean.lines[firstDifference]}\n${killed.lines[firstDifference]}` : '').toBe(-1);
    expect(killed.lines.length, `records: ${killed.lines.length} after the kills, ${clean.lines.length} uninterrupted`).toBe(clean.lines.length);

    // Each model: WINDOWS full windows of distinct predictions, the last ending at its last prediction (repeats not counted).
    for (const model of models) {
      const windows = clean.outputs.filter((e) => e.type === 'DriftMeasured' && e.value.model === model).map((e) => (e.value as { window: { count: number; end: number } }).window);
      expect(windows.map((w) => w.count), model).toEqual(Array.from({ length: WINDOWS }, () => WINDOW));
      expect(windows.at(-1)!.end, model).toBe(perModel.get(model)!.at(-1)!.occurredAt);
      expect(clean.outputs.filter((e) => e.type === 'DataQualityMeasured' && e.key === model)).toHaveLength(WINDOWS);
    }
    // The shift is detected and retraining requested, once per model.
    expect(clean.outputs.filter((e) => e.type === 'DriftDetected').length).toBeGreaterThanOrEqual(models.length);
    expect(new Set(clean.outputs.filter((e) => e.type === 'RetrainRequested').map((e) => e.key))).toEqual(new Set(models));
    expect(clean.outputs.filter((e) => e.type === 'RetrainRequested')).toHaveLength(models.length);
  }, 300_000);
});
