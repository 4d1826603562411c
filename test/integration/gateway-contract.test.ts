import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCatalog, readToEnd } from '@mlstream/kit';
import { applyTestTopics, testKafka, uniqueName } from '../helpers/index.ts';
import { prediction, startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

// The HTTP contract at the edges of its ranges, through a real gateway on the
// real Kafka and registry: what the schema refuses is a 400 naming the field
// and never reaches Kafka; what it accepts encodes.
describe('gateway contract: ranges, empty batches, hostile keys, methods, OpenAPI', () => {
  const prefix = `${uniqueName('gwcontract')}.`;
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('gateway-contract');
  let gw: TestGateway;
  const DAY = 86_400_000;
  const dataset = { version: 'v', uri: 's3://x', contentSha256: 'c'.repeat(64), rowCount: 1 };

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    gw = await startTestGateway({ prefix });
  });
  afterAll(async () => {
    await gw?.stop();
  });

  const count = async (stream: 'predictions' | 'ingestion' | 'runs.commands' | 'registry.commands') => {
    let n = 0;
    await readToEnd({ kafka, topic: catalog.topic(stream), onMessage: () => void (n += 1) });
    return n;
  };

  it('refuses event times outside 2000-01-01 .. now + 1 day with 400 naming the field; accepts the range', async () => {
    const far = await gw.call('POST', '/v1/predictions', { body: { predictions: [prediction(1), prediction(2, { occurredAt: 8.64e15 })] }, token: tokens.writer });
    expect(far).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST', errors: [{ path: 'predictions[1].occurredAt' }] } });
    expect((far.body.errors as Array<{ message: string }>)[0]!.message).toMatch(/from 2000-01-01T00:00:00.000Z to now \+ 86400000 ms/);
    const early = await gw.call('POST', '/v1/datasets/d/versions', { body: { ...dataset, occurredAt: Date.UTC(1999, 0, 1) }, token: tokens.writer });
    expect(early).toMatchObject({ status: 400, body: { errors: [{ path: 'occurredAt' }] } });
    const metric = await gw.call('POST', '/v1/runs/r/metrics', { body: { metrics: [{ key: 'k', value: 1, timestamp: Date.now() + 2 * DAY }] }, token: tokens.trainer });
    expect(metric).toMatchObject({ status: 400, body: { errors: [{ path: 'metrics[0].timestamp' }] } });
    expect(await count('predictions')).toBe(0);
    const ok = await gw.call('POST', '/v1/predictions', { body: { predictions: [prediction(3, { occurredAt: Date.now() + DAY - 60_000 }), prediction(4, { occurredAt: Date.UTC(2000, 0, 1) })] }, token: tokens.writer });
    expect(ok.status).toBe(202);
  });

  it('bounds every 64-bit field by what Avro encodes: 2^53-1 is a 400 before Kafka (it was 422 SCHEMA_VIOLATION), 2^53-2 encodes', async () => {
    const tooBig = 2 ** 53 - 1;
    const rows = await gw.call('POST', '/v1/datasets/d/versions', { body: { ...dataset, rowCount: tooBig }, token: tokens.writer });
    expect(rows).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST', errors: [{ path: 'rowCount' }] } });
    for (const [path, body] of [
      ['/v1/runs', { experiment: 'e', expectedVersion: tooBig }],
      ['/v1/runs/r/metrics', { metrics: [{ key: 'k', value: 1, step: tooBig }] }],
      ['/v1/runs/r/artifacts', { name: 'n', uri: 'u', size: tooBig }],
    ] as const) {
      expect((await gw.call('POST', path, { body, token: tokens.trainer })).status, path).toBe(400);
    }
    expect((await gw.call('DELETE', `/v1/models/m/aliases/a?expectedVersion=${tooBig}`, { token: tokens.trainer })).status).toBe(400);
    expect((await gw.call('POST', '/v1/predictions', { body: { predictions: [prediction(5, { version: 2 ** 31 })] }, token: tokens.writer })).status).toBe(400);
    const max = await gw.call('POST', '/v1/datasets/d/versions', { body: { ...dataset, rowCount: 2 ** 53 - 2 }, token: tokens.writer });
    expect(max.status).toBe(202);
    expect(await count('runs.commands')).toBe(0);
  });

  it('refuses empty params and tags batches in the schema (400 naming the field), as empty arrays are', async () => {
    const params = await gw.call('POST', '/v1/runs/r/params', { body: { params: {} }, token: tokens.trainer });
    expect(params).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST', errors: [{ path: 'params', message: expect.stringMatching(/at least one entry/) }] } });
    expect((await gw.call('POST', '/v1/runs/r/tags', { body: { tags: {} }, token: tokens.trainer })).body).toMatchObject({ status: 400, errors: [{ path: 'tags' }] });
    expect(await count('runs.commands')).toBe(0);
  });

  it('answers a __proto__ key with a 400 naming it, not "not valid JSON", and pollutes nothing', async () => {
    const raw = (path: string, text: string, token: string) => gw.call('POST', path, { raw: text, token });
    const param = await raw('/v1/runs/r/params', '{"params":{"__proto__":"x"}}', tokens.trainer);
    expect(param).toMatchObject({ status: 400, body: { code: 'INVALID_REQUEST', errors: [{ path: 'params.__proto__' }] } });
    expect(param.body.detail).toMatch(/"__proto__" is not allowed/);
    const top = await raw('/v1/predictions', `{"__proto__":{"polluted":1},"predictions":[${JSON.stringify(prediction(6))}]}`, tokens.writer);
    expect(top).toMatchObject({ status: 400, body: { errors: [{ path: '__proto__' }] } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await raw('/v1/predictions', '{"predictions":[', tokens.writer)).body.detail).toMatch(/^Body is not valid JSON: /);
  });

  it('answers an unsupported method on a known path with 405, an Allow header and a problem', async () => {
    const patch = await gw.call('PATCH', '/v1/predictions', { body: {}, token: null });
    expect(patch).toMatchObject({ status: 405, body: { code: 'METHOD_NOT_ALLOWED', status: 405, allow: ['POST'] } });
    expect(patch.headers.get('allow')).toBe('POST');
    expect(patch.headers.get('content-type')).toContain('application/problem+json');
    const alias = await gw.call('POST', '/v1/models/m/aliases/champion', { body: {} });
    expect(alias.status).toBe(405);
    expect(alias.headers.get('allow')).toBe('GET, HEAD, PUT, DELETE');
    expect((await gw.call('DELETE', '/healthz', { token: null })).headers.get('allow')).toBe('GET, HEAD');
    expect((await gw.call('GET', '/v1/nothing')).status).toBe(404);
  });

  it('documents every route\'s errors as problem+json, and the ops routes without security', async () => {
    const doc = (await gw.call('GET', '/docs/json', { token: null })).body as { security: unknown; paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, { content?: Record<string, unknown> }> }>> };
    expect(doc.security).toEqual([{ apiKey: [] }]);
    for (const ops of ['/healthz', '/readyz', '/metrics']) expect(doc.paths[ops]!.get!.security, ops).toEqual([]);
    expect(Object.keys(doc.paths['/readyz']!.get!.responses).sort()).toEqual(['200', '431', '503']);
    for (const [path, operations] of Object.entries(doc.paths)) {
      if (['/healthz', '/readyz', '/metrics'].includes(path)) continue;
      for (const [method, op] of Object.entries(operations)) {
        expect(op.security, `${method} ${path}`).toBeUndefined();
        for (const status of ['400', '401', '403', '500']) expect(op.responses[status]?.content?.['application/problem+json'], `${method} ${path} ${status}`).toBeDefined();
      }
    }
    const register = doc.paths['/v1/models/{model}/versions']!.post!.responses;
    expect(Object.keys(register)).toEqual(expect.arrayContaining(['201', '404', '409', '413', '415', '422', '503', '504']));
    expect(JSON.stringify(register['404'])).toContain('RUN_NOT_FOUND');
  });
});
