import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, isMlstreamError, resolveCatalog, type RetrainRequested, type RunningService } from '@mlstream/kit';
import { MlstreamApiError, createClient, createPredictionLogger, subscribeRetrain, subscribeRetrainSse, type MlstreamClient } from '@mlstream/sdk';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics, startCommandProcessors } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';
import { readTopic } from '@mlstream/kit';

describe('SDK against the gateway, the processors and Kafka', () => {
  const prefix = `${uniqueName('sdk')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('sdk-test');
  let gw: TestGateway;
  let client: MlstreamClient;
  const processors: RunningService[] = [];

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_LOG_LEVEL: 'warn' };
    processors.push(...(await startCommandProcessors(env)));
    gw = await startTestGateway({ prefix });
    await gw.commandsReady;
    client = createClient({ baseUrl: gw.url, apiKey: tokens.admin, batching: { maxBatch: 500, lingerMs: 50 }, metricLingerMs: 50 });
  });
  afterAll(async () => {
    await client?.close();
    await gw?.stop();
    await Promise.all(processors.map((p) => p.stop()));
  });

  it('tracks a run like MLflow: params and metrics beyond one batch are split to fit the limits', async () => {
    const run = await client.runs.start({ experiment: 'sdk', name: 'big', tags: { team: 'ds' } });
    await run.logParams(Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, i])));
    await run.logMetrics(Array.from({ length: 2500 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), step: i })));
    for (let i = 0; i < 5; i++) await run.logMetric('acc', i / 10, { step: i });
    await run.setTag('stage', 'done');
    await run.logInputs([{ datasetId: 'customers', version: 'v1' }]);
    await run.logArtifact({ name: 'model', uri: 's3://m/model.pkl' });
    const finished = await run.finish();
    expect(finished.aggregateId).toBe(run.runId);
    const events = (await readTopic(kafka, serde, catalog.topic('runs'))).filter((e) => e.key === run.runId);
    const metrics = events.filter((e) => e.type === 'MetricsLogged').flatMap((e) => (e.value as { metrics: Array<{ key: string }> }).metrics);
    expect(metrics.filter((m) => m.key === 'loss')).toHaveLength(2500);
    expect(metrics.filter((m) => m.key === 'acc')).toHaveLength(5);
    expect(events.filter((e) => e.type === 'ParamsLogged')).toHaveLength(2);
    expect(events.at(-1)?.type).toBe('RunFinished');
    await expect(run.logMetrics([{ key: 'late', value: 1 }])).rejects.toSatisfy((e) => e instanceof MlstreamApiError && e.code === 'RUN_TERMINAL' && e.status === 409);
    // Tags stay editable after the end (MLflow renames finished runs through the mlflow.runName tag).
    await run.setTag('late', 'x');
  });

  it('registers, transitions and aliases models, with typed errors', async () => {
    const model = `sdk-${randomUUID().slice(0, 8)}`;
    const v = await client.models.register(model, { artifactUri: 's3://m/1', reason: 'sdk test' });
    expect(v.version).toBe(1);
    await client.models.transition(model, 1, 'STAGING', { reason: 'looks good' });
    await client.models.setAlias(model, 'champion', 1);
    await client.models.deleteAlias(model, 'champion', { reason: 'retired' });
    await expect(client.models.deleteAlias(model, 'champion')).rejects.toMatchObject({ code: 'ALIAS_NOT_FOUND', status: 404 });
  });

  it('batches predictions and labels in the background; close sends everything exactly once', async () => {
    const ids = Array.from({ length: 1234 }, (_, i) => `sdk-req-${i}`);
    for (const requestId of ids) await client.predictions.log({ requestId, model: 'sdk-model', version: 1, numericFeatures: { x: 1 }, prediction: 0.5, latencyMs: 2 });
    await client.feedback.log({ requestId: ids[0]!, model: 'sdk-model', label: 1 });
    await client.flush();
    const predictions = (await readTopic(kafka, serde, catalog.topic('predictions'))).map((e) => (e.value as { requestId: string }).requestId).filter((r) => r.startsWith('sdk-req-'));
    expect(predictions.sort()).toEqual([...ids].sort());
    const labels = await readTopic(kafka, serde, catalog.topic('feedback'));
    expect(labels.map((e) => e.value)).toEqual([expect.objectContaining({ requestId: ids[0], label: 1 })]);
  });

  it('PredictionLogger writes straight to Kafka with the same serde, and rejects a non-finite number at once', async () => {
    const logger = createPredictionLogger({ topicPrefix: prefix, lingerMs: 20 });
    try {
      for (let i = 0; i < 2000; i++) await logger.log({ requestId: `direct-${i}`, model: 'direct', version: 2, numericFeatures: { x: i }, prediction: 'yes', latencyMs: 1 });
      await expect(logger.log({ requestId: 'bad', model: 'direct', version: 2, numericFeatures: { x: NaN }, prediction: 1, latencyMs: 1 })).rejects.toSatisfy(
        (e) => isMlstreamError(e, 'SCHEMA_VIOLATION') && /numericFeatures\.x/.test((e as Error).message),
      );
      await logger.flush();
    } finally {
      await logger.close();
    }
    const stored = (await readTopic(kafka, serde, catalog.topic('predictions'))).filter((e) => e.key === 'direct');
    expect(stored).toHaveLength(2000);
    expect(stored[0]!.headers.ce_source).toBe('mlstream/sdk');
  });

  it('delivers retrain requests to a Kafka consumer group and over SSE, resuming from the last id', async () => {
    const publish = async (model: string) => {
      const value: RetrainRequested = {
        eventId: randomUUID(),
        occurredAt: Date.now(),
        model,
        version: 1,
        idempotencyKey: randomUUID(),
        reason: 'drift',
        evidence: [],
        policy: { consecutiveWindows: 3, cooldownMs: 0, datasetDriftShare: 0.5 },
        requestedBy: 'test',
      };
      const { topic, message } = await serde.encode('RetrainRequested', value);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic, acks: -1, messages: [message] });
      await producer.disconnect();
      return value;
    };
    const viaKafka: string[] = [];
    const viaSse: string[] = [];
    const subscription = await subscribeRetrain({ topicPrefix: prefix, groupId: uniqueName('retrainer'), fromBeginning: true, handler: (r) => void viaKafka.push(r.eventId) });
    const sse = subscribeRetrainSse({ baseUrl: gw.url, apiKey: tokens.reader, from: 'earliest', reconnectMs: 100, handler: (r) => void viaSse.push(r.eventId) });
    try {
      const first = await publish('m1');
      await waitFor(() => viaKafka.includes(first.eventId) && viaSse.includes(first.eventId), { what: 'the first request on both paths' });
      const resumeFrom = sse.lastEventId();
      await sse.stop();
      const second = await publish('m2');
      const resumed: string[] = [];
      const again = subscribeRetrainSse({ baseUrl: gw.url, apiKey: tokens.reader, lastEventId: resumeFrom, handler: (r) => void resumed.push(r.eventId) });
      try {
        await waitFor(() => resumed.includes(second.eventId), { what: 'the request published while away' });
        expect(resumed).toEqual([second.eventId]);
      } finally {
        await again.stop();
      }
      await waitFor(() => viaKafka.includes(second.eventId), { what: 'the second request over Kafka' });
      expect(viaKafka).toEqual([first.eventId, second.eventId]);
    } finally {
      await sse.stop();
      await subscription.stop();
    }
  });
});
