import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { MlstreamError, recordFullNames, type Logger, type ResolvedCatalog, type Serde } from '@mlstream/kit';
import { createLineage } from '../domain/reference.ts';

const WANTED = new Set(['ModelVersionRegistered', 'InputsLogged', 'DatasetVersionIngested']);

/**
 * Follows the registry, runs and ingestion topics from their beginning (no
 * committed offsets: the lineage is small and rebuilt at every start) and
 * keeps the lineage the detector needs to find training profiles. Other run
 * events (metrics, params…) are skipped by their `ce_type` header without
 * being decoded.
 */
export function createLineageFollower(options: { kafka: Kafka; serde: Serde; catalog: ResolvedCatalog; logger: Logger; groupId: string; catchUpTimeoutMs?: number }) {
  const { kafka, serde, catalog } = options;
  const topics = [catalog.topic('registry'), catalog.topic('runs'), catalog.topic('ingestion')];
  const wantedTypes = new Set<string>([...WANTED].map((t) => recordFullNames[t as keyof typeof recordFullNames]));
  const lineage = createLineage();
  const position = new Map<string, number>();
  const admin = kafka.admin();
  /** A group of its own per instance, never committed: every instance reads the whole lineage. */
  const readerGroup = `${options.groupId}-lineage-${randomUUID()}`;
  let consumer: Consumer | undefined;
  let failure: Error | undefined;

  return {
    lineage,
    async start() {
      await admin.connect();
      consumer = kafka.consumer({ groupId: readerGroup, readUncommitted: false, maxWaitTimeInMs: 100 });
      // The batch's last offset counts transaction markers too, so a transactional partition reaches its high mark.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const key = `${payload.topic}:${payload.partition}`;
        position.set(key, Math.max(position.get(key) ?? 0, Number(payload.lastOffset) + 1));
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => (failure = payload.error));
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            const type = message.headers?.ce_type?.toString();
            if (type === undefined || wantedTypes.has(type)) {
              try {
                lineage.add(await serde.decode({ topic: batch.topic, partition: batch.partition, message }));
              } catch (error) {
                // Undecodable records are the owning service's to dead-letter; the lineage just lacks them.
                options.logger.warn({ topic: batch.topic, partition: batch.partition, offset: message.offset, err: error }, 'drift.lineage_record_skipped');
              }
            }
          }
        },
      });
    },
    /** Resolves once every lineage record committed before the call has been read. */
    async catchUp(): Promise<void> {
      const deadline = Date.now() + (options.catchUpTimeoutMs ?? 30_000);
      const targets = (await Promise.all(topics.map(async (topic) => (await admin.fetchTopicOffsets(topic)).map((o) => ({ topic, ...o }))))).flat();
      const behind = () => targets.filter((t) => Number(t.high) > Number(t.low) && (position.get(`${t.topic}:${t.partition}`) ?? Number(t.low)) < Number(t.high));
      while (behind().length) {
        if (failure) throw new MlstreamError('KAFKA_UNAVAILABLE', `lineage reader stopped: ${failure.message}`, { cause: failure });
        if (Date.now() > deadline) throw new MlstreamError('KAFKA_UNAVAILABLE', `lineage topics not read to their end within ${options.catchUpTimeoutMs ?? 30_000} ms`, { details: { behind: behind().map((t) => `${t.topic}[${t.partition}]`) } });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async stop() {
      await consumer?.disconnect().catch(() => {});
      await admin.deleteGroups([readerGroup]).catch(() => {});
      await admin.disconnect().catch(() => {});
    },
  };
}
