import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { consumerPreset, type DecodedEvent, type Logger, type Serde } from '@mlstream/kit';
import { startPositions, type Positions } from './positions.ts';
import { bounded } from './results.ts';

export interface TailOptions {
  kafka: Kafka;
  serde: Serde;
  logger: Logger;
  topic: string;
  /** Resume positions (from Last-Event-ID); partitions not listed start at their beginning. */
  resume: Positions | undefined;
  /** Where a fresh subscription starts. */
  from: 'earliest' | 'latest';
  /** Called in partition order for every record; `position` is the id to send with it. */
  onEvent: (event: DecodedEvent, position: Positions) => Promise<void>;
  /** The consumer crashed for good. */
  onError: (error: unknown) => void;
}

export interface Tail {
  /** The positions the tail started from (the id of a subscription that has seen nothing yet). */
  start: Positions;
  close(): Promise<void>;
}

/**
 * Reads one topic from explicit positions for one subscriber: a throwaway
 * consumer group (never committed, deleted on close), read_committed so an
 * aborted transaction is never streamed.
 */
export async function openTail(options: TailOptions): Promise<Tail> {
  const { kafka, serde, logger, topic } = options;
  const groupId = `mlstream-gateway-sse-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  const consumer = kafka.consumer(consumerPreset({ groupId, maxWaitTimeMs: 200, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000 }));
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await bounded(consumer.disconnect(), 5_000);
    await bounded(admin.deleteGroups([groupId]), 2_000);
    await admin.disconnect().catch(() => {});
  };
  try {
    const start = startPositions(await admin.fetchTopicOffsets(topic), options.resume, options.from);
    const position: Positions = new Map(start);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) options.onError(payload.error);
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (closed) return;
        let event: DecodedEvent;
        try {
          event = serde.decodeKnown({ topic, partition, message }) ?? (await serde.decode({ topic, partition, message }));
        } catch (error) {
          logger.warn({ err: error, topic, partition, offset: message.offset }, 'stream.undecodable_skipped');
          position.set(partition, BigInt(message.offset) + 1n);
          return;
        }
        position.set(partition, BigInt(message.offset) + 1n);
        await options.onEvent(event, new Map(position));
      },
    });
    for (const [partition, offset] of start) consumer.seek({ topic, partition, offset: offset.toString() });
    return { start, close };
  } catch (error) {
    await close();
    throw error;
  }
}
