import { consumerPreset, type RetrainRequested } from '@mlstream/kit';
import { kafkaSide, type KafkaSideOptions } from './connect.ts';

export interface RetrainCoordinates {
  topic: string;
  partition: number;
  offset: string;
}

export interface SubscribeRetrainOptions extends KafkaSideOptions {
  /** Consumer group: instances of one retraining system share it and split the partitions. */
  groupId: string;
  /** Called once per request (at least once: dedupe on `idempotencyKey`); a throw retries the record. */
  handler: (request: RetrainRequested, at: RetrainCoordinates) => Promise<void> | void;
  /** Only this model's requests. */
  model?: string;
  /** A new group starts at the beginning of the topic (default false: only new requests). */
  fromBeginning?: boolean;
}

export interface Subscription {
  stop(): Promise<void>;
}

/** Subscribes to RetrainRequested over Kafka with a consumer group; offsets are committed after the handler returns. */
export async function subscribeRetrain(options: SubscribeRetrainOptions): Promise<Subscription> {
  if (!options.groupId) throw new TypeError('subscribeRetrain: groupId is required (one per retraining system)');
  const { kafka, serde, catalog, logger } = kafkaSide(options, 'mlstream/sdk');
  const topic = catalog.topic('retrain');
  // kafkajs' own 5 s fetch wait, as before: the subscriber has no latency target beyond the broker's.
  const consumer = kafka.consumer(consumerPreset({ groupId: options.groupId, maxWaitTimeMs: 5_000 }));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? false });
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      let event;
      try {
        event = await serde.decode({ topic, partition, message });
      } catch (error) {
        logger.warn({ err: error, topic, partition, offset: message.offset }, 'retrain.undecodable_skipped');
        return;
      }
      if (event.type !== 'RetrainRequested') return;
      if (options.model !== undefined && event.value.model !== options.model) return;
      await options.handler(event.value, { topic, partition, offset: message.offset });
    },
  });
  let stopped: Promise<void> | undefined;
  return { stop: () => (stopped ??= consumer.disconnect()) };
}
