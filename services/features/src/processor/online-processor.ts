import type { Kafka } from 'kafkajs';
import { createExactlyOnceLoop, deadLetterFor, decodeOrDeadLetter, readToEnd, type DeadLetter, type Logger, type OutgoingRecords, type ResolvedCatalog, type Serde, type ServiceMetrics, type TransactionalState } from '@mlstream/kit';
import { applyFeatureValues, onlineKey, type OnlineEntry } from '../domain/index.ts';
import { changelogRecord, entryOf } from './changelog.ts';

/**
 * The latest entries of one input partition's keys. `process` stages changes
 * beside the committed map; they become visible only when the transaction
 * that wrote them to the changelog commits.
 */
export interface OnlinePartition extends TransactionalState {
  get(key: string): OnlineEntry | undefined;
  stage(key: string, entry: OnlineEntry): void;
  size(): number;
}

export function onlinePartition(committed = new Map<string, OnlineEntry>()): OnlinePartition {
  let staged = new Map<string, OnlineEntry>();
  return {
    get: (key) => staged.get(key) ?? committed.get(key),
    stage: (key, entry) => void staged.set(key, entry),
    size: () => committed.size,
    commit() {
      for (const [key, entry] of staged) committed.set(key, entry);
      staged = new Map();
    },
    rollback() {
      staged = new Map();
    },
  };
}

export interface OnlineProcessorOptions {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
  groupId: string;
  metrics?: ServiceMetrics;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
}

/**
 * Feature events in, changelog out, exactly once: for each chunk of a
 * partition of mlops.features.v1, the changed entries (latest value per
 * feature by event time) go to partition i of the compacted
 * mlops.feature-online.v1 in the same transaction as the consumed offsets. A
 * new owner restores partition i's entries by reading changelog partition i
 * to its end (read_committed), so it decides exactly as the previous owner would have.
 */
export function createOnlineProcessor(options: OnlineProcessorOptions) {
  const { kafka, serde, catalog, groupId, metrics } = options;
  const log = options.logger.child({ group: groupId });
  const changelog = catalog.topic('feature-online');

  const restore = async (partitions: number[]) => {
    const maps = new Map(partitions.map((p) => [p, new Map<string, OnlineEntry>()]));
    const records: Array<{ partition: number; message: Parameters<Serde['decode']>[0]['message'] }> = [];
    await readToEnd({ kafka, topic: changelog, partitions, onMessage: (partition, message) => void records.push({ partition, message }) });
    for (const { partition, message } of records) {
      const decoded = await serde.decode({ topic: changelog, partition, message });
      if (decoded.type !== 'OnlineFeaturesUpdated') continue;
      const entry = entryOf(decoded.value);
      maps.get(partition)!.set(onlineKey(entry.view, entry.entityKey), entry);
    }
    log.info({ partitions, entries: records.length }, 'features.online_restored');
    return new Map(partitions.map((p) => [p, onlinePartition(maps.get(p))]));
  };

  const loop = createExactlyOnceLoop<OnlinePartition>({
    kafka,
    logger: log,
    groupId,
    topics: [catalog.topic('features')],
    consumer: { sessionTimeoutMs: options.sessionTimeoutMs, rebalanceTimeoutMs: options.rebalanceTimeoutMs },
    metrics,
    restore,
    async process({ topic, partition, messages, state }) {
      const changed = new Map<string, { entry: OnlineEntry; eventId: string; ingestedAt: number }>();
      const deadLetters: DeadLetter[] = [];
      for (const message of messages) {
        const decoded = await decodeOrDeadLetter(serde, { topic, partition, message }, { logger: log, metrics });
        if (decoded.deadLetter) {
          deadLetters.push(deadLetterFor(decoded.deadLetter.record, decoded.deadLetter.error, groupId));
          continue;
        }
        if (decoded.event.type !== 'FeatureValuesLogged') continue;
        const v = decoded.event.value;
        const key = onlineKey(v.view, v.entityKey);
        const next = applyFeatureValues(state.get(key), v);
        if (!next) continue;
        state.stage(key, next);
        changed.set(key, { entry: next, eventId: v.eventId, ingestedAt: Number(message.timestamp) });
      }
      // One record per changed key per chunk: the last state is all a compacted changelog needs.
      const encoded = await Promise.all([...changed.values()].map((c) => serde.encode('OnlineFeaturesUpdated', changelogRecord(c.entry, c)).then((e) => ({ ...e.message, partition }))));
      const outputs: OutgoingRecords[] = [{ topic: changelog, messages: encoded }];
      if (deadLetters.length) outputs.push({ topic: catalog.topic('deadletter'), messages: (await Promise.all(deadLetters.map((l) => serde.encode('DeadLetter', l)))).map((e) => e.message) });
      return outputs;
    },
  });

  return {
    ready: () => loop.ready(),
    status: () => loop.owned().map(({ partition, state }) => ({ partition, entries: state.size() })),
    start: () => loop.start(),
    stop: () => loop.stop(),
  };
}
