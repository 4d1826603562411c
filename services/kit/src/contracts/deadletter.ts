import type { Producer } from 'kafkajs';
import type { MlstreamError } from '../errors/index.ts';
import type { ConsumedRecord } from '../kafka/index.ts';
import { deterministicUuid } from '../processor/ids.ts';
import type { DeadLetter } from './generated/types.ts';
import type { Serde } from './serde.ts';

/**
 * The DeadLetter record for an unhandleable record: original key, bytes and
 * headers, coordinates and reason. Its id derives from the coordinates, so
 * dead-lettering the same record again (after a crash) yields the same record.
 */
export function deadLetterFor({ topic, partition, message }: ConsumedRecord, error: MlstreamError, consumer: string): DeadLetter {
  const headers = Object.entries(message.headers ?? {}).flatMap(([key, raw]) =>
    (Array.isArray(raw) ? raw : [raw]).map((v) => ({ key, value: v === undefined ? null : Buffer.isBuffer(v) ? v : Buffer.from(String(v)) })),
  );
  return {
    eventId: deterministicUuid(`deadletter:${topic}:${partition}:${message.offset}`),
    occurredAt: Number(message.timestamp),
    sourceTopic: topic,
    sourcePartition: partition,
    sourceOffset: Number(message.offset),
    key: message.key ?? null,
    value: message.value ?? null,
    headers,
    errorCode: error.code,
    reason: error.message,
    consumer,
  };
}

export interface DeadLetterOptions {
  producer: Producer;
  serde: Serde;
  /** Consumer group that gives up on the record (recorded in the dead letter). */
  consumer: string;
}

/**
 * Sends an unhandleable record to `mlops.deadletter.v1` with its original key,
 * bytes, headers and coordinates, and the reason. Resolves only once Kafka
 * acknowledged it (acks=all), so the consumer may then move past the record.
 */
export function createDeadLetterSink(options: DeadLetterOptions) {
  return async (record: ConsumedRecord, error: MlstreamError): Promise<void> => {
    const encoded = await options.serde.encode('DeadLetter', deadLetterFor(record, error, options.consumer));
    await options.producer.send({ topic: encoded.topic, acks: -1, messages: [encoded.message] });
  };
}
