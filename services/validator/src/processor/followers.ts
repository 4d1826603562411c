import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createTopicFollower, type Logger, type ResolvedCatalog, type Serde } from '@mlstream/kit';
import { createDatasetHistory } from '../domain/dataset-history.ts';
import { createSuiteHistory } from '../domain/suite-history.ts';

/**
 * Follows the suites topic and the ingestion topic from their beginning (both
 * are small) so the validation loop can look up, for any dataset version, the
 * suite in force at its time and the version before it.
 */
export function createValidationFacts(options: { kafka: Kafka; serde: Serde; catalog: ResolvedCatalog; logger: Logger; groupId: string; catchUpTimeoutMs?: number }) {
  const { serde, catalog } = options;
  const suites = createSuiteHistory();
  const datasets = createDatasetHistory();
  const follower = createTopicFollower({
    kafka: options.kafka,
    topics: [catalog.topic('expectations'), catalog.topic('ingestion')],
    groupId: `${options.groupId}-facts-${randomUUID()}`,
    onBatch: async (batch) => {
      for (const message of batch.messages) {
        try {
          const event = await serde.decode({ topic: batch.topic, partition: batch.partition, message });
          if (event.type === 'ExpectationSuiteDeclared') suites.add(event.value);
          else if (event.type === 'DatasetVersionIngested') datasets.add(event.value, Number(message.offset));
        } catch (error) {
          // Undecodable records are dead-lettered by the loop that owns them; the facts just lack them.
          options.logger.warn({ topic: batch.topic, partition: batch.partition, offset: message.offset, err: error }, 'validator.fact_skipped');
        }
      }
    },
  });
  return {
    suites,
    datasets,
    start: () => follower.start(),
    /** Resolves once everything committed to both topics before the call has been read. */
    catchUp: () => follower.catchUp(options.catchUpTimeoutMs ?? 30_000),
    stop: () => follower.stop(),
  };
}
