import type { KafkaMessage } from 'kafkajs';
import { MlstreamError, isMlstreamError, type ErrorCode } from '../errors/index.ts';
import type { DecodedEvent, Serde } from '../contracts/serde.ts';
import type { Logger } from '../logging/index.ts';
import type { ServiceMetrics } from '../metrics/index.ts';

/** One consumed record with its coordinates. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** Codes that mean "this record can never be decoded": dead-letter it and move on. */
export const poisonCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['CORRUPT_MESSAGE', 'UNKNOWN_SCHEMA_ID', 'SCHEMA_VIOLATION', 'UNEXPECTED_RECORD_TYPE']);

/** A record to give up on: what the caller writes to the dead-letter topic (see deadLetterFor) or records as skipped. */
export interface DeadLetterDraft {
  record: ConsumedRecord;
  error: MlstreamError;
}

export type DecodeOutcome = { event: DecodedEvent; deadLetter?: undefined } | { event?: undefined; deadLetter: DeadLetterDraft };

/**
 * What a decode failure means, decided once for every consumer:
 * - poison (the bytes can never decode, see `poisonCodes`) → a dead-letter draft, and the consumer moves on;
 * - retriable (`MlstreamError.retriable`, e.g. the schema registry is down) → rethrown as is, so kafkajs retries the batch;
 * - anything else → rethrown as HANDLER_FAILED with its cause: the consumer crashes and the record is delivered again after a restart.
 */
export function decodeFailure(record: ConsumedRecord, error: unknown): DeadLetterDraft {
  if (isMlstreamError(error) && poisonCodes.has(error.code)) return { record, error };
  if (isMlstreamError(error) && error.retriable) throw error;
  if (isMlstreamError(error) && error.code === 'HANDLER_FAILED') throw error;
  throw new MlstreamError('HANDLER_FAILED', `decoding ${record.topic}[${record.partition}]@${record.message.offset} failed: ${(error as Error)?.message ?? String(error)}`, {
    cause: error,
    details: { topic: record.topic, partition: record.partition, offset: record.message.offset },
  });
}

/** Where a consumer that writes dead letters reports them: a `record.dead_lettered` log line and mlstream_dead_letters_total. */
export interface DeadLetterObserver {
  logger?: Logger;
  metrics?: ServiceMetrics;
}

/**
 * Decodes a record, or returns its dead-letter draft when it is poison; throws
 * when it must be retried or the consumer must crash (see decodeFailure).
 * With an observer, each draft is logged and counted when decided (a draft of
 * an aborted transaction is counted again when the record is redelivered).
 */
export async function decodeOrDeadLetter(serde: Pick<Serde, 'decode'>, record: ConsumedRecord, observer: DeadLetterObserver = {}): Promise<DecodeOutcome> {
  try {
    return { event: await serde.decode(record) };
  } catch (error) {
    return deadLettered(record, error, observer);
  }
}

/**
 * `decodeOrDeadLetter` without a promise when the record's schema id is
 * already known to the serde (see `Serde.decodeKnown`); `undefined` when it is
 * not, so a consumer writes
 * `decodeKnownOrDeadLetter(serde, record, observer) ?? (await decodeOrDeadLetter(serde, record, observer))`.
 */
export function decodeKnownOrDeadLetter(serde: Pick<Serde, 'decodeKnown'>, record: ConsumedRecord, observer: DeadLetterObserver = {}): DecodeOutcome | undefined {
  try {
    const event = serde.decodeKnown(record);
    return event && { event };
  } catch (error) {
    return deadLettered(record, error, observer);
  }
}

function deadLettered(record: ConsumedRecord, error: unknown, observer: DeadLetterObserver): DecodeOutcome {
  const deadLetter = decodeFailure(record, error);
  const { code, message: reason } = deadLetter.error;
  observer.logger?.warn({ topic: record.topic, partition: record.partition, offset: record.message.offset, code, reason }, 'record.dead_lettered');
  observer.metrics?.deadLetters.inc({ topic: record.topic, code });
  return { deadLetter };
}
