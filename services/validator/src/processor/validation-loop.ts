import type { Kafka } from 'kafkajs';
import {
  createExactlyOnceLoop,
  deadLetterFor,
  decodeOrDeadLetter,
  once,
  type Logger,
  type ResolvedCatalog,
  type Serde,
  type ServiceMetrics,
  type TransactionOutput,
} from '@mlstream/kit';
import { datasetSubject } from '../domain/suite.ts';
import { validateDataset } from '../domain/validate.ts';
import { createValidationFacts } from './followers.ts';

/** Nothing to restore: every fact the loop needs is in the followed topics. */
const stateless = { commit() {}, rollback() {} };

/**
 * Validates every DatasetVersionIngested exactly once: for each chunk of the
 * ingestion partition, the DatasetValidated records and the consumed offset
 * commit in one Kafka transaction (kit's exactly-once loop). Before a chunk,
 * the suites and dataset versions committed so far are read, then each
 * version is checked against the suite in force at its occurredAt.
 */
export function createValidationLoop(options: { kafka: Kafka; serde: Serde; catalog: ResolvedCatalog; logger: Logger; groupId: string; metrics?: ServiceMetrics; sessionTimeoutMs?: number; rebalanceTimeoutMs?: number }) {
  const { kafka, serde, catalog, groupId, metrics } = options;
  const log = options.logger.child({ group: groupId });
  const facts = createValidationFacts({ kafka, serde, catalog, logger: log, groupId });
  const topic = catalog.topic('ingestion');
  const loop = createExactlyOnceLoop({
    kafka,
    logger: log,
    groupId,
    topics: [topic],
    consumer: { sessionTimeoutMs: options.sessionTimeoutMs, rebalanceTimeoutMs: options.rebalanceTimeoutMs },
    metrics,
    restore: async (partitions) => new Map(partitions.map((p) => [p, stateless])),
    async process({ partition, messages }): Promise<TransactionOutput[]> {
      await facts.catchUp();
      const encoded = [];
      for (const message of messages) {
        const decoded = await decodeOrDeadLetter(serde, { topic, partition, message }, { logger: log, metrics });
        if (decoded.deadLetter) {
          encoded.push(await serde.encode('DeadLetter', deadLetterFor(decoded.deadLetter.record, decoded.deadLetter.error, groupId)));
          continue;
        }
        if (decoded.event.type !== 'DatasetVersionIngested') continue;
        const ingestion = decoded.event.value;
        const offset = Number(message.offset);
        const value = validateDataset({
          ingestion,
          partition,
          offset,
          suite: facts.suites.at(datasetSubject(ingestion.datasetId), ingestion.occurredAt),
          previous: facts.datasets.previous(ingestion.datasetId, offset),
        });
        log.info({ dataset: value.datasetId, version: value.version, verdict: value.verdict, producerDisagrees: value.producerDisagrees }, 'validator.dataset_validated');
        encoded.push(await serde.encode('DatasetValidated', value, { causationId: ingestion.eventId }));
      }
      const byTopic = new Map<string, TransactionOutput & { messages: unknown[] }>();
      for (const e of encoded) {
        const out = byTopic.get(e.topic) ?? { topic: e.topic, messages: [] };
        out.messages.push(e.message);
        byTopic.set(e.topic, out);
      }
      return [...byTopic.values()] as TransactionOutput[];
    },
  });
  return {
    status: () => loop.owned().map(({ partition }) => ({ partition })),
    ready: () => loop.ready(),
    async start() {
      await facts.start();
      await loop.start();
    },
    stop: once(async () => {
      await loop.stop();
      await facts.stop();
    }),
  };
}
