import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTopics, createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type FeatureValuesLogged, type RunningService } from '@mlstream/kit';
import { startFeaturesService } from '@mlstream/features';
import { createHttp, entityInput, onlineFeaturesApi } from '@mlstream/sdk';
import { runMaterializerService, type RunningMaterializer } from '@mlstream/materializer';
import { connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';
import { freePort } from '../helpers/processes.ts';

// Online serving and skew, end to end on the real stack: a view definition
// and feature events in; POST /v1/features/online through the gateway (TTL
// and unknown entities included); a model server that reads its features
// there and logs predictions naming the entity; one serving path deliberately
// broken (a stale, off-by-one cache of `trips`), whose skew shows up per
// feature on mlops.feature-skew.v1 and at GET /v1/features/views/:view/skew.
describe('online features and skew', () => {
  const prefix = `${uniqueName('features-online')}.`;
  const database = prefix.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '');
  const env = { MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: database, MLSTREAM_LOG_LEVEL: 'warn' };
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('features-online');
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  let features: RunningService;
  let materializer: RunningMaterializer;
  let gateway: TestGateway;

  beforeAll(async () => {
    const admin = kafka.admin();
    await admin.connect();
    await applyTopics(admin, catalog);
    await admin.disconnect();
    features = await startFeaturesService({ env: { ...process.env, ...env, MLSTREAM_HTTP_PORT: String(await freePort()) }, signals: false });
    materializer = await runMaterializerService({ env: { ...process.env, ...env, MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200' }, signals: false });
    gateway = await startTestGateway({ prefix, env: { ...env, MLSTREAM_FEATURES_URL: features.url } });
  });
  afterAll(async () => {
    await gateway?.stop();
    await materializer?.stop();
    await features?.stop();
  });

  it('serves latest values with TTL through the gateway, and reports the skew of a broken serving path per feature', async () => {
    const now = Date.now();
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const definition = await serde.encode('FeatureViewDefined', {
      eventId: randomUUID(),
      occurredAt: now - 600_000,
      commandId: randomUUID(),
      actor: 'test',
      aggregateVersion: 1,
      version: 1,
      name: 'driver_stats',
      entity: 'driver',
      features: [
        { name: 'trips', type: 'NUMERIC', description: null },
        { name: 'rating', type: 'NUMERIC', description: null },
        { name: 'city', type: 'CATEGORICAL', description: null },
      ],
      sourceTopic: 'mlops.features.v1',
      eventTimeField: 'occurredAt',
      ttlSeconds: 3600,
      description: null,
      tags: {},
    });
    await producer.send({ topic: catalog.topic('feature-definitions'), acks: -1, messages: [definition.message] });
    const drivers = Array.from({ length: 9 }, (_, i) => `d${i}`);
    const values: FeatureValuesLogged[] = [
      ...drivers.map((d, i) => ({ eventId: randomUUID(), occurredAt: now - 60_000, view: 'driver_stats', viewVersion: 1, entityKey: d, numericValues: { trips: 10 + i, rating: 4 + i / 10 }, categoricalValues: { city: i % 2 ? 'Oslo' : 'Bergen' } })),
      // A late event, older than d0's values: it must not overwrite them.
      { eventId: randomUUID(), occurredAt: now - 120_000, view: 'driver_stats', viewVersion: 1, entityKey: 'd0', numericValues: { trips: 999, rating: 1 }, categoricalValues: { city: 'Late' } },
      // Older than the view's TTL (1 h): served as expired.
      { eventId: randomUUID(), occurredAt: now - 2 * 3_600_000, view: 'driver_stats', viewVersion: 1, entityKey: 'old', numericValues: { trips: 1, rating: 1 }, categoricalValues: { city: 'Oslo' } },
    ];
    const encoded = await Promise.all(values.map((v) => serde.encode('FeatureValuesLogged', v)));
    await producer.send({ topic: catalog.topic('features'), acks: -1, messages: encoded.map((e) => e.message) });

    type Online = { results: Array<{ entityKey: string; values: Record<string, number | string | null>; eventTimes: Record<string, number | null>; statuses: Record<string, string> }> };
    const online = async (entityKeys: string[]) => {
      const r = await gateway.call('POST', '/v1/features/online', { body: { view: 'driver_stats', entityKeys }, token: tokens.reader });
      expect(r.status).toBe(200);
      return r.body as unknown as Online;
    };
    await waitFor(async () => (await online(['old'])).results[0]!.statuses.trips === 'expired' && (await online(drivers)).results.every((r) => r.statuses.trips === 'present'), { what: 'the view served', timeoutMs: 60_000 });
    const served = await online(['d0', 'old', 'nobody']);
    expect(served.results[0]).toEqual({ entityKey: 'd0', values: { trips: 10, rating: 4, city: 'Bergen' }, eventTimes: { trips: now - 60_000, rating: now - 60_000, city: now - 60_000 }, statuses: { trips: 'present', rating: 'present', city: 'present' } });
    expect(served.results[1]).toMatchObject({ entityKey: 'old', values: { trips: null, rating: null, city: null }, statuses: { trips: 'expired', rating: 'expired', city: 'expired' } });
    expect(served.results[2]).toMatchObject({ entityKey: 'nobody', statuses: { trips: 'missing', rating: 'missing', city: 'missing' } });
    expect((await gateway.call('POST', '/v1/features/online', { body: { view: 'driver_stats', entityKeys: ['d0'] }, token: null })).status).toBe(401);
    const unknownFeature = await gateway.call('POST', '/v1/features/online', { body: { view: 'driver_stats', features: ['speed'], entityKeys: ['d0'] }, token: tokens.reader });
    expect(unknownFeature.status).toBe(400);
    expect(unknownFeature.body).toMatchObject({ code: 'INVALID_REQUEST' });

    // The model server: reads its features online, predicts, logs the inputs it used and the entity.
    // The broken path reads `trips` from a stale cache, one trip behind.
    const sdk = onlineFeaturesApi(createHttp({ baseUrl: gateway.url, apiKey: tokens.reader }));
    const predict = async (model: string, driver: string, broken: boolean) => {
      const f = (await sdk.get({ view: 'driver_stats', entityKeys: [driver] }))[0]!.values;
      const trips = (f.trips as number) - (broken ? 1 : 0);
      return {
        requestId: randomUUID(),
        model,
        version: 1,
        occurredAt: Date.now(),
        numericFeatures: { trips, rating: f.rating as number, hour: 9 },
        categoricalFeatures: { city: f.city as string, ...entityInput('driver_stats', driver) },
        prediction: trips * 2,
        latencyMs: 1,
        error: null,
      };
    };
    const predictions = [...(await Promise.all(drivers.slice(0, 5).map((d) => predict('eta', d, false)))), ...(await Promise.all(drivers.slice(5).map((d) => predict('eta', d, true))))];
    // One prediction without the convention: not compared.
    predictions.push({ ...predictions[0]!, requestId: randomUUID(), categoricalFeatures: { city: 'Oslo' } });
    expect((await gateway.call('POST', '/v1/predictions', { body: { predictions }, token: tokens.writer })).status).toBe(202);

    const skew = await waitFor(
      async () => {
        const r = await sdk.skew('driver_stats', { from: now - 60_000, to: Date.now() + 60_000 });
        return r.predictions === 9 && r;
      },
      { what: 'skew of 9 predictions in ClickHouse', timeoutMs: 90_000, intervalMs: 500 },
    );
    expect(skew).toMatchObject({ view: 'driver_stats', predictions: 9, skewedPredictions: 4 });
    const byFeature = Object.fromEntries(skew.features.map((f) => [f.feature, f]));
    expect(byFeature.trips).toEqual({ feature: 'trips', compared: 9, match: 5, skew: 4, missingOnline: 0, expired: 0, unknown: 0, skewRate: 4 / 9, meanAbsDifference: 1 });
    expect(byFeature.rating).toMatchObject({ compared: 9, match: 9, skewRate: 0 });
    expect(byFeature.city).toMatchObject({ compared: 9, match: 9, skewRate: 0 });
    expect(Object.keys(byFeature).sort()).toEqual(['city', 'rating', 'trips']);

    // The events themselves name both values.
    const events = (await readTopic(kafka, serde, catalog.topic('feature-skew'))).flatMap((e) => (e.type === 'FeatureSkewMeasured' ? [e.value] : []));
    const d5 = events.find((e) => e.entityKey === 'd5')!;
    expect(d5).toMatchObject({ view: 'driver_stats', model: 'eta', version: 1, skewed: 1 });
    expect(d5.features.find((f) => f.feature === 'trips')).toMatchObject({ status: 'skew', servedNumeric: 14, onlineNumeric: 15, onlineEventTime: now - 60_000 });

    // Freshness and skew counts on the features service's /metrics.
    const metrics = await (await fetch(`${features.url}/metrics`)).text();
    expect(metrics).toMatch(/^mlstream_feature_skew_checks_total\{view="driver_stats",feature="trips",status="skew"[^}]*\} 4$/m);
    const freshness = Number(/^mlstream_feature_freshness_seconds\{view="driver_stats"[^}]*\} ([0-9.e+-]+)$/m.exec(metrics)?.[1]);
    expect(freshness).toBeGreaterThanOrEqual(60);
    expect(metrics).toMatch(/^mlstream_feature_entities\{view="driver_stats"[^}]*\} 10$/m);
    await producer.disconnect();
  });
});
