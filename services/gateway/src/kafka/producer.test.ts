import type { Kafka, ProducerBatch, RecordMetadata } from 'kafkajs';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createMetrics, isMlstreamError, type EncodedRecord } from '@mlstream/kit';
import { createFactProducer } from './producer.ts';

// The producer's scheduling against a stand-in for kafkajs' producer, whose
// requests the spec answers by hand; the real producer is exercised by the
// gateway's integration tests.

type Request = { producer: number; batch: ProducerBatch; answer: (error?: Error) => void };

function fakeKafka() {
  const requests: Request[] = [];
  const disconnected: number[] = [];
  let created = 0;
  const kafka = {
    producer: () => {
      const id = ++created;
      return {
        connect: async () => {},
        disconnect: async () => void disconnected.push(id),
        sendBatch: (batch: ProducerBatch) =>
          new Promise<RecordMetadata[]>((resolve, reject) => {
            requests.push({ producer: id, batch, answer: (error) => (error ? reject(error) : resolve([{ topicName: 't', partition: 0, errorCode: 0, baseOffset: String(requests.length) }])) });
          }),
      };
    },
  } as unknown as Kafka;
  return { kafka, requests, disconnected, created: () => created };
}

const record = (key: string): EncodedRecord => ({ topic: 't', message: { key, value: Buffer.from(key) } });
const keysOf = (r: Request) => r.batch.topicMessages!.flatMap((t) => t.messages.map((m) => m.key));
const settle = () => new Promise((resolve) => setImmediate(resolve));
const logger = pino({ level: 'silent' });

describe('gateway fact producer', () => {
  it('keeps one request in flight and sends what waits meanwhile in one request, in order', async () => {
    const { kafka, requests } = fakeKafka();
    const producer = createFactProducer({ kafka, logger, metrics: createMetrics('gateway') });
    const sends = ['a', 'b', 'c'].map((k) => producer.send([record(k)]));
    await settle();
    expect(requests.map(keysOf)).toEqual([['a']]);
    requests[0]!.answer();
    await settle();
    expect(requests.map(keysOf)).toEqual([['a'], ['b', 'c']]);
    requests[1]!.answer();
    await expect(Promise.all(sends)).resolves.toHaveLength(3);
    await producer.stop();
  });

  it('sends a record marked alone in a request of its own', async () => {
    const { kafka, requests } = fakeKafka();
    const producer = createFactProducer({ kafka, logger, metrics: createMetrics('gateway') });
    const sends = [producer.send([record('a')]), producer.send([record('b')]), producer.send([record('c')], { alone: true }), producer.send([record('d')])];
    await settle();
    for (let i = 0; i < 3; i++) {
      requests[i]!.answer();
      await settle();
    }
    expect(requests.map(keysOf)).toEqual([['a'], ['b'], ['c'], ['d']]);
    requests[3]!.answer();
    await Promise.all(sends);
    await producer.stop();
  });

  it('a failed request fails its sends and discards the producer; the next send starts a new session', async () => {
    const { kafka, requests, disconnected, created } = fakeKafka();
    const producer = createFactProducer({ kafka, logger, metrics: createMetrics('gateway') });
    const a = producer.send([record('a')]);
    await settle();
    requests[0]!.answer(new Error('broker gone'));
    const error = await a.then(() => undefined, (e: unknown) => e);
    expect(isMlstreamError(error, 'KAFKA_UNAVAILABLE')).toBe(true);
    expect(producer.healthy()).toBe(false);
    await settle();
    expect(disconnected).toEqual([1]);
    const b = producer.send([record('b')]);
    await settle();
    expect(created()).toBe(2);
    expect(requests[1]!.producer).toBe(2);
    requests[1]!.answer();
    await b;
    expect(producer.healthy()).toBe(true);
    await producer.stop();
    expect(disconnected).toEqual([1, 2]);
  });
});
