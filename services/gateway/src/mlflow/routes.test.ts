import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, createMetrics, MlstreamError, resolveCatalog } from '@mlstream/kit';
import { createKeyRing, devKey, DEV_TOKEN } from '../auth/index.ts';
import { buildApp } from '../http/index.ts';
import { createAnswerCache } from '../idempotency/index.ts';
import { defaultLimits } from '../limits/limits.ts';
import type { ExperimentView, ReadView, RegisteredModelView, RunView } from '../views/types.ts';
import type { MlflowDeps } from './deps.ts';

// The MLflow routes inside the real gateway app, reading a fixed view (a fake
// ReadView for this test only) and sending no command: shapes, MLflow's error
// answers and ENDPOINT_NOT_FOUND, without Kafka.

const experiment: ExperimentView = { experimentId: '0', name: 'Default', artifactLocation: 'mlflow-artifacts:/0', lifecycleStage: 'active', tags: {}, creationTime: 1, lastUpdateTime: 2, explicit: true };
const run = {
  runId: 'r1',
  experimentId: '0',
  runName: 'bold-fox-1',
  status: 'FINISHED',
  startTime: 10,
  endTime: 20,
  lifecycleStage: 'active',
  userId: 'dev',
  artifactUri: 'mlflow-artifacts:/0/r1/artifacts',
  params: { lr: '0.01' },
  tags: { 'mlflow.runName': 'bold-fox-1' },
  latestMetrics: { acc: { key: 'acc', value: 0.9, step: 1, timestamp: 15 } },
  inputs: [],
  loggedModelIds: [],
  codeVersion: null,
  startedAt: { topic: 't', partition: 0, offset: 0 },
  version: 4,
} as RunView;
const model: RegisteredModelView = {
  name: 'fraud',
  description: '',
  tags: {},
  aliases: { champion: 1 },
  versions: [{ model: 'fraud', version: 1, runId: 'r1', source: 'models:/m-1', stage: 'PRODUCTION', description: '', tags: {}, aliases: ['champion'], userId: 'dev', creationTime: 30, lastUpdatedTime: 31 }],
  creationTime: 29,
  lastUpdatedTime: 31,
};

const barriers: string[][] = [];
const view: ReadView = {
  start: async () => {},
  stop: async () => {},
  written: () => {},
  barrier: async (extra = []) => {
    barriers.push(extra.map((p) => `${p.topic}:${p.partition}:${p.offset}`));
  },
  experiment: (id) => (id === '0' ? experiment : undefined),
  experimentByName: (name) => (name === 'Default' ? experiment : undefined),
  experiments: () => [experiment],
  run: (id) => (id === 'r1' ? run : undefined),
  runStarted: async (id) => id === 'r1',
  runs: () => [run],
  metricHistory: (runId, key) => (runId === 'r1' && key === 'acc' ? [{ key: 'acc', value: 0.5, step: 0, timestamp: 12 }, run.latestMetrics.acc!] : []),
  model: (name) => (name === 'fraud' ? model : undefined),
  models: () => [model],
  loggedModel: () => undefined,
  loggedModels: () => [],
  artifact: () => undefined,
  artifactsUnder: () => [],
  featureCatalog: () => ({ entities: new Map(), views: new Map() }),
};

