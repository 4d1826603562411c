import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type DecodedEvent } from '@mlstream/kit';
import { createDriftService, defaultConfig, injectQualityIssues, syntheticPredictions } from '@mlstream/drift-detector';
import { runMaterializerService, type RunningMaterializer } from '@mlstream/materializer';
import { profileDataset } from '@mlstream/sdk';
import { auditDrift } from '../../services/cli/src/audit/drift.ts';
import { applyTestTopics, connections, testKafka, testLogger, uniqueName, waitFor } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

// Data quality in every window, end to end: predictions with injected nulls,
// out-of-range values and unseen categories → the drift detector (training
// profile from the lineage) → DataQualityMeasured / DataQualityFailed on
// mlops.quality.v1, no RetrainRequested → the audit reproduces them → the
// materializer → GET /v1/models/{m}/quality.
describe('data quality in every prediction window', () => {
  const prefix = `${uniqueName('quality')}.`;
  const database = prefix.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '');
  const env = { MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: database, MLSTREAM_LOG_LEVEL: 'warn' };
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('quality');
  const W = 200;
  const config = { ...defaultConfig, windowSize: W };
  const drift = createDriftService({ kafka, serde, catalog, logger: testLogger('drift'), groupId: `${prefix}mlstream-drift-detector`, configOf: () => config });
  let materializer: RunningMaterializer;
  let gateway: TestGateway;

  const send = async (records: Array<Promise<{ topic: string; message: object }>>) => {
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (const r of await Promise.all(records)) await producer.send({ topic: r.topic, acks: -1, messages: [r.message as never] });
    await producer.disconnect();
  };

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    await drift.start();
    materializer = await runMaterializerService({ env: { ...process.env, ...env, MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200' }, signals: false });
    gateway = await startTestGateway({ prefix, env });
  });
  afterAll(async () => {
    await gateway?.stop();
    await materializer?.stop();
    await drift.stop();
  });

  it('fails the incident windows after K in a row, requests no retraining, and serves it all from the log to the API', async () => {
    const shape = { numeric: 4, categorical: 2 };
    const training = profileDataset(syntheticPredictions({ seed: 30, model: 'x', version: 1, count: 5000, shape }));
    const meta = (occurredAt: number) => ({ eventId: randomUUID(), occurredAt, commandId: randomUUID(), actor: 'etl', aggregateVersion: 1 });
    await send([
      serde.encode('DatasetVersionIngested', {
        eventId: randomUUID(), occurredAt: 10, datasetId: 'churn-train', version: 'v1', uri: 's3://d/churn/v1', contentSha256: 'cd'.repeat(32), rowCount: 5000,
        features: training.features, profile: training.profile, validation: { passed: true, checks: [] }, producer: 'etl', tags: {},
      }),
      serde.encode('InputsLogged', { ...meta(11), runId: 'run-1', inputs: [{ datasetId: 'churn-train', version: 'v1', context: 'training' }] }),
      serde.encode('ModelVersionRegistered', { ...meta(12), model: 'churn', version: 1, runId: 'run-1', artifactUri: 's3://m/churn/1', artifactSha256: null, signature: [], description: null, tags: {}, stage: 'DEVELOPMENT', reason: null }),
      // The model's expectation suite (as the suites decider writes it): evaluated in every window too.
      serde.encode('ExpectationSuiteDeclared', {
        ...meta(13), subject: 'model:churn', version: 1, reason: 'launch',
        expectations: [
          { kind: 'null_share_at_most', column: 'n1', type: null, min: null, max: 0.1, margin: null, values: [] },
          { kind: 'within_training_range', column: 'n2', type: null, min: null, max: null, margin: 0.1, values: [] },
        ],
      }),
    ]);
    // Windows 0-1 clean; 2-3: n1 null in 30 % of rows, n2 out of the training range in 10 %, c0 an unseen category in 10 %; 4-5 clean.
    const at = 1_764_000_000_000;
    const clean = (seed: number, startAt: number) => syntheticPredictions({ seed, model: 'churn', version: 1, count: 2 * W, startAt, shape, idPrefix: `s${seed}` });
    const incident = injectQualityIssues(clean(2, at + 100_000), { nulls: { n1: 0.3 }, outOfRange: { n2: 0.1 }, unseen: { c0: 0.1 } }, 9);
    const predictions = [...clean(1, at), ...incident, ...clean(3, at + 200_000)];
    await send(predictions.map((p) => serde.encode('PredictionLogged', p)));

    const quality = await waitFor(
      async () => {
        const events = await readTopic(kafka, serde, catalog.topic('quality'));
        return events.filter((e) => e.type === 'DataQualityMeasured').length >= 6 && events;
      },
      { what: 'six DataQualityMeasured', timeoutMs: 90_000, intervalMs: 500 },
    );
    const measured = quality.flatMap((e) => (e.type === 'DataQualityMeasured' ? [e.value] : []));
    expect(measured.map((m) => [m.window.id, m.passed])).toEqual([0, 1, 2, 3, 4, 5].map((i) => [`churn/v1/count/${i}`, i === 2 || i === 3 ? false : true]));
    expect(measured.every((m) => m.referenceId === 'dataset:churn-train@v1')).toBe(true);
    const w2 = Object.fromEntries(measured[2]!.features.map((f) => [f.feature, f]));
    expect(w2.n1!.missingShare).toBeGreaterThan(0.2);
    expect(w2.n2!.outOfRangeShare).toBeGreaterThan(0.05);
    expect(w2.c0!.unseenShare).toBeGreaterThan(0.05);
    expect(new Set(measured[2]!.failures.map((f) => `${f.feature}:${f.check}`))).toEqual(
      new Set(['n1:missing_share', 'n2:out_of_range_share', 'c0:unseen_share', 'n1:expectation:null_share_at_most(n1, 0.1)', 'n2:expectation:within_training_range(n2, margin 0.1)']),
    );
    expect(measured.map((m) => m.suiteVersion)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(measured.map((m) => m.expectations!.map((e) => e.passed))).toEqual([0, 1, 2, 3, 4, 5].map((i) => (i === 2 || i === 3 ? [false, false] : [true, true])));

    // K = 2: the second failed window in a row raises the alert, once.
    const failed = quality.flatMap((e) => (e.type === 'DataQualityFailed' ? [e.value] : []));
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ model: 'churn', version: 1, windowId: 'churn/v1/count/3', action: 'ALERT', consecutiveWindows: 2, measurementIds: [measured[2]!.eventId, measured[3]!.eventId] });

    // Every window's drift is measured in the same transactions; no retraining is requested.
    const driftEvents = await readTopic(kafka, serde, catalog.topic('drift'));
    expect(driftEvents.filter((e) => e.type === 'DriftMeasured').map((e) => (e.value as { eventId: string }).eventId)).toEqual(measured.map((m) => m.driftMeasurementId));
    const retrain = await readTopic(kafka, serde, catalog.topic('retrain'));
    expect(retrain).toEqual([]);

    // The audit re-runs the detector over the log and reproduces every quality record, field by field.
    const read = async (stream: 'predictions' | 'registry' | 'runs' | 'ingestion' | 'expectations') => readTopic(kafka, serde, catalog.topic(stream));
    const lineage: DecodedEvent[] = [...(await read('registry')), ...(await read('runs')), ...(await read('ingestion')), ...(await read('expectations'))];
    const report = auditDrift({ model: 'churn', predictions: await read('predictions'), recorded: [...driftEvents, ...retrain, ...quality], configOf: () => config, lineage });
    expect(report.findings).toEqual([]);
    expect(report.matched).toBe(driftEvents.length + quality.length);

    // Materialized in ClickHouse and served by the gateway.
    const url = `/v1/models/churn/quality?from=${at - 1000}&to=${at + 30 * 86_400_000}`;
    const served = await waitFor(
      async () => {
        const r = await gateway.call('GET', url, { token: tokens.reader });
        const body = r.body as { measurements?: Array<{ passed: boolean; score: number | null; features: Array<{ feature: string; missingShare: number }> }>; failures?: Array<Record<string, unknown>> };
        return r.status === 200 && body.measurements?.length === 6 && body.failures?.length === 1 && { measurements: body.measurements, failures: body.failures };
      },
      { what: 'six windows and one alert from /v1/models/churn/quality', timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(served.measurements.map((m) => m.passed)).toEqual([true, true, false, false, true, true]);
    expect(served.measurements[2]!.features.find((f) => f.feature === 'n1')!.missingShare).toBe(w2.n1!.missingShare);
    expect(served.measurements[2]!.score).toBe(measured[2]!.score);
    expect(served.failures[0]).toMatchObject({ windowId: 'churn/v1/count/3', action: 'ALERT' });
  });
});
