import type { Kafka, Message, Producer } from 'kafkajs';
import { createBatcher } from '../batching/index.ts';

export interface TopicProducerOptions {
  /** Records per produce request; default 1000. */
  maxBatch?: number;
  /** Longest a record waits for its batch, in ms; default 50. */
  lingerMs?: number;
  /** Records buffered before `add` waits (backpressure); default 50 000. */
  maxQueued?: number;
  onError?: (error: unknown, count: number) => void;
}

export interface TopicProducer {
  /** Queues an encoded record; resolves once it is queued (waits when `maxQueued` are). */
  add(message: Message): Promise<void>;
  /** Resolves when Kafka acknowledged (acks=all) everything added so far. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Batches encoded records to one topic through an idempotent producer
 * (acks=all). A failed batch drops its producer session, so sequence numbers
 * never outlive a failure; the next batch connects a new one. Shared by the
 * SDK's direct-to-Kafka writers (predictions, feature values).
 */
export function createTopicProducer(kafka: Kafka, topic: string, options: TopicProducerOptions = {}): TopicProducer {
  let producer: Promise<Producer> | undefined;
  const connected = () => {
    if (!producer) {
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
      producer = p.connect().then(() => p);
      producer.catch(() => (producer = undefined));
    }
    return producer;
  };
  const batcher = createBatcher<Message>({
    send: async (messages) => {
      const session = connected();
      try {
        await (await session).send({ topic, acks: -1, messages });
      } catch (error) {
        if (producer === session) producer = undefined;
        void session.then((p) => p.disconnect()).catch(() => {});
        throw error;
      }
    },
    maxBatch: options.maxBatch ?? 1000,
    lingerMs: options.lingerMs ?? 50,
    maxQueued: options.maxQueued ?? 50_000,
    onError: (error, items) => options.onError?.(error, items.length),
  });
  return {
    add: (message) => batcher.add(message),
    flush: () => batcher.flush(),
    async close() {
      await batcher.close();
      const p = producer;
      producer = undefined;
      if (p) await p.then((x) => x.disconnect()).catch(() => {});
    },
  };
}
