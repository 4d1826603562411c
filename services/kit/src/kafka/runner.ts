import type { Consumer, ConsumerConfig, EachMessagePayload, Kafka, KafkaMessage } from 'kafkajs';
import { MlstreamError, isMlstreamError, type ErrorCode } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { ServiceMetrics } from '../metrics/index.ts';
import { once } from '../lifecycle/index.ts';

/** One consumed record with its coordinates. */
export interface ConsumedRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** Codes that mean "this record can never be handled": dead-letter it and move on. */
export const poisonCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'CORRUPT_MESSAGE',
  'UNKNOWN_SCHEMA_ID',
  'SCHEMA_VIOLATION',
  'UNEXPECTED_RECORD_TYPE',
]);

export interface ConsumerRunnerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  handle: (record: ConsumedRecord) => Promise<void>;
  /** Receives poison records (see `poisonCodes`); without it a poison record stops the runner. */
  deadLetter?: (record: ConsumedRecord, error: MlstreamError) => Promise<void>;
  metrics?: ServiceMetrics;
  fromBeginning?: boolean;
  /** Extra kafkajs consumer settings; read_committed is always on. */
  consumer?: Omit<ConsumerConfig, 'groupId' | 'readUncommitted'>;
}

export interface ConsumerRunner {
  /** Connects, subscribes and starts handling; resolves once running. */
  start(): Promise<void>;
  /** Stops consuming after the record in flight and disconnects; safe to call twice. */
  stop(): Promise<void>;
  /** Rejects if the runner crashed on an unhandleable error. */
  readonly crashed: Promise<never>;
}

/**
 * Runs `handle` for each record and decides, once, what a failure means:
 * poison → dead-letter and continue; retriable → let kafkajs retry the record;
 * anything else → stop the consumer and reject `crashed` (the process should exit
 * and be restarted; the uncommitted record is delivered again).
 */
export function createConsumerRunner(options: ConsumerRunnerOptions): ConsumerRunner {
  if (!options.groupId) throw new TypeError('createConsumerRunner: `groupId` is required');
  if (!options.topics.length) throw new TypeError('createConsumerRunner: `topics` must name at least one topic');
  const { kafka, logger, metrics } = options;
  const log = logger.child({ group: options.groupId });
  const consumer: Consumer = kafka.consumer({ ...options.consumer, groupId: options.groupId, readUncommitted: false });
  let rejectCrash: (error: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => {
    rejectCrash = reject;
  });
  crashed.catch(() => {}); // observed by whoever awaits it; never an unhandled rejection

  const handleOne = async ({ topic, partition, message }: EachMessagePayload) => {
    const record = { topic, partition, message };
    const recordLog = log.child({ topic, partition, offset: message.offset });
    try {
      await options.handle(record);
      metrics?.messagesConsumed.inc({ topic });
    } catch (error) {
      const code = isMlstreamError(error) ? error.code : 'HANDLER_FAILED';
      metrics?.handlerErrors.inc({ topic, code });
      if (isMlstreamError(error) && poisonCodes.has(error.code) && options.deadLetter) {
        recordLog.warn({ code, reason: error.message }, 'record.dead_lettered');
        await options.deadLetter(record, error);
        metrics?.deadLetters.inc({ topic, code });
        return;
      }
      if (isMlstreamError(error) && error.retriable) {
        recordLog.warn({ code, err: error }, 'record.retry');
        throw error;
      }
      recordLog.error({ code, err: error }, 'record.failed');
      const crash = new MlstreamError('HANDLER_FAILED', `handler failed on ${topic}[${partition}]@${message.offset}`, {
        cause: error,
        details: { topic, partition, offset: message.offset },
      });
      rejectCrash(crash);
      // Pausing keeps the failed record uncommitted; the owner stops us after `crashed`.
      consumer.pause([{ topic, partitions: [partition] }]);
      throw crash;
    }
  };

  const stop = once(async () => {
    await consumer.disconnect();
    log.info('consumer.stopped');
  });

  return {
    crashed,
    stop,
    async start() {
      await consumer.connect();
      for (const topic of options.topics) await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
      await consumer.run({ eachMessage: handleOne });
      log.info({ topics: options.topics }, 'consumer.started');
    },
  };
}