describe('MLflow REST API on the gateway (reads and errors)', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  const auth = { authorization: `Basic ${Buffer.from(`mlstream:${DEV_TOKEN}`).toString('base64')}` };

  beforeAll(async () => {
    const deps = {
      limits: defaultLimits,
      answers: createAnswerCache(),
      commandTimeoutMs: 1_000,
      maxStreams: 1,
      heartbeatMs: 1_000,
      view,
      // The webhook routes (merged from branch webhooks) read the catalog.
      catalog: resolveCatalog(''),
      // No Kafka: every send fails as the producer fails when Kafka is down.
      serde: { encode: async (type: string) => ({ topic: 'mlops.artifacts.v1', key: type, value: Buffer.alloc(0), headers: {} }) },
      producer: { send: async () => Promise.reject(new MlstreamError('KAFKA_UNAVAILABLE')), healthy: () => false, stop: async () => {} },
    } as unknown as MlflowDeps;
    app = await buildApp({
      deps,
      keys: createKeyRing([devKey()]),
      logger: createLogger({ service: 'test', level: 'silent' }),
      metrics: createMetrics('gateway-test'),
      checks: [],
      retryAfterSeconds: 1,
      accepting: () => true,
      openStreams: new Set(),
    });
    await app.ready();
  });
  afterAll(() => app.close());

  const get = (url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });

  it('answers a run in MLflow JSON, after the view barrier with the client consistency token', async () => {
    const res = await get('/api/2.0/mlflow/runs/get?run_id=r1', { ...auth, 'x-mlstream-consistency': 'mlops.runs.v1:2:41' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      run: {
        info: { run_uuid: 'r1', run_id: 'r1', experiment_id: '0', run_name: 'bold-fox-1', user_id: 'dev', status: 'FINISHED', start_time: 10, end_time: 20, artifact_uri: 'mlflow-artifacts:/0/r1/artifacts', lifecycle_stage: 'active' },
        data: { metrics: [{ key: 'acc', value: 0.9, timestamp: 15, step: 1 }], params: [{ key: 'lr', value: '0.01' }], tags: [{ key: 'mlflow.runName', value: 'bold-fox-1' }] },
        inputs: {},
        outputs: {},
      },
    });
    expect(barriers.at(-1)).toEqual(['mlops.runs.v1:2:41']);
  });

  it('serves the same API under /ajax-api', async () => {
    expect((await get('/ajax-api/2.0/mlflow/experiments/get?experiment_id=0')).json()).toMatchObject({ experiment: { experiment_id: '0', name: 'Default', lifecycle_stage: 'active' } });
  });

  it('answers an unknown run as RESOURCE_DOES_NOT_EXIST 404, as MLflow words it', async () => {
    const res = await get('/api/2.0/mlflow/runs/get?run_uuid=nope');
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=nope not found' });
  });

  it('pages a metric history with MLflow page tokens', async () => {
    const first = (await get('/api/2.0/mlflow/metrics/get-history?run_id=r1&metric_key=acc&max_results=1')).json();
    expect(first.metrics).toEqual([{ key: 'acc', value: 0.5, step: 0, timestamp: 12 }]);
    const second = (await get(`/api/2.0/mlflow/metrics/get-history?run_id=r1&metric_key=acc&max_results=1&page_token=${first.next_page_token}`)).json();
    expect(second).toEqual({ metrics: [{ key: 'acc', value: 0.9, step: 1, timestamp: 15 }] });
    expect((await get('/api/2.0/mlflow/metrics/get-history?run_id=r1&metric_key=acc')).json().metrics).toHaveLength(2);
  });

  it('answers registry reads with MLflow stage names and string versions', async () => {
    const byAlias = (await get('/api/2.0/mlflow/registered-models/alias?name=fraud&alias=champion')).json();
    expect(byAlias.model_version).toMatchObject({ name: 'fraud', version: '1', current_stage: 'Production', run_id: 'r1', aliases: ['champion'] });
    const missing = await get('/api/2.0/mlflow/registered-models/alias?name=fraud&alias=nope');
    expect([missing.statusCode, missing.json().error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const registered = (await get('/api/2.0/mlflow/registered-models/get?name=fraud')).json().registered_model;
    expect(registered).toMatchObject({ name: 'fraud', aliases: [{ alias: 'champion', version: '1' }], latest_versions: [{ version: '1', current_stage: 'Production' }] });
    const search = (await get("/api/2.0/mlflow/registered-models/search?filter=name+%3D+%27fraud%27+AND+tag.%60mlflow.prompt.is_prompt%60+%21%3D+%27true%27&max_results=100")).json();
    expect(search.registered_models.map((m: { name: string }) => m.name)).toEqual(['fraud']);
  });

  it('answers every unserved path under the MLflow prefixes with ENDPOINT_NOT_FOUND, never a 500 or problem+json', async () => {
    for (const [method, url] of [
      ['GET', '/api/2.0/mlflow/traces/123'],
      ['POST', '/api/2.0/mlflow/prompts/create'],
      ['GET', '/ajax-api/2.0/mlflow/gateway-proxy'],
      ['DELETE', '/api/2.0/mlflow/runs/get'],
    ] as const) {
      const res = await app.inject({ method, url, headers: auth });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json().error_code).toBe('ENDPOINT_NOT_FOUND');
    }
  });

  it('refuses a missing key in MLflow shape (401), and renames of registered models with the reason', async () => {
    const anonymous = await get('/api/2.0/mlflow/runs/get?run_id=r1', {});
    expect([anonymous.statusCode, anonymous.json().error_code]).toEqual([401, 'UNAUTHENTICATED']);
    const rename = await app.inject({ method: 'POST', url: '/api/2.0/mlflow/registered-models/rename', headers: auth, payload: { name: 'fraud', new_name: 'fraud2' } });
    expect(rename.statusCode).toBe(400);
    expect(rename.json().message).toMatch(/Kafka key/);
  });

  it('answers a Kafka outage on a write as TEMPORARILY_UNAVAILABLE with Retry-After (the client retries)', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/2.0/mlflow/logged-models', headers: auth, payload: { experiment_id: '0', name: 'model' } });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.json().error_code).toBe('TEMPORARILY_UNAVAILABLE');
  });

  it('serves MLflow 3 server-info', async () => {
    expect((await get('/api/3.0/mlflow/server-info')).json()).toMatchObject({ multipart_uploads_enabled: false });
  });

  it("keeps the MLflow routes out of the gateway's OpenAPI (they answer MLflow's errors, not problem+json)", async () => {
    const paths = Object.keys((await get('/docs/json', {})).json().paths);
    expect(paths.some((p) => p.includes('mlflow'))).toBe(false);
    expect(paths.some((p) => p.startsWith('/v1/'))).toBe(true);
  });
});
