import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Producer } from 'kafkajs';
import { applyTopics, createProcessor, createSchemaRegistryClient, createSerde, readToEnd, resolveCatalog, type DecodedEvent, type Processor } from '@mlstream/kit';
import { counterDecider } from '../fixtures/processor/counter-decider.ts';
import { connections, testKafka, testLogger, uniqueName, waitFor } from '../helpers/index.ts';

describe('processor runtime (exactly-once command handling)', () => {
  const catalog = resolveCatalog(`${uniqueName('proc')}.`);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('processor');
  const groupId = `${catalog.prefix}tracking`;
  let admin: Admin;
  let producer: Producer;
  const processors: Processor[] = [];

  const start = async () => {
    const p = createProcessor({ kafka, serde, catalog, logger: testLogger('processor'), decider: counterDecider, commandStream: 'runs.commands', eventStream: 'runs', groupId });
    processors.push(p);
    await p.start();
    return p;
  };
  const command = (type: 'StartRun' | 'LogMetrics', runId: string, commandId: string = randomUUID(), expectedVersion: number | null = null) =>
    type === 'StartRun'
      ? serde.encode('StartRun', { eventId: randomUUID(), occurredAt: 1_000, commandId, actor: 'tester', expectedVersion, runId, experiment: 'exp', name: null, tags: {}, codeVersion: null })
      : serde.encode('LogMetrics', { eventId: randomUUID(), occurredAt: 2_000, commandId, actor: 'tester', expectedVersion, runId, metrics: [{ key: 'loss', value: 0.5, step: 1, timestamp: 2_000 }] });
  const read = async (stream: 'runs' | 'command-results') => {
    const out: DecodedEvent[] = [];
    const pending: Array<Promise<void>> = [];
    await readToEnd({ kafka, topic: catalog.topic(stream), onMessage: (partition, message) => void pending.push(serde.decode({ topic: catalog.topic(stream), partition, message }).then((e) => void out.push(e))) });
    await Promise.all(pending);
    return out;
  };
  const send = async (records: Array<Promise<{ topic: string; message: object }>>) => {
    const encoded = await Promise.all(records);
    await producer.send({ topic: encoded[0]!.topic, acks: -1, messages: encoded.map((e) => e.message as never) });
  };

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await applyTopics(admin, catalog);
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
  });
  afterAll(async () => {
    await Promise.all(processors.map((p) => p.stop()));
    await producer.disconnect();
    await admin.disconnect();
  });

  it('answers every command once, deduplicates a repeated command id, and checks expectedVersion', async () => {
    await start();
    const repeated = randomUUID();
    await send([command('StartRun', 'run-a', repeated), command('StartRun', 'run-a', repeated), command('LogMetrics', 'run-a'), command('LogMetrics', 'missing'), command('LogMetrics', 'run-a', randomUUID(), 0)]);
    const results = await waitFor(async () => {
      const r = await read('command-results');
      return r.length >= 5 && r;
    }, { what: '5 results', timeoutMs: 60_000 });
    const summary = results.map((r) => (r.type === 'CommandAccepted' ? ['accepted', r.value.aggregateId, r.value.aggregateVersion] : r.type === 'CommandRejected' ? ['rejected', r.value.aggregateId, r.value.errorCode] : [r.type]));
    expect(summary.sort()).toEqual(
      [
        ['accepted', 'run-a', 1],
        ['accepted', 'run-a', 1], // the repeated StartRun gets the first outcome again
        ['accepted', 'run-a', 2],
        ['rejected', 'missing', 'RUN_NOT_FOUND'],
        ['rejected', 'run-a', 'VERSION_CONFLICT'],
      ].sort(),
    );
    const events = await read('runs');
    expect(events.map((e) => [e.type, e.key])).toEqual([
      ['RunStarted', 'run-a'],
      ['MetricsLogged', 'run-a'],
    ]);
    // Accepted results point at the real event coordinates.
    const accepted = results.find((r) => r.type === 'CommandAccepted' && r.value.aggregateVersion === 2);
    if (accepted?.type !== 'CommandAccepted') throw new Error('no accepted result');
    expect(accepted.value.events[0]).toMatchObject({ topic: catalog.topic('runs'), partition: events[1]!.partition, offset: Number(events[1]!.offset) });
  });

  it('rebuilds state and outcomes after a restart: no duplicate events, repeated ids still answered the first way', async () => {
    await processors.pop()!.stop();
    const eventsBefore = (await read('runs')).length;
    const missing = (await read('command-results')).find((r) => r.type === 'CommandRejected' && r.value.errorCode === 'RUN_NOT_FOUND');
    if (missing?.type !== 'CommandRejected') throw new Error('no earlier RUN_NOT_FOUND');
    const second = await start();
    const [again, more] = [randomUUID(), randomUUID()];
    // A StartRun reusing the id of the earlier rejected LogMetrics: it must be answered RUN_NOT_FOUND again, not applied.
    await send([command('StartRun', 'run-a', again), command('LogMetrics', 'run-a', more), command('StartRun', 'missing', missing.value.commandId)]);
    const answer = async (commandId: string) =>
      waitFor(async () => {
        const mine = (await read('command-results')).filter((r) => (r.value as { commandId: string }).commandId === commandId);
        return mine.sort((x, y) => (x.value as { sourceOffset: number }).sourceOffset - (y.value as { sourceOffset: number }).sourceOffset).at(-1);
      }, { what: `the result of ${commandId}`, timeoutMs: 60_000 });
    const describeResult = (r: DecodedEvent) => (r.type === 'CommandAccepted' ? `accepted v${r.value.aggregateVersion}` : r.type === 'CommandRejected' ? `rejected ${r.value.errorCode}` : r.type);
    expect(describeResult(await answer(again))).toBe('rejected RUN_ALREADY_EXISTS');
    expect(describeResult(await answer(more))).toBe('accepted v3');
    const repeat = await waitFor(async () => {
      const mine = (await read('command-results')).filter((r) => (r.value as { commandId: string }).commandId === missing.value.commandId);
      return mine.length === 2 && mine;
    }, { what: 'the repeated answer', timeoutMs: 60_000 });
    expect(repeat.map(describeResult)).toEqual(['rejected RUN_NOT_FOUND', 'rejected RUN_NOT_FOUND']);
    expect((await read('runs')).length).toBe(eventsBefore + 1);
    expect(second.status().reduce((n, s) => n + s.aggregates, 0)).toBeGreaterThanOrEqual(1);
  });
});
