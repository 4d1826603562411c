import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, experimentIdOf, readTopic, resolveCatalog, type RunningService } from '@mlstream/kit';
import { applyTestTopics, connections, startCommandProcessors, testKafka, uniqueName } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

// The MLflow REST API as the MLflow Python client calls it (bodies and query
// strings recorded from MLflow 3.17's client, /work/coord/mlflow-calls), against
// a real gateway and the real tracking and registry processors: every write
// becomes our events, every read right after a write sees it (no waits).
describe('MLflow REST API: tracking, logged models and registry through the processors', () => {
  const prefix = `${uniqueName('mlflow')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('mlflow-api');
  let gw: TestGateway;
  let processors: RunningService[] = [];

  // MLFLOW_TRACKING_URI=http://mlstream:<key>@host: the client sends the key as Basic auth.
  const basic = (token: string) => `Basic ${Buffer.from(`mlstream:${token}`).toString('base64')}`;
  /** An MLflow JSON answer, as loosely typed as JSON.parse gives it: the tests walk it like the Python client does. */
  type Json = ReturnType<typeof JSON.parse>;
  const call = async (method: string, path: string, body?: unknown, token: string = tokens.admin): Promise<{ status: number; body: Json; contentType: string; consistency: string | null }> => {
    const res = await gw.call(method, `/api/2.0/mlflow/${path}`, { body, token: null, headers: { authorization: basic(token) } });
    return { status: res.status, body: res.body as Json, contentType: res.headers.get('content-type') ?? '', consistency: res.headers.get('x-mlstream-consistency') };
  };
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await call(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body;
  };
  const get = (path: string) => ok('GET', path);
  const post = (path: string, body: unknown) => ok('POST', path, body);

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    processors = await startCommandProcessors({ ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_LOG_LEVEL: 'warn' });
    gw = await startTestGateway({ prefix });
    await gw.commandsReady;
  });
  afterAll(async () => {
    await gw?.stop();
    await Promise.all(processors.map((p) => p.stop()));
  });

  const experimentName = `demo-${prefix}`;
  let experimentId = '';
  let runId = '';
  let modelId = '';

  it('experiments: create, get, get-by-name, search; a second create of the name is RESOURCE_ALREADY_EXISTS', async () => {
    const missing = await call('GET', `experiments/get-by-name?experiment_name=${encodeURIComponent(experimentName)}`);
    expect([missing.status, missing.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    experimentId = (await post('experiments/create', { name: experimentName })).experiment_id;
    expect(experimentId).toBe(experimentIdOf(experimentName));
    const { experiment } = await get(`experiments/get-by-name?experiment_name=${encodeURIComponent(experimentName)}`);
    expect(experiment).toMatchObject({ experiment_id: experimentId, name: experimentName, artifact_location: `mlflow-artifacts:/${experimentId}`, lifecycle_stage: 'active' });
    expect(typeof experiment.creation_time).toBe('number');
    expect((await get('experiments/get?experiment_id=0')).experiment).toMatchObject({ experiment_id: '0', name: 'Default' });
    const again = await call('POST', 'experiments/create', { name: experimentName });
    expect([again.status, again.body.error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);
    const found = await post('experiments/search', { max_results: 1000, filter: `name = '${experimentName}'`, view_type: 'ACTIVE_ONLY' });
    expect(found.experiments.map((e: { experiment_id: string }) => e.experiment_id)).toEqual([experimentId]);
    await post('experiments/set-experiment-tag', { experiment_id: experimentId, key: 'team', value: 'risk' });
    expect((await get(`experiments/get?experiment_id=${experimentId}`)).experiment.tags).toEqual([{ key: 'team', value: 'risk' }]);
    await post('experiments/delete-experiment-tag', { experiment_id: experimentId, key: 'team' });
    expect((await get(`experiments/get?experiment_id=${experimentId}`)).experiment).not.toHaveProperty('tags');

    // Rename keeps the id (derived from the first name); delete and restore flip the lifecycle stage.
    const other = (await post('experiments/create', { name: `${experimentName}-other` })).experiment_id;
    await post('experiments/update', { experiment_id: other, new_name: `${experimentName}-renamed` });
    expect((await get(`experiments/get-by-name?experiment_name=${encodeURIComponent(`${experimentName}-renamed`)}`)).experiment.experiment_id).toBe(other);
    const taken = await call('POST', 'experiments/update', { experiment_id: other, new_name: experimentName });
    expect([taken.status, taken.body.error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);
    await post('experiments/delete', { experiment_id: other });
    expect((await get(`experiments/get?experiment_id=${other}`)).experiment.lifecycle_stage).toBe('deleted');
    const deletedRun = await call('POST', 'runs/create', { experiment_id: other });
    expect([deletedRun.status, deletedRun.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const onlyDeleted = await post('experiments/search', { view_type: 'DELETED_ONLY', filter: `name LIKE '${experimentName}%'` });
    expect(onlyDeleted.experiments.map((e: { experiment_id: string }) => e.experiment_id)).toEqual([other]);
    await post('experiments/restore', { experiment_id: other });
    expect((await get(`experiments/get?experiment_id=${other}`)).experiment.lifecycle_stage).toBe('active');
  });

  it('the snippet: create a run, log params and metrics, read them back at once; a second param value is refused with its reason', async () => {
    const created = await post('runs/create', { experiment_id: experimentId, user_id: 'root', start_time: Date.now(), tags: [{ key: 'mlflow.user', value: 'root' }, { key: 'mlflow.source.type', value: 'LOCAL' }] });
    runId = created.run.info.run_id;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(created.run.info).toMatchObject({ run_uuid: runId, experiment_id: experimentId, status: 'RUNNING', lifecycle_stage: 'active', artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts` });
    const runName = created.run.info.run_name as string;
    expect(created.run.data.tags).toContainEqual({ key: 'mlflow.runName', value: runName });
    await post('runs/log-parameter', { run_uuid: runId, run_id: runId, key: 'learning_rate', value: '0.01' });
    await post('runs/log-parameter', { run_uuid: runId, run_id: runId, key: 'epochs', value: '100' });
    const t = Date.now();
    await post('runs/log-metric', { run_uuid: runId, run_id: runId, key: 'accuracy', value: 0.95, timestamp: t, step: 0 });
    await post('runs/log-batch', { run_id: runId, metrics: [{ key: 'f1_score', value: 0.93, timestamp: t, step: 0 }, { key: 'accuracy', value: 0.96, timestamp: t + 1, step: 1 }], params: [], tags: [{ key: 'team', value: 'risk' }] });
    const { run } = await get(`runs/get?run_uuid=${runId}&run_id=${runId}`);
    expect(run.info.run_name).toBe(runName);
    expect(run.data.params).toEqual(expect.arrayContaining([{ key: 'learning_rate', value: '0.01' }, { key: 'epochs', value: '100' }]));
    expect(run.data.metrics).toEqual(expect.arrayContaining([{ key: 'accuracy', value: 0.96, timestamp: t + 1, step: 1 }, { key: 'f1_score', value: 0.93, timestamp: t, step: 0 }]));
    expect(run.data.tags).toContainEqual({ key: 'team', value: 'risk' });
    const history = await get(`metrics/get-history?run_uuid=${runId}&metric_key=accuracy&run_id=${runId}&max_results=25000`);
    expect(history.metrics.map((m: { value: number }) => m.value)).toEqual([0.95, 0.96]);

    const model = { artifact_path: 'model', flavors: { python_function: {} }, utc_time_created: '2026-11-27 17:00:00.000000', run_id: runId };
    await post('runs/log-model', { run_id: runId, model_json: JSON.stringify(model) });
    const tags = (await get(`runs/get?run_id=${runId}`)).run.data.tags as Array<{ key: string; value: string }>;
    expect(JSON.parse(tags.find((t) => t.key === 'mlflow.log-model.history')!.value)).toEqual([model]);

    const changed = await call('POST', 'runs/log-parameter', { run_id: runId, key: 'learning_rate', value: '0.02' });
    expect([changed.status, changed.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(changed.body.message).toMatch(/^PARAM_IMMUTABLE: /);
    const unknown = await call('POST', 'runs/log-metric', { run_id: '0'.repeat(32), key: 'm', value: 1, timestamp: t, step: 0 });
    expect([unknown.status, unknown.body.error_code]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    const unknownGet = await call('GET', `runs/get?run_id=${'0'.repeat(32)}`);
    expect(unknownGet.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Run with id=${'0'.repeat(32)} not found` });
  });

  it("log_model: a logged model is created, finalized and tagged as LoggedModelRecorded snapshots, and the run's outputs name it", async () => {
    const created = await post('logged-models', { experiment_id: experimentId, name: 'model', source_run_id: runId, params: [{ key: 'learning_rate', value: '0.01' }], tags: [{ key: 'mlflow.user', value: 'root' }] });
    modelId = created.model.info.model_id;
    expect(modelId).toMatch(/^m-[0-9a-f]{32}$/);
    expect(created.model.info).toMatchObject({ experiment_id: experimentId, status: 'LOGGED_MODEL_PENDING', source_run_id: runId, artifact_uri: `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts` });
    await post('runs/outputs', { run_id: runId, models: [{ model_id: modelId, step: 0 }] });
    const finalize = await call('PATCH', `logged-models/${modelId}`, { model_id: modelId, status: 'LOGGED_MODEL_READY' });
    expect(finalize.body.model.info.status).toBe('LOGGED_MODEL_READY');
    // The snapshot's position is the write's consistency token (another gateway instance can wait for it).
    expect(finalize.consistency).toMatch(new RegExp(`^${catalog.topic('artifacts').replace(/\./g, '\\.')}:\\d+:\\d+$`));
    await ok('PATCH', `logged-models/${modelId}/tags`, { tags: [{ key: 'mlflow.modelVersions', value: '[]' }] });
    const { model } = await get(`logged-models/${modelId}`);
    expect(model.info.status).toBe('LOGGED_MODEL_READY');
    expect(model.info.tags).toContainEqual({ key: 'mlflow.modelVersions', value: '[]' });
    expect(model.data.params).toEqual([{ key: 'learning_rate', value: '0.01' }]);
    const searched = await post('logged-models/search', { experiment_ids: [experimentId], filter: "name = 'model'" });
    expect(searched.models.map((m: { info: { model_id: string } }) => m.info.model_id)).toEqual([modelId]);
    expect((await get(`runs/get?run_id=${runId}`)).run.outputs).toEqual({ model_outputs: [{ model_id: modelId, step: 0 }] });
    const snapshots = (await readTopic(kafka, serde, catalog.topic('artifacts'))).filter((e) => e.type === 'LoggedModelRecorded' && e.key === modelId);
    expect(snapshots.map((e) => (e.value as { status: string }).status)).toEqual(['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_READY']);
  });

  it('finishes, searches and deletes runs; every write is an event on the runs topic', async () => {
    const updated = await post('runs/update', { run_uuid: runId, run_id: runId, status: 'FINISHED', end_time: Date.now() });
    expect(updated.run_info).toMatchObject({ run_id: runId, status: 'FINISHED' });
    expect(typeof updated.run_info.end_time).toBe('number');
    const found = await post('runs/search', { experiment_ids: [experimentId], run_view_type: 'ACTIVE_ONLY', filter: "params.epochs = '100'", max_results: 1000, order_by: ['metrics.accuracy DESC'] });
    expect(found.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);
    await post('runs/delete', { run_id: runId });
    expect((await get(`runs/get?run_id=${runId}`)).run.info.lifecycle_stage).toBe('deleted');
    expect((await post('runs/search', { experiment_ids: [experimentId], run_view_type: 'ACTIVE_ONLY', max_results: 10 })).runs ?? []).toEqual([]);
    await post('runs/restore', { run_id: runId });
    const events = (await readTopic(kafka, serde, catalog.topic('runs'))).filter((e) => e.key === runId).map((e) => e.type);
    expect(events).toEqual(['RunStarted', 'ParamsLogged', 'ParamsLogged', 'MetricsLogged', 'MetricsLogged', 'TagsSet', 'TagsSet', 'RunFinished', 'RunDeleted', 'RunRestored']);
  });

  it('registry: create, versions from the logged model, Staging → Production archiving the others, @champion, download URI', async () => {
    const name = `fraud-${prefix}`;
    const created = await post('registered-models/create', { name });
    expect(created.registered_model).toMatchObject({ name });
    const dup = await call('POST', 'registered-models/create', { name });
    expect([dup.status, dup.body.error_code]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);
    const v1 = (await post('model-versions/create', { name, source: `models:/${modelId}`, run_id: runId, model_id: modelId })).model_version;
    expect(v1).toMatchObject({ name, version: '1', current_stage: 'None', source: `models:/${modelId}`, run_id: runId, status: 'READY' });
    // MLflow 3's register_model("models:/m-...") sends no run_id: the logged model's source run is the version's.
    const v2 = (await post('model-versions/create', { name, source: `models:/${modelId}`, model_id: modelId })).model_version;
    expect(v2).toMatchObject({ version: '2', run_id: runId });
    expect((await post('model-versions/transition-stage', { name, version: '1', stage: 'Production', archive_existing_versions: false })).model_version.current_stage).toBe('Production');
    await post('model-versions/transition-stage', { name, version: '2', stage: 'Staging', archive_existing_versions: false });
    await post('model-versions/transition-stage', { name, version: '2', stage: 'Production', archive_existing_versions: true });
    const latest = await post('registered-models/get-latest-versions', { name });
    expect(latest.model_versions.map((v: { version: string; current_stage: string }) => [v.version, v.current_stage])).toEqual([
      ['1', 'Archived'],
      ['2', 'Production'],
    ]);
    await post('registered-models/alias', { name, alias: 'champion', version: '2' });
    expect((await get(`registered-models/alias?name=${name}&alias=champion`)).model_version).toMatchObject({ version: '2', aliases: ['champion'] });
    expect(await get(`model-versions/get-download-uri?name=${name}&version=2`)).toEqual({ artifact_uri: `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts` });
    await post('registered-models/set-tag', { name, key: 'team', value: 'risk' });
    await post('model-versions/set-tag', { name, version: '1', key: 'validated', value: 'true' });
    expect((await ok('PATCH', 'model-versions/update', { name, version: '1', description: 'first' })).model_version).toMatchObject({ description: 'first', tags: [{ key: 'validated', value: 'true' }] });
    const registered = (await get(`registered-models/get?name=${name}`)).registered_model;
    expect(registered).toMatchObject({ tags: [{ key: 'team', value: 'risk' }], aliases: [{ alias: 'champion', version: '2' }] });
    const searched = await get(`model-versions/search?filter=${encodeURIComponent(`name='${name}'`)}&max_results=10000`);
    expect(searched.model_versions.map((v: { version: string }) => v.version)).toEqual(['2', '1']);

    await ok('DELETE', 'registered-models/alias', { name, alias: 'champion' });
    const gone = await call('GET', `registered-models/alias?name=${name}&alias=champion`);
    expect([gone.status, gone.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const rename = await call('POST', 'registered-models/rename', { name, new_name: `${name}-r` });
    expect([rename.status, rename.body.error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    await ok('DELETE', 'model-versions/delete', { name, version: '1' });
    const deleted = await call('GET', `model-versions/get?name=${name}&version=1`);
    expect(deleted.body).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: `Model Version (name=${name}, version=1) not found` });
    await ok('DELETE', 'registered-models/delete', { name });
    expect((await call('GET', `registered-models/get?name=${name}`)).status).toBe(404);
  });

  it('read-your-writes under concurrent writers: each client reads its own metric at once', async () => {
    const clients = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const id = (await post('runs/create', { experiment_id: experimentId, run_name: `c${i}` })).run.info.run_id as string;
        for (let step = 0; step < 5; step++) {
          await post('runs/log-metric', { run_id: id, key: 'loss', value: step, timestamp: Date.now(), step });
          const seen = (await get(`runs/get?run_id=${id}`)).run.data.metrics;
          expect(seen, `client ${i} step ${step}`).toEqual([expect.objectContaining({ key: 'loss', value: step, step })]);
        }
        return id;
      }),
    );
    expect(new Set(clients).size).toBe(8);
  });

  it('scopes: a read-only key reads but cannot write (PERMISSION_DENIED); unknown endpoints are ENDPOINT_NOT_FOUND', async () => {
    expect((await call('GET', 'experiments/get?experiment_id=0', undefined, tokens.reader)).status).toBe(200);
    const write = await call('POST', 'runs/create', { experiment_id: '0' }, tokens.reader);
    expect([write.status, write.body.error_code]).toEqual([403, 'PERMISSION_DENIED']);
    const unserved = await call('POST', 'traces', { x: 1 });
    expect([unserved.status, unserved.body.error_code]).toEqual([404, 'ENDPOINT_NOT_FOUND']);
    expect(unserved.contentType).toMatch(/^application\/json/);
  });
});
