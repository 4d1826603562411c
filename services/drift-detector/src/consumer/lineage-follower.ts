import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createTopicFollower, recordFullNames, type Logger, type ResolvedCatalog, type Serde } from '@mlstream/kit';
import { createLineage } from '../domain/reference.ts';

const WANTED = new Set(['ModelVersionRegistered', 'InputsLogged', 'DatasetVersionIngested', 'ExpectationSuiteDeclared']);

/**
 * Follows the registry, runs and ingestion topics from their beginning (no
 * committed offsets: the lineage is small and rebuilt at every start) and
 * keeps the lineage the detector needs to find training profiles. Other run
 * events (metrics, params…) are skipped by their `ce_type` header without
 * being decoded.
 */
export function createLineageFollower(options: { kafka: Kafka; serde: Serde; catalog: ResolvedCatalog; logger: Logger; groupId: string; catchUpTimeoutMs?: number }) {
  const { kafka, serde, catalog } = options;
  const wantedTypes = new Set<string>([...WANTED].map((t) => recordFullNames[t as keyof typeof recordFullNames]));
  const lineage = createLineage();
  const follower = createTopicFollower({
    kafka,
    topics: [catalog.topic('registry'), catalog.topic('runs'), catalog.topic('ingestion'), catalog.topic('expectations')],
    // A group of its own per instance: every instance reads the whole lineage.
    groupId: `${options.groupId}-lineage-${randomUUID()}`,
    onBatch: async (batch) => {
      for (const message of batch.messages) {
        const type = message.headers?.ce_type?.toString();
        if (type !== undefined && !wantedTypes.has(type)) continue;
        try {
          lineage.add(await serde.decode({ topic: batch.topic, partition: batch.partition, message }));
        } catch (error) {
          // Undecodable records are the owning service's to dead-letter; the lineage just lacks them.
          options.logger.warn({ topic: batch.topic, partition: batch.partition, offset: message.offset, err: error }, 'drift.lineage_record_skipped');
        }
      }
    },
  });

  return {
    lineage,
    start: () => follower.start(),
    /** Resolves once every lineage record committed before the call has been read. */
    catchUp: () => follower.catchUp(options.catchUpTimeoutMs ?? 30_000),
    stop: () => follower.stop(),
  };
}
