import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, resolveCatalog, type RunningService } from '@mlstream/kit';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics, startCommandProcessors } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';
import { readTopic } from '@mlstream/kit';

const startProcessors = (prefix: string): Promise<RunningService[]> =>
  startCommandProcessors({ ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_LOG_LEVEL: 'warn' });

// The command endpoints against the REAL tracking and registry processors:
// every accepted command is in Kafka as the processor's events, every
// rejection is the decider's code with its HTTP status.
describe('gateway: run and registry commands through the processors', () => {
  const prefix = `${uniqueName('gwcmd')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('gateway-commands');
  let gw: TestGateway;
  let processors: RunningService[] = [];
  const as = (token: string) => ({
    post: (path: string, body: unknown, headers: Record<string, string> = {}) => gw.call('POST', path, { body, token, headers }),
    put: (path: string, body: unknown) => gw.call('PUT', path, { body, token }),
    del: (path: string) => gw.call('DELETE', path, { token }),
  });
  const trainer = as(tokens.trainer);

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    processors = await startProcessors(prefix);
    gw = await startTestGateway({ prefix });
    await gw.commandsReady;
  });
  afterAll(async () => {
    await gw?.stop();
    await Promise.all(processors.map((p) => p.stop()));
  });

  it('runs: start, params, metrics, tags, inputs, artifact, finish; the events carry the API key name as actor', async () => {
    const started = await trainer.post('/v1/runs', { experiment: 'churn', name: 'baseline', tags: { team: 'ds' }, codeVersion: 'abc123' });
    expect(started.status).toBe(201);
    const runId = started.body.runId as string;
    const T = Date.UTC(2026, 0, 1);
    expect(started.body).toMatchObject({ aggregateId: runId, aggregateVersion: 1, events: [{ type: 'RunStarted', topic: catalog.topic('runs') }] });
    const steps: Array<[string, unknown]> = [
      [`/v1/runs/${runId}/params`, { params: { lr: '0.01', depth: '6' } }],
      [`/v1/runs/${runId}/metrics`, { metrics: [{ key: 'acc', value: 0.5, step: 1, timestamp: T }, { key: 'loss', value: 0.7 }] }],
      [`/v1/runs/${runId}/tags`, { tags: { stage: 'tuning' } }],
      [`/v1/runs/${runId}/inputs`, { inputs: [{ datasetId: 'customers', version: '2025-11-27' }] }],
      [`/v1/runs/${runId}/artifacts`, { name: 'model.pkl', uri: 's3://m/model.pkl', size: 1024 }],
      [`/v1/runs/${runId}/finish`, { status: 'FINISHED', expectedVersion: 6 }],
    ];
    for (const [i, [path, body]] of steps.entries()) {
      const res = await trainer.post(path, body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.aggregateVersion).toBe(i + 2);
    }
    const events = (await readTopic(kafka, serde, catalog.topic('runs'))).filter((e) => e.key === runId);
    expect(events.map((e) => e.type)).toEqual(['RunStarted', 'ParamsLogged', 'MetricsLogged', 'TagsSet', 'InputsLogged', 'ArtifactLogged', 'RunFinished']);
    expect(events.every((e) => (e.value as { actor: string }).actor === 'trainer')).toBe(true);
    expect(events[2]!.value).toMatchObject({ metrics: [{ key: 'acc', value: 0.5, step: 1, timestamp: T }, { key: 'loss', value: 0.7, step: 0 }] });
    expect(events[4]!.value).toMatchObject({ inputs: [{ datasetId: 'customers', version: '2025-11-27', context: 'training' }] });
  });

  it('logs params, metrics and tags in one command (POST /v1/runs/:id/batch), all or nothing', async () => {
    const runId = (await trainer.post('/v1/runs', { experiment: 'churn' })).body.runId as string;
    const ok = await trainer.post(`/v1/runs/${runId}/batch`, { params: { lr: '0.1' }, metrics: [{ key: 'acc', value: 0.5, step: 1 }], tags: { t: 'a' } });
    expect(ok.status).toBe(200);
    expect((ok.body.events as Array<{ type: string }>).map((e) => e.type)).toEqual(['ParamsLogged', 'MetricsLogged', 'TagsSet']);
    const refused = await trainer.post(`/v1/runs/${runId}/batch`, { params: { lr: '0.2' }, metrics: [{ key: 'acc', value: 0.9, step: 2 }] });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('PARAM_IMMUTABLE');
    const read = await gw.call('GET', `/v1/runs/${runId}`, { token: tokens.reader });
    expect(read.status).toBe(200);
    expect(JSON.stringify(read.body)).not.toContain('0.9');
  });

  it('maps every run rejection to its status and code', async () => {
    const runId = `run-${randomUUID()}`;
    expect((await trainer.post(`/v1/runs/${runId}/params`, { params: { a: '1' } })).body).toMatchObject({ status: 404, code: 'RUN_NOT_FOUND', type: 'urn:mlstream:error:RUN_NOT_FOUND' });
    expect((await trainer.post('/v1/runs', { runId, experiment: 'e' })).status).toBe(201);
    expect((await trainer.post('/v1/runs', { runId, experiment: 'e' })).body).toMatchObject({ status: 409, code: 'RUN_ALREADY_EXISTS' });
    expect((await trainer.post(`/v1/runs/${runId}/params`, { params: { a: '1' } })).status).toBe(200);
    expect((await trainer.post(`/v1/runs/${runId}/params`, { params: { a: '1' } })).status).toBe(200);
    const immutable = await trainer.post(`/v1/runs/${runId}/params`, { params: { a: '2' } });
    expect(immutable.body).toMatchObject({ status: 409, code: 'PARAM_IMMUTABLE', details: { key: 'a', old: '1', new: '2' } });
    const conflict = await trainer.post(`/v1/runs/${runId}/tags`, { tags: { x: 'y' }, expectedVersion: 1 });
    // Logging the same param value again adds no event: the run is at version 2.
    expect(conflict.body).toMatchObject({ status: 409, code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await trainer.post(`/v1/runs/${runId}/finish`, { status: 'KILLED' })).status).toBe(200);
    expect((await trainer.post(`/v1/runs/${runId}/metrics`, { metrics: [{ key: 'acc', value: 1 }] })).body).toMatchObject({ status: 409, code: 'RUN_TERMINAL' });
  });

  it('registry: register (with the version number), transition, aliases, and every registry rejection', async () => {
    const model = `model-${randomUUID().slice(0, 8)}`;
    const run = await trainer.post('/v1/runs', { experiment: 'gate' });
    await trainer.post(`/v1/runs/${run.body.runId as string}/metrics`, { metrics: [{ key: 'acc', value: 0.5 }] });
    expect((await trainer.post(`/v1/models/${model}/versions/1/stage`, { stage: 'STAGING' })).body).toMatchObject({ status: 404, code: 'MODEL_NOT_FOUND' });
    const v1 = await trainer.post(`/v1/models/${model}/versions`, { runId: run.body.runId, artifactUri: 's3://m/1', reason: 'first' });
    expect(v1).toMatchObject({ status: 201, body: { model, version: 1, aggregateVersion: 1 } });
    const v2 = await trainer.post(`/v1/models/${model}/versions`, { runId: run.body.runId, artifactUri: 's3://m/2' });
    expect(v2.body).toMatchObject({ version: 2 });
    expect((await trainer.post(`/v1/models/${model}/versions/1/stage`, { stage: 'STAGING', reason: 'ready' })).status).toBe(200);
    expect((await trainer.post(`/v1/models/${model}/versions/1/stage`, { stage: 'STAGING' })).body).toMatchObject({ status: 422, code: 'INVALID_TRANSITION' });
    expect((await trainer.post(`/v1/models/${model}/versions/99/stage`, { stage: 'STAGING' })).body).toMatchObject({ status: 404, code: 'MODEL_VERSION_NOT_FOUND' });
    const gated = { stage: 'PRODUCTION', gate: { metric: 'acc', comparator: 'GT', threshold: 0.9 } };
    expect((await trainer.post(`/v1/models/${model}/versions/1/stage`, gated)).body).toMatchObject({ status: 422, code: 'GATE_FAILED', details: { metric: 'acc' } });
    expect((await trainer.post(`/v1/models/${model}/versions/1/stage`, { ...gated, stage: 'ARCHIVED' })).body).toMatchObject({ status: 422, code: 'INVALID_COMMAND' });
    expect((await trainer.put(`/v1/models/${model}/aliases/champion`, { version: 1, reason: 'best so far' })).status).toBe(200);
    expect((await trainer.del(`/v1/models/${model}/aliases/champion`)).status).toBe(200);
    expect((await trainer.del(`/v1/models/${model}/aliases/champion`)).body).toMatchObject({ status: 404, code: 'ALIAS_NOT_FOUND' });
    expect((await as(tokens.writer).post(`/v1/models/${model}/versions`, { artifactUri: 's3://m/3' })).status).toBe(403);

    const events = (await readTopic(kafka, serde, catalog.topic('registry'))).filter((e) => e.key === model);
    expect(events.map((e) => e.type)).toEqual(['ModelVersionRegistered', 'ModelVersionRegistered', 'StageTransitioned', 'AliasSet', 'AliasDeleted']);
    expect(events[0]!.value).toMatchObject({ actor: 'trainer', reason: 'first', version: 1 });
  });

  it('refuses a model version naming a run that was never started (404 RUN_NOT_FOUND, nothing sent); a run started just before is never refused', async () => {
    const model = `model-${randomUUID().slice(0, 8)}`;
    const ghost = `ghost-${randomUUID()}`;
    const refused = await trainer.post(`/v1/models/${model}/versions`, { runId: ghost, artifactUri: 's3://m/ghost' });
    expect(refused).toMatchObject({ status: 404, body: { code: 'RUN_NOT_FOUND', runId: ghost } });
    // Right after its StartRun answered, a run is known: the check reads the runs topic to its end before refusing.
    for (let i = 0; i < 5; i++) {
      const run = await trainer.post('/v1/runs', { experiment: 'fresh' });
      const registered = await trainer.post(`/v1/models/${model}/versions`, { runId: run.body.runId, artifactUri: `s3://m/${i}` });
      expect(registered, JSON.stringify(registered.body)).toMatchObject({ status: 201, body: { version: i + 1 } });
    }
    const commands = (await readTopic(kafka, serde, catalog.topic('registry.commands'))).filter((e) => e.key === model);
    expect(commands.map((e) => (e.value as { runId: string | null }).runId)).not.toContain(ghost);
    expect(commands).toHaveLength(5);
  });

  it('a retried command with the same Idempotency-Key gets the first answer and is applied once', async () => {
    const key = randomUUID();
    const first = await trainer.post('/v1/runs', { experiment: 'idem' }, { 'idempotency-key': key });
    const again = await trainer.post('/v1/runs', { experiment: 'idem' }, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: first.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    // A second gateway has no answer cache for the key: the processor answers the repeated command id with its first outcome.
    const other = await startTestGateway({ prefix });
    try {
      await other.commandsReady;
      const third = await other.call('POST', '/v1/runs', { body: { experiment: 'idem' }, token: tokens.trainer, headers: { 'idempotency-key': key } });
      expect(third).toMatchObject({ status: 201, body: { runId: first.body.runId, commandId: first.body.commandId, aggregateVersion: 1 } });
    } finally {
      await other.stop();
    }
    const started = (await readTopic(kafka, serde, catalog.topic('runs'))).filter((e) => e.key === first.body.runId);
    expect(started.map((e) => e.type)).toEqual(['RunStarted']);
  });
});

