import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type DecodedEvent, type RunningService } from '@mlstream/kit';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics, startCommandProcessors } from '../helpers/index.ts';

// 10 000 commands over 100 runs and 10 models from concurrent producers:
// exactly the expected events (counts and per-key order), exactly one result each.
describe('tracking and registry processors at volume', () => {
  const prefix = `${uniqueName('volume')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('volume');
  const services: RunningService[] = [];
  const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_LOG_LEVEL: 'warn' };
  const readAll = (topic: string) => readTopic(kafka, serde, topic);

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    services.push(...(await startCommandProcessors(env)));
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
  });

  it('gives exactly the expected events and one result per command', async () => {
    const RUNS = 100;
    const MODELS = 10;
    const VERSIONS = 30; // per model: 10 × 30 registrations + 10 × 30 aliases = 600 registry commands
    const METRIC_BATCHES = 92; // per run: StartRun + 92 LogMetrics + 2 SetTags + FinishRun... sized below to 10 000 total
    const perRun: Array<Array<Promise<{ topic: string; message: object }>>> = [];
    let commandCount = 0;
    const common = (runId: string, i: number) => ({ eventId: randomUUID(), occurredAt: 1_000 + i, commandId: `${prefix}${runId}-${i}`, actor: 'volume', expectedVersion: null, runId });
    for (let r = 0; r < RUNS; r++) {
      const runId = `run-${r}`;
      const list: Array<Promise<{ topic: string; message: object }>> = [serde.encode('StartRun', { ...common(runId, 0), experiment: 'volume', name: null, tags: {}, codeVersion: null })];
      for (let i = 1; i <= METRIC_BATCHES; i++) list.push(serde.encode('LogMetrics', { ...common(runId, i), metrics: [{ key: 'acc', value: i / METRIC_BATCHES, step: i, timestamp: 1_000 + i }] }));
      list.push(serde.encode('LogParams', { ...common(runId, METRIC_BATCHES + 1), params: { lr: '0.01' } }));
      list.push(serde.encode('FinishRun', { ...common(runId, METRIC_BATCHES + 2), status: 'FINISHED' }));
      commandCount += list.length;
      perRun.push(list);
    }
    const perModel: Array<Array<Promise<{ topic: string; message: object }>>> = [];
    for (let m = 0; m < MODELS; m++) {
      const model = `model-${m}`;
      const list: Array<Promise<{ topic: string; message: object }>> = [];
      for (let v = 1; v <= VERSIONS; v++) {
        const base = { eventId: randomUUID(), occurredAt: 5_000 + v, actor: 'volume', expectedVersion: null, model };
        list.push(serde.encode('RegisterModelVersion', { ...base, commandId: `${prefix}${model}-reg-${v}`, runId: `run-${(m * VERSIONS + v) % RUNS}`, artifactUri: `s3://models/${model}/${v}`, artifactSha256: null, signature: [], description: null, tags: {}, reason: 'volume test' }));
        list.push(serde.encode('SetAlias', { ...base, commandId: `${prefix}${model}-alias-${v}`, alias: 'champion', version: v, reason: 'latest' }));
      }
      commandCount += list.length;
      perModel.push(list);
    }
    expect(commandCount).toBe(RUNS * (METRIC_BATCHES + 3) + MODELS * VERSIONS * 2);

    // Four concurrent producers, each owning a disjoint set of keys (per-key order is the producer's order).
    const producers = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
        await p.connect();
        return p;
      }),
    );
    await Promise.all(
      producers.map(async (producer, index) => {
        const runs = perRun.filter((_, r) => r % 4 === index);
        const models = perModel.filter((_, m) => m % 4 === index);
        const maxLen = Math.max(...runs.map((l) => l.length), ...models.map((l) => l.length), 0);
        for (let i = 0; i < maxLen; i++) {
          const batch = await Promise.all([...runs, ...models].map((l) => l[i]).filter((x) => x !== undefined));
          const byTopic = new Map<string, object[]>();
          for (const e of batch) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e.message]);
          await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages: messages as never })) });
        }
        await producer.disconnect();
      }),
    );

    const results = await waitFor(
      async () => {
        const r = await readAll(catalog.topic('command-results'));
        return r.length >= commandCount && r;
      },
      { what: `${commandCount} results`, timeoutMs: 150_000, intervalMs: 2_000 },
    );
    expect(results.length).toBe(commandCount);
    expect(new Set(results.map((r) => (r.value as { commandId: string }).commandId)).size).toBe(commandCount);
    expect(results.filter((r) => r.type === 'CommandRejected').map((r) => r.value)).toEqual([]);

    const runEvents = await readAll(catalog.topic('runs'));
    const countBy = (events: DecodedEvent[]) => events.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.type]: (acc[e.type] ?? 0) + 1 }), {});
    expect(countBy(runEvents)).toEqual({ RunStarted: RUNS, MetricsLogged: RUNS * METRIC_BATCHES, ParamsLogged: RUNS, RunFinished: RUNS });
    const registryEvents = await readAll(catalog.topic('registry'));
    expect(countBy(registryEvents)).toEqual({ ModelVersionRegistered: MODELS * VERSIONS, AliasSet: MODELS * VERSIONS });

    // Per key: versions 1..n in offset order, and the decider's own numbering of model versions.
    for (const events of [runEvents, registryEvents]) {
      const byKey = new Map<string, DecodedEvent[]>();
      for (const e of events) byKey.set(e.key!, [...(byKey.get(e.key!) ?? []), e]);
      for (const [key, list] of byKey) {
        const versions = list.sort((a, b) => Number(a.offset) - Number(b.offset)).map((e) => (e.value as { aggregateVersion: number }).aggregateVersion);
        expect(versions, key).toEqual(versions.map((_, i) => i + 1));
      }
    }
    const numbers = registryEvents.filter((e) => e.type === 'ModelVersionRegistered' && e.key === 'model-3').map((e) => (e.value as { version: number }).version);
    expect(numbers).toEqual(Array.from({ length: VERSIONS }, (_, i) => i + 1));
  });
});
