import { randomUUID } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import { consumerPreset } from './consumer-preset.ts';

export interface ReadToEndOptions {
  kafka: Kafka;
  topic: string;
  /** Partitions to read; default all. */
  partitions?: number[];
  onMessage: (partition: number, message: KafkaMessage) => void;
  /** Give up after this long; default 120 000 ms. */
  timeoutMs?: number;
}

/**
 * Reads committed records of `topic` from the beginning up to the high-water
 * mark captured at the start, then stops. Progress is tracked with kafkajs'
 * END_BATCH_PROCESS events, which also fire for batches holding only
 * transaction markers, so a partition whose tail is a commit marker still
 * counts as read. A throwaway consumer group is used and deleted.
 */
export async function readToEnd(options: ReadToEndOptions): Promise<{ read: number }> {
  const { kafka, topic, onMessage } = options;
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `mlstream-read-${randomUUID()}`;
  const consumer = kafka.consumer(consumerPreset({ groupId, maxWaitTimeMs: 50 }));
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    const wanted = new Set(options.partitions ?? offsets.map((o) => o.partition));
    const high = new Map(offsets.filter((o) => wanted.has(o.partition)).map((o) => [o.partition, Number(o.high)]));
    const low = new Map(offsets.map((o) => [o.partition, Number(o.low)]));
    const position = new Map<number, number>();
    const done = () => [...high].every(([p, h]) => h <= (low.get(p) ?? 0) || (position.get(p) ?? 0) >= h);
    if (done()) return { read: 0 };

    let read = 0;
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve) => (finish = resolve));
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic !== topic) return;
      position.set(payload.partition, Math.max(position.get(payload.partition) ?? 0, Number(payload.lastOffset) + 1));
      if (done()) finish();
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        if (!wanted.has(batch.partition)) return;
        const limit = high.get(batch.partition) ?? 0;
        for (const message of batch.messages) {
          if (Number(message.offset) >= limit) break;
          onMessage(batch.partition, message);
          read += 1;
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const timeoutMs = options.timeoutMs ?? 120_000;
    await Promise.race([
      finished,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`reading ${topic} to its end took over ${timeoutMs} ms`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
    return { read };
  } finally {
    await consumer.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}
