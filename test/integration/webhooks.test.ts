import { randomUUID } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, resolveCatalog, type RetrainRequested, type RunningService } from '@mlstream/kit';
import { runMaterializerService, type RunningMaterializer } from '@mlstream/materializer';
import { signatureHeader, startWebhooks } from '@mlstream/webhooks';
import { createReceiver, type ReceivedEvent } from '../../services/sdk/examples/webhook-receiver.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';
import { applyTestTopics, connections, testKafka, testLogger, uniqueName, waitFor } from '../helpers/index.ts';

/** A receiver built from the SDK example (it verifies every signature), recording every request it got. */
async function startReceiver(secret: string, options: { port?: number; failing?: () => boolean; hold?: (e: ReceivedEvent) => Promise<void> | undefined } = {}) {
  const events: ReceivedEvent[] = [];
  const requests: Array<{ id: string; status: number }> = [];
  const arrived: string[] = [];
  const server = createReceiver({
    secret,
    onEvent: async (e) => {
      if (options.failing?.()) throw new Error('receiver is failing on purpose');
      await options.hold?.(e);
      events.push(e);
    },
  });
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    arrived.push(String(req.headers['webhook-id']));
    res.on('finish', () => requests.push({ id: String(req.headers['webhook-id']), status: res.statusCode }));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return { events, requests, arrived, port, url: `http://127.0.0.1:${port}/hooks`, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

/** A "down" receiver: accepts TCP connections and resets them at once, counting them. */
async function startDownReceiver() {
  let refused = 0;
  const server = net.createServer((socket) => {
    refused += 1;
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as net.AddressInfo).port, refused: () => refused, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('webhooks: signed CloudEvents, at-least-once with a dedupe id, per-subscription order, dead letters and redelivery', () => {
  const prefix = `${uniqueName('webhooks')}.`;
  const database = prefix.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '');
  const env = { MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: database, MLSTREAM_LOG_LEVEL: 'warn' };
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('webhooks-test');
  let producer: Producer;
  let gateway: TestGateway;
  let materializer: RunningMaterializer;
  let webhooks: RunningService;
  const webhooksEnv = {
    ...process.env,
    ...env,
    // Retries after 0.5-1 s, 1-2 s, then 1-2 s each: five refused attempts span at least 3.5 s.
    MLSTREAM_WEBHOOKS_RETRY_BASE_MS: '1000',
    MLSTREAM_WEBHOOKS_RETRY_MAX_MS: '2000',
    MLSTREAM_WEBHOOKS_MAX_ATTEMPTS: '20',
    MLSTREAM_WEBHOOKS_TIMEOUT_MS: '2000',
  };

  const retrain = (model: string, n: number): RetrainRequested => ({
    eventId: randomUUID(),
    occurredAt: Date.now(),
    model,
    version: 1,
    idempotencyKey: `${model}-${n}`,
    reason: `window ${n} drifted`,
    evidence: [{ eventId: randomUUID(), windowId: `w${n}`, driftedShare: 0.6, features: ['age'] }],
    policy: { consecutiveWindows: 3, cooldownMs: 60_000, datasetDriftShare: 0.5 },
    requestedBy: 'drift-detector',
  });
  const publish = async (values: RetrainRequested[]) => {
    const records = await Promise.all(values.map((v) => serde.encode('RetrainRequested', v)));
    await producer.send({ topic: catalog.topic('retrain'), acks: -1, messages: records.map((r) => r.message) });
    return values;
  };
  const subscribe = async (body: Record<string, unknown>) => {
    const res = await gateway.call('POST', '/v1/webhooks', { body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; secret?: string };
  };
  type Delivery = { kind: string; deliveryId: string; attempt: number; outcome: string; redeliveryId: string | null; error: string };
  const deliveries = async (id: string) => ((await gateway.call('GET', `/v1/webhooks/${id}/deliveries`, { token: tokens.reader })).body.deliveries ?? []) as Delivery[];

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    materializer = await runMaterializerService({ env: { ...process.env, ...env, MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200' }, signals: false });
    gateway = await startTestGateway({ prefix, env });
    webhooks = await startWebhooks({ env: webhooksEnv, signals: false, logger: testLogger('webhooks') });
    await waitFor(() => webhooks.ready(), { what: 'the deliverer ready', timeoutMs: 60_000 });
  }, 120_000);
  afterAll(async () => {
    await webhooks?.stop();
    await gateway?.stop();
    await materializer?.stop();
    await producer?.disconnect();
  });

  it('delivers matching events, verified by the receiver example, in order, as CloudEvents with a stable id; never returns the secret', async () => {
    const secret = 'whsec_integration_test_1';
    const receiver = await startReceiver(secret);
    try {
      const sub = await subscribe({ url: receiver.url, eventTypes: ['RetrainRequested'], models: ['churn'], secret, description: 'ci' });
      expect(sub.secret).toBeUndefined();
      const generated = await subscribe({ url: 'http://127.0.0.1:9/never', models: ['nobody'] });
      expect(generated.secret).toMatch(/^whsec_/);
      const listed = await gateway.call('GET', '/v1/webhooks');
      expect(JSON.stringify(listed.body)).not.toContain(secret);
      expect(JSON.stringify(listed.body)).not.toContain(generated.secret);
      expect((listed.body.webhooks as Array<{ id: string }>).map((w) => w.id).sort()).toEqual([sub.id, generated.id].sort());
      expect((await gateway.call('GET', '/v1/webhooks', { token: tokens.reader })).status).toBe(403);
      expect((await gateway.call('POST', '/v1/webhooks', { body: { url: 'ftp://x' } })).status).toBe(400);
      expect((await gateway.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:1/', eventTypes: ['PredictionLogged'] } })).body).toMatchObject({ code: 'INVALID_REQUEST' });

      const sent = await publish([...[1, 2, 3, 4, 5].map((n) => retrain('churn', n)), retrain('other-model', 6)]);
      await waitFor(() => receiver.events.length >= 5, { what: '5 deliveries', timeoutMs: 60_000 });
      const churn = sent.filter((v) => v.model === 'churn');
      expect(receiver.events.map((e) => (e.data as { idempotencyKey: string }).idempotencyKey)).toEqual(churn.map((v) => v.idempotencyKey));
      expect(receiver.events.map((e) => e.id)).toEqual(churn.map((v) => `${v.eventId}:${sub.id}`));
      expect(receiver.events[0]).toMatchObject({ specversion: '1.0', type: 'dev.mlstream.retrain.RetrainRequested', subject: 'churn', source: '/mlstream/mlops.retrain.v1', datacontenttype: 'application/json', mlstreamsubscription: sub.id });
      expect(receiver.requests.every((r) => r.status === 204)).toBe(true);

      // The receiver refuses what it cannot verify: a wrong secret, a stale timestamp, a changed body.
      const body = JSON.stringify({ id: 'x' });
      const post = (signature: string, payload = body) => fetch(receiver.url, { method: 'POST', headers: { 'webhook-signature': signature }, body: payload }).then((r) => r.status);
      const now = Math.floor(Date.now() / 1000);
      expect(await post(signatureHeader('wrong-secret', now, body))).toBe(401);
      expect(await post(signatureHeader(secret, now - 600, body))).toBe(401);
      expect(await post(signatureHeader(secret, now, body), body + ' ')).toBe(401);

      // Every attempt is in ClickHouse.
      const rows = await waitFor(async () => ((await deliveries(sub.id)).length === 5 ? deliveries(sub.id) : undefined), { what: '5 attempts in ClickHouse', timeoutMs: 60_000, intervalMs: 500 });
      expect(rows.map((r) => [r.kind, r.outcome, r.attempt])).toEqual(Array(5).fill(['attempt', 'delivered', 1]));
    } finally {
      await receiver.close();
    }
  });

  it('receiver down ≥ 3.5 s: afterwards every event arrives exactly once, in order; another subscription is not held back', async () => {
    const secret = 'whsec_integration_test_2';
    const down = await startDownReceiver();
    const healthy = await startReceiver('whsec_integration_test_3');
    let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
    try {
      const sub = await subscribe({ url: `http://127.0.0.1:${down.port}/hooks`, models: ['fraud'], secret });
      const other = await subscribe({ url: healthy.url, models: ['fraud'], secret: 'whsec_integration_test_3' });
      const sent = await publish([1, 2, 3, 4, 5].map((n) => retrain('fraud', n)));
      const downSince = Date.now();
      // The healthy subscription gets everything while the other one's receiver is down.
      await waitFor(() => healthy.events.length === 5, { what: 'the healthy subscription served', timeoutMs: 30_000 });
      expect(down.refused()).toBeGreaterThan(0);
      // Down until the deliverer was refused five times (the schedule makes that at least 3.5 s).
      await waitFor(() => down.refused() >= 5, { what: 'five refused attempts', timeoutMs: 30_000 });
      const outageMs = Date.now() - downSince;
      await down.close();
      receiver = await startReceiver(secret, { port: down.port });
      const r = receiver;
      await waitFor(() => r.events.length >= 5, { what: 'deliveries after the outage', timeoutMs: 60_000 });
      expect(outageMs).toBeGreaterThanOrEqual(3_000);
      expect(r.events.map((e) => e.id)).toEqual(sent.map((v) => `${v.eventId}:${sub.id}`));
      // Exactly once per event at the receiver: one request per id, no duplicates to drop.
      expect(r.requests.map((q) => q.id)).toEqual(sent.map((v) => `${v.eventId}:${sub.id}`));
      expect(r.requests.every((q) => q.status === 204)).toBe(true);
      expect(healthy.events.map((e) => e.id)).toEqual(sent.map((v) => `${v.eventId}:${other.id}`));

      // The record: the first event failed (refused) at least five times, then was delivered; the rest waited their turn.
      const rows = await waitFor(
        async () => {
          const all = await deliveries(sub.id);
          return all.filter((d) => d.outcome === 'delivered').length === 5 && all;
        },
        { what: "the outage's attempts in ClickHouse", timeoutMs: 60_000, intervalMs: 500 },
      );
      const first = rows.filter((d) => d.deliveryId === `${sent[0]!.eventId}:${sub.id}`);
      expect(first.filter((d) => d.outcome === 'failed').length).toBeGreaterThanOrEqual(5);
      expect(first.map((d) => d.attempt)).toEqual(first.map((_, i) => i + 1));
      expect(first.at(-1)!.outcome).toBe('delivered');
      console.log(`webhooks: receiver down ${outageMs} ms, ${down.refused()} refused attempts; then ${r.events.length} events delivered once each, in order`);
    } finally {
      await receiver?.close();
      await healthy.close();
    }
  });

  it('a permanently failing receiver: dead-lettered after N attempts, then redelivered on request with the same ids', async () => {
    const secret = 'whsec_integration_test_4';
    let failing = true;
    const receiver = await startReceiver(secret, { failing: () => failing });
    try {
      const sub = await subscribe({ url: receiver.url, models: ['ltv'], secret, maxAttempts: 3 });
      const before = Date.now() - 1_000;
      const sent = await publish([1, 2].map((n) => retrain('ltv', n)));
      const ids = sent.map((v) => `${v.eventId}:${sub.id}`);
      const dead = await waitFor(
        async () => {
          const all = await deliveries(sub.id);
          return all.filter((d) => d.kind === 'dead_letter').length === 2 && all;
        },
        { what: 'two dead letters', timeoutMs: 60_000, intervalMs: 500 },
      );
      for (const id of ids) {
        expect(dead.filter((d) => d.deliveryId === id).map((d) => [d.kind, d.attempt, d.outcome])).toEqual([
          ['attempt', 1, 'failed'],
          ['attempt', 2, 'failed'],
          ['attempt', 3, 'failed'],
          ['dead_letter', 3, 'dead_lettered'],
        ]);
      }
      expect(receiver.requests.map((q) => q.status)).toEqual([500, 500, 500, 500, 500, 500]);
      expect(receiver.events).toEqual([]);

      failing = false;
      const asked = await gateway.call('POST', `/v1/webhooks/${sub.id}/redeliver`, { body: { fromTime: before } });
      expect(asked.status, JSON.stringify(asked.body)).toBe(202);
      await waitFor(() => receiver.events.length >= 2, { what: 'the redelivered events', timeoutMs: 60_000 });
      expect(receiver.events.map((e) => e.id)).toEqual(ids);
      const redelivered = await waitFor(
        async () => {
          const all = (await deliveries(sub.id)).filter((d) => d.outcome === 'delivered');
          return all.length === 2 && all;
        },
        { what: 'the redeliveries in ClickHouse', timeoutMs: 60_000, intervalMs: 500 },
      );
      expect(redelivered.map((d) => [d.deliveryId, d.redeliveryId])).toEqual(ids.map((id) => [id, asked.body.requestId]));

      // From an offset: the second event's source position, named as the payload names it.
      const second = receiver.events[1]!;
      const fromOffsets = [{ topic: String(second.mlstreamtopic), partition: Number(second.mlstreampartition), offset: Number(second.mlstreamoffset) }];
      expect((await gateway.call('POST', `/v1/webhooks/${sub.id}/redeliver`, { body: { fromOffsets } })).status).toBe(202);
      await waitFor(() => receiver.requests.filter((q) => q.id === ids[1] && q.status === 200).length === 1, { what: 'the second event again, dropped as a duplicate', timeoutMs: 60_000 });
      expect(receiver.requests.filter((q) => q.id === ids[0]).map((q) => q.status)).toEqual([500, 500, 500, 204]);
      expect(receiver.events.map((e) => e.id)).toEqual(ids);
      expect((await gateway.call('POST', `/v1/webhooks/${randomUUID()}/redeliver`, { body: { fromTime: before } })).body).toMatchObject({ code: 'WEBHOOK_NOT_FOUND' });
      expect((await gateway.call('DELETE', `/v1/webhooks/${sub.id}`)).status).toBe(200);
      expect((await gateway.call('GET', `/v1/webhooks/${sub.id}`)).status).toBe(404);
    } finally {
      await receiver.close();
    }
  });
  it('stopped between a delivered POST and its commit: the chunk is delivered again with the same ids, nothing skipped, the receiver handles each once', async () => {
    const secret = 'whsec_integration_test_5';
    // Held requests are answered 500 once released: the deliverer that sent them is gone by then.
    let release: () => void = () => {};
    const held = new Promise<void>((_, reject) => (release = () => reject(new Error('released'))));
    held.catch(() => {});
    let holding = true;
    const sent = [1, 2, 3].map((n) => retrain('arpu', n));
    const receiver = await startReceiver(secret, { hold: (e) => (holding && e.id.startsWith(sent[1]!.eventId) ? held : undefined) });
    try {
      const sub = await subscribe({ url: receiver.url, models: ['arpu'], secret });
      const ids = sent.map((v) => `${v.eventId}:${sub.id}`);
      await publish(sent);
      // The first event was handled (answered 204), the second is in flight: its chunk's transaction is open.
      await waitFor(() => receiver.events.length === 1 && receiver.arrived.includes(ids[1]!), { what: 'event 1 handled, event 2 in flight', timeoutMs: 60_000 });
      await webhooks.stop();
      holding = false;
      release();
      webhooks = await startWebhooks({ env: webhooksEnv, signals: false, logger: testLogger('webhooks') });
      await waitFor(() => receiver.events.length === 3, { what: 'every event handled after the restart', timeoutMs: 60_000 });
      expect(receiver.events.map((e) => e.id)).toEqual(ids);
      // The cost of the stop: event 1 POSTed again with the same id, which the receiver dropped as a duplicate.
      expect(receiver.requests.filter((q) => q.id === ids[0]).map((q) => q.status)).toEqual([204, 200]);
      const rows = await waitFor(
        async () => {
          const all = await deliveries(sub.id);
          return all.filter((d) => d.outcome === 'delivered').length === 3 && all;
        },
        { what: 'the committed attempts in ClickHouse', timeoutMs: 60_000, intervalMs: 500 },
      );
      // Only committed chunks are recorded: one delivered attempt per event.
      expect(rows.filter((d) => d.outcome === 'delivered').map((d) => d.deliveryId)).toEqual(ids);
    } finally {
      release();
      await receiver.close();
    }
  });
});
