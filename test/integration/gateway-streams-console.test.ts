import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { createSchemaRegistryClient, createSerde, resolveCatalog, type MetricsLogged, type ModelVersionRegistered, type RecordName, type RunStarted } from '@mlstream/kit';
import { applyTestTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

/** Collects the data blocks of an SSE response until closed. */
async function openSse(url: string) {
  const controller = new AbortController();
  const res = await fetch(url, { headers: { authorization: `Bearer ${tokens.reader}` }, signal: controller.signal });
  const events: Array<{ event: string; data: { type: string; topic: string; partition: number; offset: string | number; value: Record<string, unknown> } }> = [];
  const done = (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body!) {
        buffer += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return { res, events, close: async () => (controller.abort(), await done) };
}

// The console's live feeds: run events by experiment, registry events by model.
describe('gateway: Server-Sent Events over the runs and registry topics', () => {
  const prefix = `${uniqueName('gwsse2')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('gateway-sse-console');
  let producer: Producer;
  let gw: TestGateway;
  const meta = (n: number) => ({ eventId: randomUUID(), occurredAt: 1_764_201_600_000 + n, commandId: randomUUID(), actor: 'trainer', aggregateVersion: 1 });
  const publish = async (name: RecordName, value: object) => {
    const { topic, message } = await serde.encode(name, value as never);
    await producer.send({ topic, acks: -1, messages: [message] });
  };
  const runA = `run-a-${randomUUID()}`;
  const runB = `run-b-${randomUUID()}`;

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    gw = await startTestGateway({ prefix });
    await gw.commandsReady;
  });
  afterAll(async () => {
    await gw?.stop();
    await producer?.disconnect();
  });

  it('streams run events of one experiment, including metrics of runs it learned from the view', async () => {
    const started = (runId: string, experimentId: string, n: number): RunStarted => ({ ...meta(n), runId, experiment: `exp ${experimentId}`, experimentId, status: 'RUNNING', name: runId, tags: {}, codeVersion: null });
    await publish('RunStarted', started(runA, 'exp-a', 1));
    await publish('RunStarted', started(runB, 'exp-b', 2));
    // The view knows both runs before the metrics come: MetricsLogged has no experiment of its own.
    await waitFor(async () => (await gw.call('GET', `/v1/runs/${runB}`, { token: tokens.reader })).status === 200, { what: 'the view to know run b' });
    const metrics = (runId: string, n: number): MetricsLogged => ({ ...meta(n), aggregateVersion: 2, runId, metrics: [{ key: 'loss', value: 1 / n, step: n, timestamp: 1_764_201_600_000 + n }] });
    await publish('MetricsLogged', metrics(runA, 3));
    await publish('MetricsLogged', metrics(runB, 4));

    const sse = await openSse(`${gw.url}/v1/streams/runs?from=earliest&experiment=exp-a`);
    expect(sse.res.status).toBe(200);
    await waitFor(() => sse.events.length >= 2, { what: 'the two events of run a' });
    await publish('MetricsLogged', metrics(runA, 5));
    await waitFor(() => sse.events.length >= 3, { what: 'a metric logged while subscribed' });
    await sse.close();
    expect(sse.events.map((e) => [e.event, e.data.value.runId])).toEqual([
      ['RunStarted', runA],
      ['MetricsLogged', runA],
      ['MetricsLogged', runA],
    ]);
    // Each event carries its Kafka coordinates: the console passes them as X-Mlstream-Consistency to read the run after it.
    const last = sse.events[2]!.data;
    expect(last.topic).toBe(catalog.topic('runs'));
    const read = await gw.call('GET', `/v1/runs/${runA}`, { token: tokens.reader, headers: { 'x-mlstream-consistency': `${last.topic}:${last.partition}:${last.offset}` } });
    expect((read.body.latestMetrics as Record<string, { step: number }>).loss!.step).toBe(5);

    // A run page or a comparison follows only its runs.
    const one = await openSse(`${gw.url}/v1/streams/runs?from=earliest&runs=${runB},nope`);
    await waitFor(() => one.events.length >= 2, { what: 'the two events of run b' });
    await one.close();
    expect(one.events.map((e) => [e.event, e.data.value.runId])).toEqual([
      ['RunStarted', runB],
      ['MetricsLogged', runB],
    ]);
    const tooMany = await gw.call('GET', `/v1/streams/runs?runs=${Array.from({ length: 101 }, (_, i) => `r${i}`).join(',')}`, { token: tokens.reader });
    expect(tooMany.body).toMatchObject({ status: 400 });
  });

  it('streams registry events, filtered by model', async () => {
    const registered = (model: string, n: number): ModelVersionRegistered => ({ ...meta(n), model, version: 1, runId: runA, artifactUri: 'file:///m', artifactSha256: null, stage: 'DEVELOPMENT', description: null, tags: {}, reason: null });
    const sse = await openSse(`${gw.url}/v1/streams/registry?model=churn`);
    expect(sse.res.status).toBe(200);
    // The answer's headers come once the stream is positioned (from `latest`): what is published now is seen.
    await publish('ModelVersionRegistered', registered('fraud', 1));
    await publish('ModelVersionRegistered', registered('churn', 2));
    await publish('ModelVersionRegistered', { ...registered('churn', 3), version: 2 });
    await waitFor(() => sse.events.length >= 2, { what: 'the two churn versions' });
    await sse.close();
    expect(sse.events.map((e) => [e.event, e.data.value.model, e.data.value.version])).toEqual([
      ['ModelVersionRegistered', 'churn', 1],
      ['ModelVersionRegistered', 'churn', 2],
    ]);
  });
});
