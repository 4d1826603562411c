import { randomUUID } from 'node:crypto';
import type { Producer } from 'kafkajs';
import type { MlstreamError } from '../errors/index.ts';
import type { ConsumedRecord } from '../kafka/index.ts';
import type { Serde } from './serde.ts';

export interface DeadLetterOptions {
  producer: Producer;
  serde: Serde;
  /** Consumer group that gives up on the record (recorded in the dead letter). */
  consumer: string;
  now?: () => number;
}

/**
 * Sends an unhandleable record to `mlops.deadletter.v1` with its original key,
 * bytes, headers and coordinates, and the reason. Resolves only once Kafka
 * acknowledged it (acks=all), so the consumer may then move past the record.
 */
export function createDeadLetterSink(options: DeadLetterOptions) {
  const now = options.now ?? Date.now;
  return async ({ topic, partition, message }: ConsumedRecord, error: MlstreamError): Promise<void> => {
    const headers = Object.entries(message.headers ?? {}).flatMap(([key, raw]) =>
      (Array.isArray(raw) ? raw : [raw]).map((v) => ({ key, value: v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v)) })),
    );
    const encoded = await options.serde.encode('DeadLetter', {
      eventId: randomUUID(),
      occurredAt: now(),
      sourceTopic: topic,
      sourcePartition: partition,
      sourceOffset: Number(message.offset),
      key: message.key ?? null,
      value: message.value ?? null,
      headers,
      errorCode: error.code,
      reason: error.message,
      consumer: options.consumer,
    });
    await options.producer.send({ topic: encoded.topic, acks: -1, messages: [encoded.message] });
  };
}
