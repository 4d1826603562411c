import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { createSchemaRegistryClient, createSerde, resolveCatalog, type RetrainRequested } from '@mlstream/kit';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** A minimal Server-Sent Events reader over fetch: collects dispatched blocks until closed. */
async function openSse(url: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(url, { headers, signal: controller.signal });
  const blocks: SseEvent[] = [];
  const done = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block: SseEvent = {};
          for (const line of buffer.slice(0, end).split('\n')) {
            const m = /^(id|event|data): ?(.*)$/.exec(line);
            if (m) block[m[1] as keyof SseEvent] = m[2];
          }
          buffer = buffer.slice(end + 2);
          if (Object.keys(block).length) blocks.push(block);
        }
      }
    } catch {
      // aborted
    }
  })();
  return { res, blocks, events: () => blocks.filter((b) => b.data !== undefined), close: async () => (controller.abort(), await done) };
}

describe('gateway: Server-Sent Events over retrain and drift topics', () => {
  const prefix = `${uniqueName('gwsse')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('gateway-sse');
  let producer: Producer;
  let gw: TestGateway;

  const retrain = (model: string, n: number): RetrainRequested => ({
    eventId: randomUUID(),
    occurredAt: 1_764_201_600_000 + n,
    model,
    version: 1,
    idempotencyKey: `${model}-${n}`,
    reason: `window ${n} drifted`,
    evidence: [{ eventId: randomUUID(), windowId: `w${n}`, driftedShare: 0.6, features: ['age'] }],
    policy: { consecutiveWindows: 3, cooldownMs: 60_000, datasetDriftShare: 0.5 },
    requestedBy: 'drift-detector',
  });
  const publish = async (...values: RetrainRequested[]) => {
    for (const v of values) {
      const { topic, message } = await serde.encode('RetrainRequested', v);
      await producer.send({ topic, acks: -1, messages: [message] });
    }
  };

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    gw = await startTestGateway({ prefix });
  });
  afterAll(async () => {
    await gw?.stop();
    await producer?.disconnect();
  });

  const auth = { authorization: `Bearer ${tokens.reader}` };

  it('streams new events, and a reconnect with Last-Event-ID resumes exactly after the last one seen', async () => {
    const first = await openSse(`${gw.url}/v1/streams/retrain`, auth);
    expect(first.res.status).toBe(200);
    expect(first.res.headers.get('content-type')).toContain('text/event-stream');
    await waitFor(() => first.blocks.length >= 1, { what: 'the initial position' });
    // Models on different keys, so different partitions: the id must cover them all.
    const sent = ['a', 'b', 'c', 'd'].map((m, i) => retrain(`model-${m}`, i));
    await publish(sent[0]!, sent[1]!);
    await waitFor(() => first.events().length >= 2, { what: 'two streamed events' });
    await first.close();
    const seen = first.events();
    expect(seen.map((e) => e.event)).toEqual(['RetrainRequested', 'RetrainRequested']);
    expect(seen.map((e) => (JSON.parse(e.data!) as { value: RetrainRequested }).value.eventId).sort()).toEqual([sent[0]!.eventId, sent[1]!.eventId].sort());
    const lastId = seen[seen.length - 1]!.id!;
    expect(lastId).toMatch(/^0:\d+,1:\d+,2:\d+$/);

    await publish(sent[2]!, sent[3]!);
    const resumed = await openSse(`${gw.url}/v1/streams/retrain`, { ...auth, 'last-event-id': lastId });
    await waitFor(() => resumed.events().length >= 2, { what: 'the two events published while away' });
    await new Promise((r) => setTimeout(r, 500)); // would a duplicate of an earlier event show up?
    await resumed.close();
    expect(resumed.events().map((e) => (JSON.parse(e.data!) as { value: RetrainRequested }).value.eventId).sort()).toEqual([sent[2]!.eventId, sent[3]!.eventId].sort());
  });

  it('replays from the beginning on request, filters by model, and refuses a malformed Last-Event-ID or a missing scope', async () => {
    const all = await openSse(`${gw.url}/v1/streams/retrain?from=earliest&model=model-c`, auth);
    await waitFor(() => all.events().length >= 1, { what: 'the model-c event' });
    await new Promise((r) => setTimeout(r, 300));
    await all.close();
    expect(all.events().map((e) => (JSON.parse(e.data!) as { value: RetrainRequested }).value.model)).toEqual(['model-c']);

    const bad = await gw.call('GET', '/v1/streams/drift', { token: tokens.reader, headers: { 'last-event-id': 'yesterday' } });
    expect(bad.body).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    expect((await gw.call('GET', '/v1/streams/drift', { token: tokens.writer })).status).toBe(403);
    expect((await gw.call('GET', '/v1/streams/drift', { token: null })).status).toBe(401);
  });

  it('serves at most MLSTREAM_GATEWAY_MAX_STREAMS streams at once (503 TOO_MANY_STREAMS, retriable) and frees a slot on disconnect', async () => {
    const small = await startTestGateway({ prefix, env: { MLSTREAM_GATEWAY_MAX_STREAMS: '1' } });
    try {
      const one = await openSse(`${small.url}/v1/streams/drift`, auth);
      expect(one.res.status).toBe(200);
      const two = await small.call('GET', '/v1/streams/retrain', { token: tokens.reader });
      expect(two).toMatchObject({ status: 503, body: { code: 'TOO_MANY_STREAMS', retriable: true } });
      expect(two.headers.get('retry-after')).toBe('5');
      await one.close();
      const again = await waitFor(
        async () => {
          const s = await openSse(`${small.url}/v1/streams/retrain`, auth);
          if (s.res.status === 200) return s;
          await s.close();
          return undefined;
        },
        { what: 'a free stream slot' },
      );
      await again.close();
    } finally {
      await small.stop();
    }
  });
});
