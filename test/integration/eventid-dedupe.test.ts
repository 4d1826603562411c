import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { applyTopics, createClickHouse, resolveCatalog } from '@mlstream/kit';
import { runMaterializerService, type RunningMaterializer } from '@mlstream/materializer';
import { connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

// Black box: a client retries facts with the same eventIds after a gateway
// restart (the idempotency cache died with the gateway, so the gateway
// writes them to Kafka again): ClickHouse holds one row per eventId and model
// health counts each prediction once.
describe('facts retried with the same eventId across a gateway restart', () => {
  const prefix = `${uniqueName('dedupe')}.`;
  const database = prefix.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '');
  const env = { MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: database, MLSTREAM_LOG_LEVEL: 'warn' };
  const client = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  let gateway: TestGateway | undefined;
  let materializer: RunningMaterializer;
  const count = async (table: string) => Number((await (await client.query({ query: `SELECT count() AS n FROM ${database}.${table}`, format: 'JSONEachRow' })).json<{ n: string }>())[0]?.n ?? 0);

  beforeAll(async () => {
    const admin = testKafka('dedupe').admin();
    await admin.connect();
    await applyTopics(admin, resolveCatalog(prefix));
    await admin.disconnect();
    materializer = await runMaterializerService({ env: { ...process.env, ...env, MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200' }, signals: false });
  });
  afterAll(async () => {
    await gateway?.stop();
    await materializer?.stop();
    await client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await client.close();
  });

  it('gives one ClickHouse row and one request in health per eventId', async () => {
    const at = Date.now() - 60_000;
    const predictions = Array.from({ length: 20 }, (_, i) => ({
      eventId: randomUUID(),
      requestId: `req-${i}`,
      model: 'churn',
      version: 1,
      numericFeatures: { age: 30 + i },
      categoricalFeatures: { plan: 'pro' },
      prediction: 'no',
      latencyMs: 5,
      error: null,
      occurredAt: at + i,
    }));
    const labels = predictions.slice(0, 5).map((p) => ({ eventId: randomUUID(), requestId: p.requestId, model: 'churn', label: 'no', occurredAt: at + 100 }));
    gateway = await startTestGateway({ prefix, env });
    expect((await gateway.call('POST', '/v1/predictions', { body: { predictions }, token: tokens.writer })).status).toBe(202);
    expect((await gateway.call('POST', '/v1/feedback', { body: { labels }, token: tokens.writer })).status).toBe(202);
    await gateway.stop();

    // The client did not see the answers (the gateway died) and retries the same facts, plus one new fact each.
    gateway = await startTestGateway({ prefix, env });
    const extra = { ...predictions[0]!, eventId: randomUUID(), requestId: 'req-new' };
    const extraLabel = { ...labels[0]!, eventId: randomUUID(), requestId: 'req-new' };
    expect((await gateway.call('POST', '/v1/predictions', { body: { predictions: [...predictions, extra] }, token: tokens.writer })).status).toBe(202);
    expect((await gateway.call('POST', '/v1/feedback', { body: { labels: [...labels, extraLabel] }, token: tokens.writer })).status).toBe(202);

    // The new facts were written after the repeats (same key, same partition): once they are visible, so is any repeat.
    await waitFor(async () => (await count('predictions')) >= 21 && (await count('labels')) >= 6, { what: 'the new facts in ClickHouse', timeoutMs: 60_000, intervalMs: 250 });
    expect(await count('predictions')).toBe(21);
    expect(await count('labels')).toBe(6);
    const health = await gateway.call('GET', `/v1/models/churn/health?from=${at - 120_000}&to=${Date.now() + 60_000}`, { token: tokens.reader });
    const points = (health.body.points ?? []) as Array<{ requests: number }>;
    expect(points.reduce((n, p) => n + Number(p.requests), 0)).toBe(21);
  }, 120_000);
});
