import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTopics, resolveCatalog } from '@mlstream/kit';
import { runMaterializerService, type RunningMaterializer } from '@mlstream/materializer';
import { testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

// The analytics endpoints answer from the materializer's ClickHouse database:
// predictions posted through the gateway show up in model health.
describe('gateway analytics endpoints', () => {
  const prefix = `${uniqueName('analytics')}.`;
  const database = prefix.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '');
  const env = { MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: database, MLSTREAM_LOG_LEVEL: 'warn' };
  let gateway: TestGateway;
  let materializer: RunningMaterializer;

  beforeAll(async () => {
    const admin = testKafka('analytics').admin();
    await admin.connect();
    await applyTopics(admin, resolveCatalog(prefix));
    await admin.disconnect();
    materializer = await runMaterializerService({ env: { ...process.env, ...env, MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200' }, signals: false });
    gateway = await startTestGateway({ prefix, env });
  });
  afterAll(async () => {
    await gateway?.stop();
    await materializer?.stop();
  });

  it('serves model health and champion vs challenger from ClickHouse, with scopes and precise errors', async () => {
    const at = Date.now() - 60_000;
    const predictions = Array.from({ length: 40 }, (_, i) => ({
      requestId: `req-${i}`,
      model: 'churn',
      version: 1 + (i % 2),
      numericFeatures: { age: 30 + i },
      categoricalFeatures: { plan: 'pro' },
      prediction: i % 3 === 0 ? 'yes' : 'no',
      latencyMs: 5 + i,
      error: i === 7 ? 'timeout' : null,
      occurredAt: at + i,
    }));
    const posted = await gateway.call('POST', '/v1/predictions', { body: { predictions }, token: tokens.writer });
    expect(posted.status).toBe(202);

    const health = await waitFor(
      async () => {
        const r = await gateway.call('GET', `/v1/models/churn/health?from=${at - 120_000}&to=${Date.now() + 60_000}`, { token: tokens.reader });
        const points = (r.body.points ?? []) as Array<{ version: number; requests: number; errors: number }>;
        return points.reduce((n, p) => n + Number(p.requests), 0) === 40 && points;
      },
      { what: '40 predictions in model health', timeoutMs: 60_000, intervalMs: 500 },
    );
    const byVersion = (v: number) => health.filter((p) => p.version === v).reduce((n, p) => ({ requests: n.requests + Number(p.requests), errors: n.errors + Number(p.errors) }), { requests: 0, errors: 0 });
    expect(byVersion(1)).toEqual({ requests: 20, errors: 0 });
    expect(byVersion(2)).toEqual({ requests: 20, errors: 1 });

    const compare = await gateway.call('GET', `/v1/models/churn/compare?champion=1&challenger=2&from=${at - 120_000}&to=${Date.now() + 60_000}`, { token: tokens.reader });
    expect(compare.status).toBe(200);
    expect(compare.body).toMatchObject({ champion: { version: 1, requests: 20 }, challenger: { version: 2, requests: 20 } });

    expect((await gateway.call('GET', '/v1/models/churn/health', { token: tokens.trainer })).status).toBe(403);
    expect((await gateway.call('GET', '/v1/models/churn/health', { token: null })).status).toBe(401);
    const bad = await gateway.call('POST', '/v1/runs/search', { body: { filter: 'metrics.acc >>> 1' }, token: tokens.reader });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'INVALID_FILTER' });
    const empty = await gateway.call('POST', '/v1/runs/search', { body: { filter: "metrics.acc > 0.9 and params.lr = '0.01'" }, token: tokens.reader });
    expect(empty.status).toBe(200);
    expect(empty.body.runs).toEqual([]);
    const drift = await gateway.call('GET', '/v1/models/churn/drift', { token: tokens.reader });
    expect(drift.body).toEqual({ measurements: [], detections: [], retrains: [] });

    // One window rule everywhere: from only, to only, both or none (drift?from= alone was 400).
    const end = Date.now() + 60_000;
    for (const query of [`from=${at - 120_000}`, `to=${end}`, `from=${at - 120_000}&to=${end}`, '']) {
      for (const path of ['/v1/models/churn/drift', '/v1/models/churn/health', '/v1/models/churn/compare?champion=1&challenger=2']) {
        const url = `${path}${path.includes('?') ? '&' : '?'}${query}`;
        const res = await gateway.call('GET', url, { token: tokens.reader });
        expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
      }
      const health = await gateway.call('GET', `/v1/models/churn/health?${query}`, { token: tokens.reader });
      expect((health.body.points as Array<{ requests: number }>).reduce((n, p) => n + Number(p.requests), 0), query).toBe(40);
    }
    expect((await gateway.call('GET', `/v1/models/churn/drift?from=${end}&to=${at}`, { token: tokens.reader })).body).toMatchObject({ status: 400, code: 'INVALID_ANALYTICS_REQUEST' });
  });

  it('serves a dataset version as ingested (the run page shows its inputs with it), 404 for one never ingested', async () => {
    const sha = 'ab'.repeat(32);
    const posted = await gateway.call('POST', '/v1/datasets/iris/versions', { token: tokens.writer, body: { version: 'v7', uri: 's3://data/iris-v7.parquet', contentSha256: sha, rowCount: 150, profile: [{ name: 'sepal', count: 150, nulls: 0, numeric: { min: 4.3, max: 7.9, mean: 5.8, std: 0.8, binEdges: [4.3, 7.9], binCounts: [150] } }] } });
    expect(posted.status).toBe(202);
    const found = await waitFor(async () => {
      const res = await gateway.call('GET', '/v1/datasets/iris/versions/v7', { token: tokens.reader });
      return res.status === 200 ? res.body : undefined;
    }, { what: 'the dataset version in ClickHouse' });
    expect(found).toMatchObject({ datasetId: 'iris', version: 'v7', uri: 's3://data/iris-v7.parquet', contentSha256: sha, rowCount: 150 });
    expect((found as { profile: Array<{ name: string; numeric: { mean: number } }> }).profile[0]).toMatchObject({ name: 'sepal', numeric: { mean: 5.8 } });
    expect((found as { source: { topic: string } }).source.topic).toBe(`${prefix}mlops.ingestion.v1`);
    const missing = await gateway.call('GET', '/v1/datasets/iris/versions/v8', { token: tokens.reader });
    expect(missing.body).toMatchObject({ status: 404, code: 'NOT_FOUND' });
    expect((await gateway.call('GET', '/v1/datasets/iris/versions/v7', { token: null })).status).toBe(401);
  });
});
