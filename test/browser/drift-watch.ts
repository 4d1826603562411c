// When did a drift window reach Kafka? The live test measures "on screen
// within 2 s" from the moment the detector's DriftMeasured record is in the
// drift topic (committed, read_committed), as the gateway's stream sees it.
import type { Kafka } from 'kafkajs';
import type { Serde } from '@mlstream/kit';
import { uniqueName } from '../helpers/index.ts';

export interface SeenRecord {
  windowIndex: number;
  /** The record's Kafka timestamp (when the detector produced it), epoch ms. */
  producedAt: number;
  /** When this consumer received it, epoch ms. */
  receivedAt: number;
}

/** Follows the drift topic for one model version; `next(index)` resolves when that window's DriftMeasured arrives. */
export async function watchDriftTopic(options: { kafka: Kafka; serde: Serde; topic: string; model: string; version: number }) {
  const seen = new Map<number, SeenRecord>();
  const waiters = new Map<number, (r: SeenRecord) => void>();
  const consumer = options.kafka.consumer({ groupId: uniqueName('browser-drift-watch'), readUncommitted: false, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic: options.topic, fromBeginning: true });
  let joined: () => void = () => {};
  const ready = new Promise<void>((resolve) => (joined = resolve));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachMessage: async ({ topic, partition, message }) => {
      const receivedAt = Date.now();
      const event = await options.serde.decode({ topic, partition, message });
      if (event.type !== 'DriftMeasured' || event.value.model !== options.model || event.value.version !== options.version) return;
      const record = { windowIndex: Number(event.value.window.index), producedAt: Number(message.timestamp), receivedAt };
      seen.set(record.windowIndex, record);
      waiters.get(record.windowIndex)?.(record);
    },
  });
  await ready;
  return {
    next: (windowIndex: number) => new Promise<SeenRecord>((resolve) => (seen.has(windowIndex) ? resolve(seen.get(windowIndex)!) : waiters.set(windowIndex, resolve))),
    stop: () => consumer.disconnect(),
  };
}