describe('gateway: command results that do not come in time', () => {
  const prefix = `${uniqueName('gwto')}.`;
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('gateway-timeout');
  let gw: TestGateway;
  let processors: RunningService[] = [];

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    gw = await startTestGateway({ prefix, env: { MLSTREAM_GATEWAY_COMMAND_TIMEOUT_MS: '1500', MLSTREAM_GATEWAY_RETRY_AFTER_S: '2' } });
    await gw.commandsReady;
  });
  afterAll(async () => {
    await gw?.stop();
    await Promise.all(processors.map((p) => p.stop()));
  });

  it('answers 504 COMMAND_TIMEOUT (retriable, Retry-After) while no processor runs; the same Idempotency-Key later gets the outcome', async () => {
    const key = randomUUID();
    const body = { runId: `late-${key}`, experiment: 'late' };
    const res = await gw.call('POST', '/v1/runs', { body, token: tokens.trainer, headers: { 'idempotency-key': key } });
    expect(res).toMatchObject({ status: 504, body: { code: 'COMMAND_TIMEOUT', retriable: true } });
    expect(res.headers.get('retry-after')).toBe('2');
    expect(res.body.detail).toMatch(/may still be applied.*same Idempotency-Key/);
    processors = await startProcessors(prefix);
    const retried = await waitFor(
      async () => {
        const r = await gw.call('POST', '/v1/runs', { body, token: tokens.trainer, headers: { 'idempotency-key': key } });
        return r.status === 504 ? undefined : r;
      },
      { timeoutMs: 60_000, intervalMs: 500, what: 'the command outcome after the processors started' },
    );
    expect(retried).toMatchObject({ status: 201, body: { runId: body.runId, aggregateVersion: 1 } });
  });
});
