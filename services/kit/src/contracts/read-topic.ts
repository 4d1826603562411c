import type { Kafka } from 'kafkajs';
import { readToEnd } from '../kafka/read-to-end.ts';
import type { DecodedEvent, Serde } from './serde.ts';

/** Every committed record of a topic, decoded, in offset order per partition (partitions ascending). */
export async function readTopic(kafka: Kafka, serde: Serde, topic: string, progress?: (read: number) => void): Promise<DecodedEvent[]> {
  const pending: Array<Promise<DecodedEvent>> = [];
  await readToEnd({
    kafka,
    topic,
    onMessage: (partition, message) => {
      pending.push(serde.decode({ topic, partition, message }));
      if (progress && pending.length % 10_000 === 0) progress(pending.length);
    },
  });
  const events = await Promise.all(pending);
  return events.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}
