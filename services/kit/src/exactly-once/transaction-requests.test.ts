import { EventEmitter } from 'node:events';
import type { EachBatchPayload, Kafka, RecordMetadata } from 'kafkajs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/index.ts';
import { createExactlyOnceLoop, type ExactlyOnceOptions, type TransactionalState } from './exactly-once.ts';

const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as { createErrorFromCode: (code: number) => Error };
const events = { GROUP_JOIN: 'consumer.group_join' };

/** kafkajs as far as one transaction goes: the requests it is asked for, in order, and the batch handler to drive. */
const fakeKafka = (options: { refuseFirstOffsets?: boolean } = {}) => {
  const consumer = new EventEmitter();
  const requests: string[] = [];
  let eachBatch: ((payload: EachBatchPayload) => Promise<void>) | undefined;
  let offsetsRefused = false;
  const transaction = () => ({
    sendBatch: async ({ topicMessages }: { topicMessages: Array<{ topic: string; messages: unknown[] }> }): Promise<RecordMetadata[]> => {
      requests.push(`produce ${topicMessages.map((t) => `${t.topic}:${t.messages.length}`).join(' ')}`);
      return topicMessages.map((t) => ({ topicName: t.topic, partition: 0, errorCode: 0, baseOffset: '7' }));
    },
    sendOffsets: async ({ topics }: { topics: Array<{ partitions: Array<{ offset: string }> }> }) => {
      if (options.refuseFirstOffsets && !offsetsRefused) {
        offsetsRefused = true;
        requests.push('offsets refused');
        throw createErrorFromCode(51);
      }
      requests.push(`offsets ${topics[0]!.partitions[0]!.offset}`);
    },
    commit: async () => void requests.push('commit'),
    abort: async () => void requests.push('abort'),
  });
  const kafka = {
    consumer: () => ({
      events,
      on: (event: string, listener: (e: unknown) => void) => consumer.on(event, listener),
      connect: async () => {},
      subscribe: async () => {},
      run: async (config: { eachBatch: typeof eachBatch }) => void (eachBatch = config.eachBatch),
      disconnect: async () => {},
    }),
    producer: () => ({ connect: async () => {}, disconnect: async () => {}, transaction: async () => transaction() }),
    admin: () => ({ connect: async () => {}, disconnect: async () => {}, fetchOffsets: async () => [] }),
  } as unknown as Kafka;
  const batch = (offsets: number[]) =>
    eachBatch!({
      batch: { topic: 't', partition: 0, messages: offsets.map((o) => ({ offset: String(o), key: null, value: null, timestamp: '0', attributes: 0, headers: {} })) },
      resolveOffset: () => {},
      heartbeat: async () => {},
      isRunning: () => true,
      isStale: () => false,
    } as unknown as EachBatchPayload);
  return { kafka, requests, batch, assign: () => consumer.emit(events.GROUP_JOIN, { payload: { memberAssignment: { t: [0] } } }) };
};

const loopOn = (kafka: Kafka, process: ExactlyOnceOptions<TransactionalState>['process'], offsetsWhileProcessing?: boolean) =>
  createExactlyOnceLoop<TransactionalState>({
    kafka,
    logger: createLogger({ service: 'test', level: 'silent' }),
    groupId: 'g',
    topics: ['t'],
    restore: async (partitions) => new Map(partitions.map((p) => [p, { commit: () => {}, rollback: () => {} }])),
    process,
    offsetsWhileProcessing,
  });

describe('exactly-once loop: the requests of one transaction', () => {
  it('sends consecutive outputs of different topics in one produce; an output that needs offsets waits for them', async () => {
    const { kafka, requests, batch, assign } = fakeKafka();
    const seen: string[] = [];
    const loop = loopOn(kafka, async () => [
      { topic: 'events', messages: [{ value: 'e1' }, { value: 'e2' }], sent: (acks) => void seen.push(`events at ${acks.map((a) => a.topicName).join()}:${acks[0]!.baseOffset}`) },
      { topic: 'results', messages: [{ value: 'r1' }], sent: (acks) => void seen.push(`results at ${acks.map((a) => a.topicName).join()}`) },
      async () => ({ topic: 'deadletter', messages: [{ value: 'd1' }] }),
      { topic: 'empty', messages: [] },
    ]);
    await loop.start();
    assign();
    await expect.poll(() => loop.ready()).toBe(true);
    requests.length = 0; // the fence's empty transaction
    await batch([4, 5]);
    expect(requests).toEqual(['produce events:2 results:1', 'produce deadletter:1', 'offsets 6', 'commit']);
    expect(seen).toEqual(['events at events:7', 'results at results']);
    await loop.stop();
  });

  it('with offsetsWhileProcessing, sends the offset before the records, retrying CONCURRENT_TRANSACTIONS', async () => {
    const { kafka, requests, batch, assign } = fakeKafka({ refuseFirstOffsets: true });
    const loop = loopOn(kafka, async () => [{ topic: 'events', messages: [{ value: 'e1' }] }], true);
    await loop.start();
    assign();
    await expect.poll(() => loop.ready()).toBe(true);
    requests.length = 0; // the fence's empty transaction
    await batch([9]);
    expect(requests).toEqual(['offsets refused', 'offsets 10', 'produce events:1', 'commit']);
    await loop.stop();
  });

  it('aborts and rolls the state back when an output refuses its acks (the processor checks its predicted event offsets there)', async () => {
    const { kafka, requests, batch, assign } = fakeKafka();
    const calls: string[] = [];
    const loop = createExactlyOnceLoop<TransactionalState>({
      kafka,
      logger: createLogger({ service: 'test', level: 'silent' }),
      groupId: 'g',
      topics: ['t'],
      restore: async (partitions) => new Map(partitions.map((p) => [p, { commit: () => void calls.push('commit'), rollback: () => void calls.push('rollback') }])),
      process: async () => [
        {
          topic: 'events',
          messages: [{ value: 'e1' }],
          sent: (acks) => {
            if (acks[0]!.baseOffset !== '3') throw new Error(`events landed at ${acks[0]!.baseOffset}, not 3`);
          },
        },
        { topic: 'results', messages: [{ value: 'r1' }] },
      ],
      offsetsWhileProcessing: true,
    });
    await loop.start();
    assign();
    await expect.poll(() => loop.ready()).toBe(true);
    requests.length = 0;
    await expect(batch([1])).rejects.toThrow('events landed at 7, not 3');
    expect(requests).toEqual(['offsets 2', 'produce events:1 results:1', 'abort']);
    expect(calls).toEqual(['rollback']);
    await loop.stop();
  });

  it('aborts only after the offsets in flight settled when processing fails', async () => {
    const { kafka, requests, batch, assign } = fakeKafka();
    const loop = loopOn(
      kafka,
      async () => {
        throw new Error('decide failed');
      },
      true,
    );
    await loop.start();
    assign();
    await expect.poll(() => loop.ready()).toBe(true);
    requests.length = 0; // the fence's empty transaction
    await expect(batch([1])).rejects.toThrow('decide failed');
    expect(requests).toEqual(['offsets 2', 'abort']);
    await loop.stop();
  });
});
