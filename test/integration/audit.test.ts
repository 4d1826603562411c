import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type RunningService } from '@mlstream/kit';
import { createDriftService, defaultConfig, syntheticPredictions } from '@mlstream/drift-detector';
import { profileDataset } from '@mlstream/sdk';
import { connections, testKafka, testLogger, uniqueName, waitFor, applyTestTopics, startCommandProcessors } from '../helpers/index.ts';

// `mlstream audit` re-runs the deciders and the drift detector over the log:
// a clean history passes, a forged decision is named.
describe('mlstream audit', () => {
  const prefix = `${uniqueName('audit')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('audit');
  const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_LOG_LEVEL: 'warn', MLSTREAM_DRIFT_WINDOW_SIZE: '100' };
  const services: RunningService[] = [];
  const drift = createDriftService({ kafka, serde, catalog, logger: testLogger('drift'), groupId: `${prefix}drift`, configOf: () => ({ ...defaultConfig, windowSize: 100 }) });
  const cli = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', ...args, '--json'], { env, encoding: 'utf8' });
    return { status: r.status, json: r.stdout ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
  };
  const send = async (records: Array<Promise<{ topic: string; message: object }>>) => {
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (const r of await Promise.all(records)) await producer.send({ topic: r.topic, acks: -1, messages: [r.message as never] });
    await producer.disconnect();
  };

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    services.push(...(await startCommandProcessors(env)));
    await drift.start();
  });
  afterAll(async () => {
    await Promise.all([...services.map((s) => s.stop()), drift.stop()]);
  });

  it('reproduces a clean history and names a forged drift decision', async () => {
    const c = (commandId: string, occurredAt: number) => ({ eventId: randomUUID(), occurredAt, commandId, actor: 'alice', expectedVersion: null });
    await send([
      serde.encode('DatasetVersionIngested', {
        eventId: randomUUID(), occurredAt: 0, datasetId: 'customers', version: 'v7', uri: 's3://d/customers/v7', contentSha256: 'ab'.repeat(32), rowCount: 5000,
        features: [{ name: 'n0', type: 'NUMERIC' }], profile: [], validation: { passed: true, checks: [] }, producer: 'etl', tags: {},
      }),
      serde.encode('StartRun', { ...c('s1', 1), runId: 'r1', experiment: 'audit', name: null, tags: {}, codeVersion: 'abc' }),
      serde.encode('LogInputs', { ...c('i1', 1), runId: 'r1', inputs: [{ datasetId: 'customers', version: 'v7', context: 'training' }] }),
      serde.encode('LogMetrics', { ...c('m1', 2), runId: 'r1', metrics: [{ key: 'auc', value: 0.91, step: 1, timestamp: 2 }] }),
      serde.encode('LogParams', { ...c('p1', 3), runId: 'missing', params: { lr: '0.1' } }),
      serde.encode('RegisterModelVersion', { ...c('reg1', 4), model: 'churn', runId: 'r1', artifactUri: 's3://m/1', artifactSha256: null, signature: [], description: null, tags: {}, reason: 'first' }),
    ]);
    await waitFor(async () => (await cli('audit', 'runs')).json?.results.recorded === 4, { what: 'three run results', timeoutMs: 60_000, intervalMs: 1_000 });
    await send([serde.encode('TransitionStage', { ...c('t1', 5), model: 'churn', version: 1, toStage: 'PRODUCTION', archivePrevious: true, gate: { metric: 'auc', comparator: 'GT', threshold: 0.9, beatProduction: false }, reason: 'launch' })]);
    const predictions = [
      ...syntheticPredictions({ seed: 1, model: 'churn', version: 1, count: 200, shape: { numeric: 4, categorical: 1 } }),
      ...syntheticPredictions({ seed: 2, model: 'churn', version: 1, count: 400, startAt: 1_764_100_000_000, shape: { numeric: 4, categorical: 1, shift: { 0: 2, 1: 2, 2: 2 } } }),
    ];
    await send(predictions.map((p) => serde.encode('PredictionLogged', p)));

    const runs = cli('audit', 'runs');
    expect(runs.json.findings).toEqual([]);
    expect(runs.status).toBe(0);
    expect(runs.json).toMatchObject({ commands: 4, events: { matched: 3, recorded: 3 }, results: { matched: 4, recorded: 4 }, findings: [] });
    const registry = await waitFor(async () => {
      const r = cli('audit', 'registry');
      return r.json?.results.recorded === 2 && r;
    }, { what: 'two registry results', timeoutMs: 60_000, intervalMs: 1_000 });
    expect(registry.status).toBe(0);
    expect(registry.json.findings).toEqual([]);
    const asOf = cli('audit', 'registry', '--at', String(Date.now()));
    expect(asOf.json[0].versions[0]).toMatchObject({ version: 1, stage: 'PRODUCTION', stageSetBy: 'alice', stageReason: 'launch' });

    const lineage = cli('audit', 'lineage', '--model', 'churn', '--version', '1');
    expect(lineage.json).toMatchObject({
      registered: { artifactUri: 's3://m/1', by: 'alice', coordinates: { topic: catalog.topic('registry') } },
      run: { runId: 'r1', codeVersion: 'abc', finalMetrics: { auc: { value: 0.91, coordinates: { topic: catalog.topic('runs') } } } },
      datasets: [{ datasetId: 'customers', version: 'v7', context: 'training', contentSha256: 'ab'.repeat(32), rowCount: 5000, validationPassed: true, coordinates: { topic: catalog.topic('ingestion'), offset: '0' } }],
    });

    const clean = await waitFor(async () => {
      const r = cli('audit', 'drift', '--model', 'churn');
      // 6 windows measured (drift and data quality), then DriftDetected and RetrainRequested after 3 drifted
      // windows in a row, plus the quality alerts of the shifted windows; pending 0 = the detector reached the last window.
      return r.json?.recorded >= 8 + 6 && r.json.pending === 0 && r;
    }, { what: 'six windows and the retrain decision', timeoutMs: 60_000, intervalMs: 1_000 });
    expect(clean.json.findings).toEqual([]);
    expect(clean.status).toBe(0);
    expect(clean.json).toMatchObject({ predictions: 600, findings: [] });
    expect(clean.json.matched).toBe(clean.json.recorded);

    // A forged DriftDetected: the audit must fail and name it.
    const forgedId = randomUUID();
    await send([serde.encode('DriftDetected', { eventId: forgedId, occurredAt: 1_764_100_000_500, model: 'churn', version: 1, windowId: 'churn/v1/count/1', measurementIds: [], driftedFeatures: ['n3'], reason: 'forged', policy: { consecutiveWindows: 1, cooldownMs: 0, datasetDriftShare: 0.5 } })]);
    const forged = await waitFor(async () => {
      const r = cli('audit', 'drift', '--model', 'churn');
      return r.status === 1 && r;
    }, { what: 'the audit to fail', timeoutMs: 30_000, intervalMs: 1_000 });
    expect(forged.json.findings).toEqual([expect.objectContaining({ kind: 'unexpected', type: 'DriftDetected', eventId: forgedId })]);
  });

  it('reproduces label-based fields and training-profile references of a live detector', async () => {
    const c = (commandId: string, occurredAt: number) => ({ eventId: randomUUID(), occurredAt, commandId, actor: 'bob', expectedVersion: null });
    const shape = { numeric: 4, categorical: 1 };
    const training = profileDataset(syntheticPredictions({ seed: 30, model: 'x', version: 1, count: 5000, shape }));
    await send([
      serde.encode('DatasetVersionIngested', {
        eventId: randomUUID(), occurredAt: 10, datasetId: 'fraud-train', version: 'v1', uri: 's3://d/fraud/v1', contentSha256: 'cd'.repeat(32), rowCount: 5000,
        features: training.features, profile: training.profile, validation: { passed: true, checks: [] }, producer: 'etl', tags: {},
      }),
      serde.encode('StartRun', { ...c('s2', 11), runId: 'r2', experiment: 'audit', name: null, tags: {}, codeVersion: 'def' }),
      serde.encode('LogInputs', { ...c('i2', 12), runId: 'r2', inputs: [{ datasetId: 'fraud-train', version: 'v1', context: 'training' }] }),
      serde.encode('RegisterModelVersion', { ...c('reg2', 13), model: 'fraud', runId: 'r2', artifactUri: 's3://m/fraud/1', artifactSha256: null, signature: [], description: null, tags: {}, reason: 'first' }),
    ]);
    // The detector fixes a version's reference at its first prediction: register first.
    await waitFor(async () => cli('audit', 'registry').json?.results.recorded >= 3, { what: 'the fraud registration', timeoutMs: 60_000, intervalMs: 1_000 });
    const predictions = [
      ...syntheticPredictions({ seed: 31, model: 'fraud', version: 1, count: 300, idPrefix: 'f', shape }),
      ...syntheticPredictions({ seed: 32, model: 'fraud', version: 1, count: 300, startAt: 1_764_200_000_000, idPrefix: 'g', shape: { ...shape, shift: { 0: 2, 1: 2, 2: 2 } } }),
    ];
    // Labels trail the predictions by one chunk; after the shift the label relation flips (error grows).
    const label = (p: (typeof predictions)[number], i: number) => ({ eventId: randomUUID(), occurredAt: p.occurredAt + 50, requestId: p.requestId, model: 'fraud', label: i < 300 ? (p.prediction as number) : 1 - (p.prediction as number) });
    for (let chunk = 0; chunk < 6; chunk++) {
      const part = predictions.slice(chunk * 100, chunk * 100 + 100);
      const previous = chunk ? predictions.slice(chunk * 100 - 100, chunk * 100) : [];
      await send([...part.map((p) => serde.encode('PredictionLogged', p)), ...previous.map((p, i) => serde.encode('LabelObserved', label(p, chunk * 100 - 100 + i)))]);
    }
    const audit = await waitFor(async () => {
      const r = cli('audit', 'drift', '--model', 'fraud');
      return r.json?.recorded >= 6 && r.json.pending === 0 && r;
    }, { what: 'six fraud windows', timeoutMs: 60_000, intervalMs: 1_000 });
    expect(audit.json.findings).toEqual([]);
    expect(audit.status).toBe(0);
    expect(audit.json.note).toMatch(/every field compared/);

    const measured = (await readTopic(kafka, serde, catalog.topic('drift'))).flatMap((e) => (e.type === 'DriftMeasured' && e.value.model === 'fraud' ? [e.value] : []));
    expect(measured).toHaveLength(6);
    // Every window, the first included, is tested against the training profile.
    expect(measured.every((m) => m.referenceId === 'dataset:fraud-train@v1' && m.features.length === 5)).toBe(true);
    expect(measured.slice(3).every((m) => m.datasetDrift)).toBe(true);
    // Labels were joined (the windows name their feedback offsets) and scored.
    expect(measured.some((m) => m.performance && m.performance.labeled > 0 && m.sources!.length === 2)).toBe(true);
  });
});
