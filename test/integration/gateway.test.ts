import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, resolveCatalog } from '@mlstream/kit';
import { connections, testKafka, uniqueName, applyTestTopics } from '../helpers/index.ts';
import { prediction, startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';
import { readTopic } from '@mlstream/kit';

// The facts endpoints, auth, validation and limits through HTTP against the real
// Kafka and registry: what is accepted is in Kafka, decodable; what is refused is not.
describe('gateway: facts, auth, validation, limits, idempotency', () => {
  const prefix = `${uniqueName('gw')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('gateway-test');
  let gw: TestGateway;
  /** eventIds of every prediction the tests got a 202 for. */
  const acceptedPredictions: string[] = [];

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    gw = await startTestGateway({ prefix });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  const post = (path: string, body: unknown, token: string | null = tokens.writer, headers: Record<string, string> = {}) => gw.call('POST', path, { body, token, headers });

  it('accepts a batch of predictions (202 after acks=all) and each is in Kafka as a decodable PredictionLogged', async () => {
    const batch = [prediction(1), prediction(2, { prediction: 'yes', probabilities: { yes: 0.8, no: 0.2 }, error: null }), prediction(3, { occurredAt: 1_764_201_600_000 })];
    const res = await post('/v1/predictions', { predictions: batch }, tokens.writer, { 'x-request-id': 'req-abc' });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(3);
    const eventIds = res.body.eventIds as string[];
    acceptedPredictions.push(...eventIds);
    const events = await readTopic(kafka, serde, catalog.topic('predictions'));
    const byId = new Map(events.map((e) => [(e.value as { eventId: string }).eventId, e]));
    for (const [i, id] of eventIds.entries()) {
      const e = byId.get(id)!;
      expect(e.type).toBe('PredictionLogged');
      expect(e.key).toBe('churn');
      expect(e.headers).toMatchObject({ ce_source: 'mlstream/gateway', correlation_id: 'req-abc' });
      expect(e.value).toMatchObject({ ...batch[i], eventId: id });
    }
    expect((byId.get(eventIds[2]!)!.value as { occurredAt: number }).occurredAt).toBe(1_764_201_600_000);
  });

  it('accepts feedback labels and a dataset version with its Kafka coordinates', async () => {
    const labels = await post('/v1/feedback', { labels: [{ requestId: 'req-1', model: 'churn', label: 1 }, { requestId: 'req-2', model: 'churn', label: 'yes' }] });
    expect(labels.status).toBe(202);
    const feedback = await readTopic(kafka, serde, catalog.topic('feedback'));
    expect(feedback.map((e) => e.value)).toEqual(
      expect.arrayContaining([expect.objectContaining({ requestId: 'req-1', label: 1 }), expect.objectContaining({ requestId: 'req-2', label: 'yes' })]),
    );

    const sha = 'a'.repeat(64);
    const res = await post('/v1/datasets/customers/versions', {
      version: '2025-11-27',
      uri: 's3://data/customers/2025-11-27.parquet',
      contentSha256: sha,
      rowCount: 1200,
      features: [{ name: 'age', type: 'NUMERIC' }],
      profile: [{ name: 'age', count: 1200, nulls: 3, numeric: { min: 18, max: 90, mean: 41.5, std: 12.1, binEdges: [18, 54, 90], binCounts: [800, 400] } }],
      validation: { passed: true, checks: [{ name: 'no-null-ids', passed: true }] },
      tags: { source: 'warehouse' },
    });
    expect(res.status).toBe(202);
    const datasets = await readTopic(kafka, serde, catalog.topic('ingestion'));
    const stored = datasets.find((e) => e.partition === res.body.partition && e.offset === res.body.offset);
    expect(stored?.type).toBe('DatasetVersionIngested');
    expect(stored?.value).toMatchObject({ eventId: res.body.eventId, datasetId: 'customers', contentSha256: sha, rowCount: 1200, producer: 'pipeline', profile: [{ name: 'age', categorical: null }] });
  });

  it('tells 401 (no or unknown key) from 403 (key without the scope) and produces nothing for either', async () => {
    const none = await post('/v1/predictions', { predictions: [prediction(90)] }, null);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="mlstream"');
    expect(none.body).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, type: 'urn:mlstream:error:UNAUTHENTICATED' });
    expect((await post('/v1/predictions', { predictions: [prediction(91)] }, 'not-a-key')).body.code).toBe('UNAUTHENTICATED');
    expect((await gw.call('POST', '/v1/predictions', { body: { predictions: [prediction(92)] }, token: null, headers: { authorization: `Basic ${tokens.writer}` } })).status).toBe(401);
    const forbidden = await post('/v1/predictions', { predictions: [prediction(93)] }, tokens.reader);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'write:predictions' });
    const trainer = await post('/v1/datasets/x/versions', {}, tokens.trainer);
    expect(trainer).toMatchObject({ status: 403, body: { requiredScope: 'write:data' } });
    const events = await readTopic(kafka, serde, catalog.topic('predictions'));
    expect(events.map((e) => (e.value as { requestId: string }).requestId).filter((r) => ['req-90', 'req-91', 'req-92', 'req-93'].includes(r))).toEqual([]);
  });

  it('refuses malformed and non-finite input with the field path (400), and limits with LIMIT_EXCEEDED (422)', async () => {
    const raw = (text: string, contentType = 'application/json') => gw.call('POST', '/v1/predictions', { raw: text, token: tokens.writer, headers: { 'content-type': contentType } });
    // JSON cannot carry NaN, but 1e400 parses to Infinity.
    const infinite = await raw(`{"predictions":[{"requestId":"r","model":"m","version":1,"prediction":1,"latencyMs":1e400}]}`);
    expect(infinite.status).toBe(400);
    expect(infinite.body).toMatchObject({ code: 'INVALID_REQUEST', errors: [{ path: 'predictions[0].latencyMs', message: 'expected a finite number' }] });
    const nanString = await post('/v1/predictions', { predictions: [prediction(1, { numericFeatures: { age: 'NaN' } })] });
    expect(nanString.body).toMatchObject({ code: 'INVALID_REQUEST', errors: [{ path: 'predictions[0].numericFeatures.age' }] });
    const nanLabel = await post('/v1/feedback', { labels: [{ requestId: 'r', model: 'm', label: 'NaN' }] });
    expect(nanLabel).toMatchObject({ status: 400, body: { errors: [{ path: 'labels[0].label' }] } });
    const missing = await post('/v1/predictions', { predictions: [{ ...prediction(1), model: undefined, version: 'three' }] });
    expect((missing.body.errors as Array<{ path: string }>).map((e) => e.path).sort()).toEqual(['predictions[0].model', 'predictions[0].version']);
    expect((await raw('{"predictions": [')).body).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect((await raw('predictions=1', 'text/plain')).body).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect((await raw(JSON.stringify({ predictions: [prediction(1, { error: 'x'.repeat(1024 * 1024) })] }))).body).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });

    const tooMany = await post('/v1/predictions', { predictions: Array.from({ length: 1001 }, (_, i) => ({ requestId: `r${i}`, model: 'm', version: 1, prediction: 1, latencyMs: 1 })) });
    expect(tooMany).toMatchObject({ status: 422, body: { code: 'LIMIT_EXCEEDED', errors: [{ path: 'predictions' }] } });
    const features = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`f${i}`, i]));
    expect((await post('/v1/predictions', { predictions: [prediction(1, { numericFeatures: features })] })).body).toMatchObject({ status: 422, code: 'LIMIT_EXCEEDED' });
    const longKey = await gw.call('POST', '/v1/runs/r1/params', { body: { params: { ['k'.repeat(251)]: 'v' } }, token: tokens.trainer });
    expect(longKey.body).toMatchObject({ status: 422, code: 'LIMIT_EXCEEDED' });
    const manyParams = await gw.call('POST', '/v1/runs/r1/params', { body: { params: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, 'v'])) }, token: tokens.trainer });
    expect(manyParams.body).toMatchObject({ status: 422, code: 'LIMIT_EXCEEDED', errors: [{ path: 'params' }] });
    expect((await gw.call('GET', '/v1/nothing-here')).body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
  });

  it('answers a retry with the same Idempotency-Key with the first answer and produces one fact; another gateway derives the same event ids', async () => {
    const key = randomUUID();
    const body = { predictions: [prediction(100), prediction(101)] };
    const first = await post('/v1/predictions', body, tokens.writer, { 'idempotency-key': key });
    const again = await post('/v1/predictions', body, tokens.writer, { 'idempotency-key': key });
    expect(first.status).toBe(202);
    expect(first.headers.get('idempotent-replayed')).toBe('false');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    const reused = await post('/v1/predictions', { predictions: [prediction(102)] }, tokens.writer, { 'idempotency-key': key });
    expect(reused).toMatchObject({ status: 422, body: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    // The same key from another API key is another request.
    const other = await post('/v1/predictions', body, tokens.admin, { 'idempotency-key': key });
    expect(other.body.eventIds).not.toEqual(first.body.eventIds);

    const events = await readTopic(kafka, serde, catalog.topic('predictions'));
    const ids = events.map((e) => (e.value as { eventId: string }).eventId);
    for (const id of first.body.eventIds as string[]) expect(ids.filter((x) => x === id)).toHaveLength(1);

    // A restarted (or second) gateway cannot replay the answer, but it derives the same event ids, so consumers dedupe.
    const second = await startTestGateway({ prefix });
    try {
      const res = await second.call('POST', '/v1/predictions', { body, token: tokens.writer, headers: { 'idempotency-key': key } });
      expect(res.body.eventIds).toEqual(first.body.eventIds);
    } finally {
      await second.stop();
    }
  });

  it('serves the OpenAPI document, health, readiness and metrics', async () => {
    const doc = await gw.call('GET', '/docs/json', { token: null });
    expect(doc.status).toBe(200);
    const paths = Object.keys(doc.body.paths as object);
    expect(paths).toEqual(expect.arrayContaining(['/v1/predictions', '/v1/feedback', '/v1/datasets/{datasetId}/versions', '/v1/runs', '/v1/runs/{runId}/metrics', '/v1/models/{model}/versions', '/v1/models/{model}/aliases/{alias}', '/v1/streams/retrain', '/v1/streams/drift']));
    const predictions = (doc.body.paths as Record<string, { post: { requestBody: { content: Record<string, { schema: { properties: { predictions: { maxItems: number } } } }> } } }>)['/v1/predictions']!;
    expect(predictions.post.requestBody.content['application/json']!.schema.properties.predictions.maxItems).toBe(1000);
    expect((await gw.call('GET', '/healthz', { token: null })).status).toBe(200);
    await gw.commandsReady;
    const ready = await gw.call('GET', '/readyz', { token: null });
    expect(ready).toMatchObject({ status: 200, body: { status: 'ready' } });
    const metrics = await fetch(`${gw.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/mlstream_gateway_requests_total\{[^}]*route="\/v1\/predictions",status="202"/);
    expect(metrics).toMatch(/mlstream_messages_produced_total\{[^}]*topic="[^"]*mlops\.predictions\.v1"/);
  });
});
