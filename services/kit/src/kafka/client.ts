import { Kafka, logLevel, type KafkaConfig, type LogEntry, type RetryOptions } from 'kafkajs';
import type { Logger } from '../logging/index.ts';
import { guardFetchSpin } from './fetch-spin-guard.ts';

export interface KafkaClientOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** kafkajs retry policy; default: 8 retries from 300 ms. Tests pass a short one. */
  retry?: RetryOptions;
  connectionTimeout?: number;
  requestTimeout?: number;
}

/** Named retry policies (see STYLE.md: retry policies are values passed in). */
export const retryPolicies = {
  standard: { initialRetryTime: 300, retries: 8, maxRetryTime: 30_000 },
  /** Fail within a few seconds: for readiness probes and gateway writes. */
  fast: { initialRetryTime: 100, retries: 2, maxRetryTime: 1_000 },
} as const satisfies Record<string, RetryOptions>;

const levelName = (level: logLevel): 'error' | 'warn' | 'info' | 'debug' => {
  switch (level) {
    case logLevel.ERROR:
    case logLevel.NOTHING:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'info';
    default:
      return 'debug';
  }
};

/** kafkajs client whose own log lines go through pino as `component: kafkajs`. */
export function createKafka(options: KafkaClientOptions): Kafka {
  if (!options.brokers.length) throw new TypeError('createKafka: `brokers` must name at least one host:port');
  if (!options.clientId) throw new TypeError('createKafka: `clientId` is required (the service name)');
  // kafkajs announces its v2 partitioner change on every producer; we use the default on purpose.
  process.env.KAFKAJS_NO_PARTITIONER_WARNING ??= '1';
  guardFetchSpin();
  const kafkaLog = options.logger.child({ component: 'kafkajs' });
  const config: KafkaConfig = {
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeout ?? 3_000,
    requestTimeout: options.requestTimeout ?? 30_000,
    retry: options.retry ?? retryPolicies.standard,
    logLevel: logLevel.INFO,
    logCreator:
      () =>
      ({ level, log }: LogEntry) => {
        const { message, ...rest } = log;
        // kafkajs logs broker-side retriable errors (coordinator loading, ...) at
        // ERROR although it retries them; keep them at warn so alerts stay meaningful.
        const name = level === logLevel.ERROR && /coordinator|leader|rebalanc/i.test(String(rest.error ?? '')) ? 'warn' : levelName(level);
        kafkaLog[name](rest, message);
      },
  };
  return new Kafka(config);
}
