import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTopics, resolveCatalog, type RunningService } from '@mlstream/kit';
import { runMaterializerService, type RunningMaterializer } from '@mlstream/materializer';
import { createClient, createFeatureWriter } from '@mlstream/sdk';
import { startCommandProcessors, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

// The feature store over HTTP, end to end: definitions decided by the
// registry processor, values validated by the gateway, materialized into
// ClickHouse, and a point-in-time training set saved as a dataset version.
type Historical = { rows: Array<{ values: Record<string, unknown> }> };

describe('gateway feature store: definitions, values, historical retrieval', () => {
  const prefix = `${uniqueName('features')}.`;
  const database = prefix.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '');
  const env = { MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: database, MLSTREAM_LOG_LEVEL: 'warn' };
  let gateway: TestGateway;
  let materializer: RunningMaterializer;
  let processors: RunningService[] = [];
  const H = 3_600_000;
  const T0 = Date.UTC(2026, 9, 1);

  beforeAll(async () => {
    const admin = testKafka('features').admin();
    await admin.connect();
    await applyTopics(admin, resolveCatalog(prefix));
    await admin.disconnect();
    processors = await startCommandProcessors({ ...process.env, ...env });
    materializer = await runMaterializerService({ env: { ...process.env, ...env, MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200' }, signals: false });
    gateway = await startTestGateway({ prefix, env });
    await gateway.commandsReady;
  });
  afterAll(async () => {
    await gateway?.stop();
    await materializer?.stop();
    for (const p of processors) await p.stop();
  });

  it('versions definitions: same content is no new version, a change is, a type change is refused', async () => {
    const entity = await gateway.call('PUT', '/v1/features/entities/driver', { body: { keyName: 'driver_id', keyType: 'INT64' }, token: tokens.trainer });
    expect(entity.status, JSON.stringify(entity.body)).toBe(200);
    expect(entity.body).toMatchObject({ name: 'driver', version: 1, changed: true });
    const again = await gateway.call('PUT', '/v1/features/entities/driver', { body: { keyName: 'driver_id', keyType: 'INT64' }, token: tokens.trainer });
    expect(again.body).toMatchObject({ version: 1, changed: false });

    const orphan = await gateway.call('PUT', '/v1/features/views/x', { body: { entity: 'nobody', features: [{ name: 'a', type: 'NUMERIC' }] }, token: tokens.trainer });
    expect([orphan.status, orphan.body.code]).toEqual([404, 'FEATURE_ENTITY_NOT_FOUND']);

    const features = [{ name: 'conv_rate', type: 'NUMERIC' }, { name: 'city', type: 'CATEGORICAL' }];
    const v1 = await gateway.call('PUT', '/v1/features/views/driver_stats', { body: { entity: 'driver', features: features.slice(0, 1), ttlSeconds: 2 * 3600 }, token: tokens.trainer });
    expect(v1.body).toMatchObject({ version: 1, changed: true });
    const v2 = await gateway.call('PUT', '/v1/features/views/driver_stats', { body: { entity: 'driver', features, ttlSeconds: 2 * 3600 }, token: tokens.trainer });
    expect(v2.body).toMatchObject({ version: 2, changed: true });
    const clash = await gateway.call('PUT', '/v1/features/views/driver_stats', { body: { entity: 'driver', features: [{ name: 'conv_rate', type: 'CATEGORICAL' }] }, token: tokens.trainer });
    expect([clash.status, clash.body.code]).toEqual([409, 'FEATURE_DEFINITION_CONFLICT']);

    const read = await gateway.call('GET', '/v1/features/views/driver_stats', { token: tokens.reader });
    expect(read.body).toMatchObject({ name: 'driver_stats', version: 2, versions: [1, 2], entity: 'driver', ttlSeconds: 7200, features: [{ name: 'conv_rate', type: 'NUMERIC' }, { name: 'city', type: 'CATEGORICAL' }] });
    expect((await gateway.call('GET', '/v1/features/views/driver_stats?version=1', { token: tokens.reader })).body.features as unknown[]).toHaveLength(1);
    expect((await gateway.call('GET', '/v1/features/views/nope', { token: tokens.reader })).body.code).toBe('FEATURE_VIEW_NOT_FOUND');
    expect(((await gateway.call('GET', '/v1/features/entities', { token: tokens.reader })).body.entities as Array<{ name: string }>).map((e) => e.name)).toEqual(['driver']);
  });

  it('refuses values that do not match the view, with the item and feature named', async () => {
    const post = (values: unknown[]) => gateway.call('POST', '/v1/features/values', { body: { values }, token: tokens.writer });
    const unknownView = await post([{ view: 'nope', entityKey: 1, occurredAt: T0, numericValues: { a: 1 } }]);
    expect([unknownView.status, unknownView.body.code]).toEqual([404, 'FEATURE_VIEW_NOT_FOUND']);
    const bad = await post([
      { view: 'driver_stats', entityKey: 1001, occurredAt: T0, numericValues: { conv_rate: 0.5 } },
      { view: 'driver_stats', entityKey: 1001, occurredAt: T0, numericValues: { speed: 3 } },
      { view: 'driver_stats', entityKey: 'abc', occurredAt: T0, numericValues: { city: 3 } },
    ]);
    expect([bad.status, bad.body.code]).toEqual([422, 'FEATURE_VALUES_INVALID']);
    expect(bad.body.detail).toBe('values[1].numericValues.speed: view driver_stats v2 has no feature speed (and 2 more)');
    expect(JSON.stringify(bad.body)).toContain('entity key \\"abc\\" is not a decimal INT64');
    const nan = await gateway.call('POST', '/v1/features/values', { raw: '{"values":[{"view":"driver_stats","entityKey":1,"occurredAt":1790000000000,"numericValues":{"conv_rate":NaN}}]}', token: tokens.writer });
    expect(nan.status).toBe(400);
  });

  it('answers point-in-time values (no leakage, TTL, unseen keys) and saves the training set as a dataset version', async () => {
    const values = [
      { view: 'driver_stats', entityKey: 1001, occurredAt: T0, numericValues: { conv_rate: 0.1 }, categoricalValues: { city: 'Lyon' } },
      { view: 'driver_stats', entityKey: 1001, occurredAt: T0 + H, numericValues: { conv_rate: 0.2 }, categoricalValues: { city: 'Lyon' } },
      { view: 'driver_stats', entityKey: 1002, occurredAt: T0, numericValues: { conv_rate: 0.7 } },
      // Late: logged last, happened before the others of 1001.
      { view: 'driver_stats', entityKey: 1001, occurredAt: T0 - H, numericValues: { conv_rate: 0.05 }, categoricalValues: { city: 'Nice' } },
    ];
    const posted = await gateway.call('POST', '/v1/features/values', { body: { values }, token: tokens.writer, headers: { 'idempotency-key': 'fv-1' } });
    expect(posted.status, JSON.stringify(posted.body)).toBe(202);
    const entityRows = [
      { entities: { driver_id: 1001 }, timestamp: T0 - 30 * 60_000 }, // the late value
      { entities: { driver_id: 1001 }, timestamp: T0 + H }, // exactly at an event
      { entities: { driver_id: 1001 }, timestamp: T0 + H - 1 }, // just before it: no leakage
      { entities: { driver_id: 1002 }, timestamp: T0 + 2 * H }, // TTL bound, inclusive
      { entities: { driver_id: 1002 }, timestamp: T0 + 2 * H + 1 }, // expired
      { entities: { driver_id: 4242 }, timestamp: T0 }, // never seen
    ];
    const features = ['driver_stats:conv_rate', 'driver_stats:city'];
    const answer = await waitFor(
      async () => {
        const r = await gateway.call('POST', '/v1/features/historical', { body: { entityRows, features }, token: tokens.reader });
        const body = r.body as unknown as Historical;
        return r.status === 200 && body.rows[1]!.values['driver_stats:conv_rate'] === 0.2 && body.rows[0]!.values['driver_stats:conv_rate'] === 0.05 && body;
      },
      { what: 'materialized feature values', timeoutMs: 60_000, intervalMs: 300 },
    );
    expect(answer.rows.map((r) => [r.values['driver_stats:conv_rate'], r.values['driver_stats:city']])).toEqual([
      [0.05, 'Nice'],
      [0.2, 'Lyon'],
      [0.1, 'Lyon'],
      [0.7, null],
      [null, null],
      [null, null],
    ]);

    const unknown = await gateway.call('POST', '/v1/features/historical', { body: { entityRows, features: ['driver_stats:speed'] }, token: tokens.reader });
    expect([unknown.status, unknown.body.code]).toEqual([422, 'FEATURE_VALUES_INVALID']);
    const noKey = await gateway.call('POST', '/v1/features/historical', { body: { entityRows: [{ entities: { user: 1 }, timestamp: T0 }], features }, token: tokens.reader });
    expect([noKey.status, noKey.body.code]).toEqual([400, 'INVALID_REQUEST']);
    expect((await gateway.call('POST', '/v1/features/historical', { body: { entityRows, features, dataset: { datasetId: 'x', version: '1' } }, token: tokens.reader })).status).toBe(403);

    const saved = await gateway.call('POST', '/v1/features/historical', { body: { entityRows, features, dataset: { datasetId: 'driver-training', version: 'v1' } }, token: tokens.admin });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const dataset = (saved.body as unknown as { dataset: { contentSha256: string } }).dataset;
    expect(dataset).toMatchObject({ datasetId: 'driver-training', version: 'v1', rowCount: 6 });
    expect(dataset.contentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('SDK: the Kafka writer validates like the gateway, and a saved training set becomes a run input', async () => {
    const writer = await createFeatureWriter({ topicPrefix: prefix, kafka: testKafka('feature-writer') });
    try {
      await expect(writer.write({ view: 'nope', entityKey: 1, occurredAt: T0, numericValues: { a: 1 } })).rejects.toMatchObject({ code: 'FEATURE_VIEW_NOT_FOUND' });
      await expect(writer.write({ view: 'driver_stats', entityKey: 1001, occurredAt: T0, numericValues: { conv_rate: Number.NaN } })).rejects.toMatchObject({ code: 'FEATURE_VALUES_INVALID', message: 'numericValues.conv_rate: feature driver_stats:conv_rate must be finite, got NaN' });
      await expect(writer.write({ view: 'driver_stats', entityKey: 1001, occurredAt: T0, categoricalValues: { conv_rate: 'x' } })).rejects.toMatchObject({ code: 'FEATURE_VALUES_INVALID' });
      await expect(writer.write({ view: 'driver_stats', entityKey: 1001, occurredAt: T0, numericValues: { speed: 1 } })).rejects.toMatchObject({ code: 'FEATURE_VALUES_INVALID' });
      await writer.write({ view: 'driver_stats', entityKey: 1003, occurredAt: T0 + 5 * H, numericValues: { conv_rate: 0.33 }, categoricalValues: { city: 'Nice' } });
      await writer.flush();
    } finally {
      await writer.close();
    }
    const client = createClient({ baseUrl: gateway.url, apiKey: tokens.admin });
    const entityRows = [{ entities: { driver_id: 1003 }, timestamp: T0 + 6 * H }];
    const features = ['driver_stats:conv_rate', 'driver_stats:city'];
    const answer = await waitFor(
      async () => {
        const a = await client.features.getHistoricalFeatures({ entityRows, features });
        return a.rows[0]!.values['driver_stats:conv_rate'] === 0.33 && a;
      },
      { what: 'the written value in ClickHouse', timeoutMs: 60_000, intervalMs: 300 },
    );
    expect(answer.rows[0]!.values).toEqual({ 'driver_stats:conv_rate': 0.33, 'driver_stats:city': 'Nice' });
    const saved = await client.features.getHistoricalFeatures({ entityRows, features, dataset: { datasetId: 'sdk-training', version: 'v1' } });
    const run = await client.runs.start({ experiment: 'features', name: 'on-a-training-set' });
    await run.logInputs([{ datasetId: saved.dataset!.datasetId, version: saved.dataset!.version, context: 'training' }]);
    await run.finish('FINISHED');
    const read = await client.runs.read(run.runId);
    expect(JSON.stringify(read)).toContain('sdk-training');
  });
});
