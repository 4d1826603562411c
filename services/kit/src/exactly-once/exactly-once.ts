import type { Admin, Consumer, EachBatchPayload, Kafka, KafkaMessage, Message, Producer, RecordMetadata } from 'kafkajs';
import type { Logger } from '../logging/index.ts';
import type { ServiceMetrics } from '../metrics/index.ts';
import { once } from '../lifecycle/index.ts';
import { consumerPreset, type ConsumerPresetOptions } from '../kafka/consumer-preset.ts';
import { createTransactionalProducer, isFenced, transactionalIdOf, whileConcurrentTransactions } from './transactional-producer.ts';
import { oneAtATimePerKey } from './one-at-a-time.ts';

/** Per-partition state that commits and rolls back together with the Kafka transaction. */
export interface TransactionalState {
  /** The transaction committed: keep what `process` staged. */
  commit(): void;
  /** The transaction aborted: drop what `process` staged. */
  rollback(): void;
}

/** Consecutive records of one input partition, handled in one transaction. */
export interface InputChunk<S> {
  topic: string;
  partition: number;
  messages: KafkaMessage[];
  state: S;
  /** Keeps the group membership alive during a long `process` (e.g. a webhook retry schedule); throws when the group rebalances. */
  heartbeat?: () => Promise<void>;
}

export interface OutgoingRecords {
  topic: string;
  messages: Message[];
  /** Called once Kafka accepted the records inside the transaction, e.g. to learn their offsets. */
  sent?: (acks: RecordMetadata[]) => void;
}
/**
 * In order; a function is called only after the outputs before it were sent (so it may use their offsets).
 * Consecutive plain outputs of different topics go in ONE produce request (kafkajs sendBatch: one
 * AddPartitionsToTxn, one Produce), so return plain outputs wherever no offset must be learned first.
 */
export type TransactionOutput = OutgoingRecords | (() => Promise<OutgoingRecords>);

export interface ExactlyOnceOptions<S extends TransactionalState> {
  kafka: Kafka;
  logger: Logger;
  /** Consumer group, also the prefix of the per-partition transactional ids unless `transactionalIdPrefix` is given. */
  groupId: string;
  /** Prefix of the per-partition transactional ids (`<prefix>-<partition>`); default the group id. Changing it between releases stops old and new instances fencing each other. */
  transactionalIdPrefix?: string;
  /** Input topics; several must be co-partitioned (their partition i is handled as one, pass coPartitionedAssigner). */
  topics: string[];
  /** Consumer settings besides the group (see consumerPreset). */
  consumer?: Omit<ConsumerPresetOptions, 'groupId'>;
  /** Rebuilds the state of newly owned partitions, after their previous owner was fenced. */
  restore(partitions: number[]): Promise<Map<number, S>>;
  /** Computes what a chunk writes, staging its changes on `chunk.state`; the loop owns the transaction. */
  process(chunk: InputChunk<S>): Promise<TransactionOutput[]>;
  /** Records per transaction; default 500. */
  maxBatch?: number;
  /**
   * Input partitions handled at once, each in its own transaction with its own producer (default 1). Partitions
   * share nothing but the consumer. Batches of one partition never overlap, and a batch skips what this instance
   * already committed for its partition (kafkajs may rejoin and refetch while another partition's handler is in
   * flight). Only 1 is proven: above 1, test/fault/two-instances-commands answered some commands twice
   * (docs/processors.md "Partitions in parallel"), so every service runs with 1.
   */
  partitionsConcurrently?: number;
  /**
   * Sends the chunk's consumed offset to the transaction while `process` runs, so its two round trips
   * (AddOffsetsToTxn, TxnOffsetCommit) overlap the processing instead of following the records (default false).
   * Only for a short, bounded `process`: the broker's transaction timeout runs from that first request.
   */
  offsetsWhileProcessing?: boolean;
  metrics?: ServiceMetrics;
}

export interface ExactlyOnceLoop<S> {
  start(): Promise<void>;
  /** Leaves the group after the transaction in flight, then releases every partition; safe to call twice. */
  stop(): Promise<void>;
  /** Owned partitions and their states. */
  owned(): Array<{ partition: number; state: S }>;
  /**
   * The partition half of kit's readiness rule (docs/operations.md "Recovery"): every partition the last
   * assignment gave this instance is restored; an empty assignment is ready (a standby), no assignment yet is not.
   * The group half (not rebalancing, crashed or stopped) is kit's groupMember.
   */
  ready(): boolean;
}

/**
 * The records of a batch at or after the group's committed offset (read after
 * the fence); -1 (nothing committed) keeps them all. Kafka hands a batch in
 * offset order, so only its head can be below.
 */
export function notYetCommitted<M extends { offset: string }>(messages: M[], committed: number): M[] {
  if (!messages.length || committed <= Number(messages[0]!.offset)) return messages;
  return messages.filter((m) => Number(m.offset) >= committed);
}

/**
 * Consume, transform, produce, exactly once. Per owned input partition:
 * 1. acquire: a transactional producer whose id is bound to (group, partition)
 *    fences the previous owner, then the group's committed offsets are read
 *    (now final: the old owner's last transaction has completed or aborted)
 *    and `restore` rebuilds the state; records below those offsets are skipped
 *    (kafkajs may have fetched from an offset read before the old owner's last
 *    commit was visible, KIP-447's unstable offset, which kafkajs cannot ask for);
 * 2. per chunk: `process` → send its outputs → send the consumed offset → commit,
 *    all in ONE transaction; then the state commits;
 * 3. on any error: abort the transaction, roll the state back, rethrow (kafkajs
 *    redelivers from the last committed offset); when fenced, release the partition;
 * 4. release on revocation and on stop.
 */
export function createExactlyOnceLoop<S extends TransactionalState>(options: ExactlyOnceOptions<S>): ExactlyOnceLoop<S> {
  const { kafka, groupId, topics, metrics } = options;
  if (!topics.length) throw new TypeError('createExactlyOnceLoop: `topics` must name at least one topic');
  const maxBatch = options.maxBatch ?? 500;
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new TypeError(`createExactlyOnceLoop: maxBatch must be a positive integer, got ${maxBatch}`);
  const log = options.logger.child({ group: groupId });
  const consumer: Consumer = kafka.consumer(consumerPreset({ ...options.consumer, groupId }));
  /** `committed`: per input topic, the next offset to process: the group's offset read after the fence, then advanced by each commit of ours. */
  const owned = new Map<number, { producer: Producer; state: S; committed: Map<string, number> }>();
  /** A partition's next batch waits for the one in flight (they share a producer and a position). */
  const perPartition = oneAtATimePerKey<number>();
  let admin: Admin | undefined;
  let assigned = new Set<number>();
  /** Group generations seen (GROUP_JOIN events) and, per partition, the last one that took it away from us. */
  let generation = 0;
  const revokedIn = new Map<number, number>();
  let joined = false;
  /** Acquisitions run one at a time: two for the same partition would fence each other. */
  let acquiring: Promise<void> = Promise.resolve();

  /** Lets go of a partition; with `only`, only if that is still its owner entry (not one acquired since). */
  const release = async (partition: number, only?: { producer: Producer }) => {
    const o = owned.get(partition);
    if (only && o !== only) return;
    owned.delete(partition);
    await o?.producer.disconnect().catch(() => {});
  };

  /** Fences the previous owners, then restores every newly assigned partition in one pass. */
  const acquire = (wanted: number[]): Promise<void> => {
    const next = acquiring.then(() => acquireNow(wanted));
    acquiring = next.catch(() => {});
    return next;
  };

  const acquireNow = async (wanted: number[]) => {
    const fresh = wanted.filter((p) => !owned.has(p));
    if (!fresh.length) return;
    const started = Date.now();
    const since = generation;
    const producers = new Map<number, Producer>();
    try {
      // All at once: each is a connect, a coordinator lookup and an InitProducerId that may wait for the old owner.
      const created = await Promise.allSettled(fresh.map((p) => createTransactionalProducer(kafka, transactionalIdOf(options.transactionalIdPrefix ?? groupId, p))));
      created.forEach((c, i) => c.status === 'fulfilled' && producers.set(fresh[i]!, c.value));
      const failed = created.find((c) => c.status === 'rejected');
      if (failed) throw failed.reason;
      const committed = await committedAfterFence(fresh);
      const states = await options.restore(fresh);
      for (const p of fresh) {
        // Taken away (and maybe given back) while this ran: another owner may have committed since our
        // restore, so keeping this state would skip the next restore. Let the next batch acquire it again.
        if (keptSince(p, since)) owned.set(p, { producer: producers.get(p)!, state: states.get(p)!, committed: committed.get(p) ?? new Map() });
        else await producers.get(p)!.disconnect().catch(() => {});
      }
    } catch (error) {
      await Promise.all([...producers.values()].map((p) => p.disconnect().catch(() => {})));
      throw error;
    }
    log.info({ partitions: fresh, ms: Date.now() - started }, 'exactly_once.partitions_acquired');
  };

  /** Still ours, and not revoked by any generation after `since`. */
  const keptSince = (partition: number, since: number) => assigned.has(partition) && (revokedIn.get(partition) ?? -1) <= since;

  /** The group's committed offset per input topic of each partition, read after the fence (-1 = none). */
  const committedAfterFence = async (partitions: number[]): Promise<Map<number, Map<string, number>>> => {
    if (!admin) {
      admin = kafka.admin();
      await admin.connect();
    }
    const result = new Map(partitions.map((p) => [p, new Map<string, number>()]));
    for (const entry of await admin.fetchOffsets({ groupId, topics })) {
      for (const { partition, offset } of entry.partitions) result.get(partition)?.set(entry.topic, Number(offset));
    }
    return result;
  };

  const commitChunk = async (o: { producer: Producer; state: S; committed: Map<string, number> }, chunk: InputChunk<S>) => {
    const tx = await o.producer.transaction();
    const produced = new Map<string, number>();
    /** Plain outputs not sent yet, at most one per topic (kafkajs merges a topic's messages, and acks name only topic and partition). */
    let pending: OutgoingRecords[] = [];
    const flush = async () => {
      if (!pending.length) return;
      const outs = pending;
      pending = [];
      const acks = await tx.sendBatch({ acks: -1, topicMessages: outs.map(({ topic, messages }) => ({ topic, messages })) });
      for (const out of outs) {
        out.sent?.(acks.filter((a) => a.topicName === out.topic));
        produced.set(out.topic, (produced.get(out.topic) ?? 0) + out.messages.length);
      }
    };
    const next = String(Number(chunk.messages[chunk.messages.length - 1]!.offset) + 1);
    const sendOffsets = () =>
      whileConcurrentTransactions(() => tx.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: chunk.topic, partitions: [{ partition: chunk.partition, offset: next }] }] }));
    const offsetsSent = options.offsetsWhileProcessing ? sendOffsets() : undefined;
    // Awaited below (or before the abort): kafkajs must not see two transaction requests at once.
    offsetsSent?.catch(() => {});
    try {
      const outputs = await options.process(chunk);
      // Before the records: the coordinator refuses AddPartitionsToTxn while an AddOffsetsToTxn is being written.
      if (offsetsSent) await offsetsSent;
      for (const output of outputs) {
        if (typeof output === 'function') await flush();
        const out = typeof output === 'function' ? await output() : output;
        if (!out.messages.length) continue;
        if (pending.some((p) => p.topic === out.topic)) await flush();
        pending.push(out);
      }
      await flush();
      if (!offsetsSent) await sendOffsets();
      await tx.commit();
      o.committed.set(chunk.topic, Number(next));
    } catch (error) {
      await offsetsSent?.catch(() => {});
      await tx.abort().catch(() => {});
      o.state.rollback();
      throw error;
    }
    o.state.commit();
    return produced;
  };

  /** One partition's batches one after another, whatever kafkajs' concurrency (see `partitionsConcurrently`). */
  const handleBatch = (payload: EachBatchPayload) => perPartition.run(payload.batch.partition, () => handlePartitionBatch(payload));

  const handlePartitionBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
    const { topic, partition } = batch;
    // Fetched before a rebalance took the partition away: leave it to its new owner rather than fence it.
    if (!assigned.has(partition) || !isRunning() || isStale()) return;
    if (!owned.has(partition)) await acquire([...assigned]);
    const o = owned.get(partition);
    if (!o) return;
    // Records already committed: by the previous owner's last transaction (offset read after the fence), or by
    // ours when kafkajs rejoined the group while this partition's transaction was in flight and fetched again
    // from the offset it had read before that commit.
    const from = o.committed.get(topic) ?? -1;
    const pending = notYetCommitted(batch.messages, from);
    if (pending.length < batch.messages.length) {
      log.warn({ topic, partition, committed: from, skipped: batch.messages.length - pending.length }, 'exactly_once.skipped_committed');
      if (!pending.length) {
        resolveOffset(batch.messages[batch.messages.length - 1]!.offset);
        await heartbeat();
        return;
      }
    }
    for (let i = 0; i < pending.length && isRunning() && !isStale(); i += maxBatch) {
      const messages = pending.slice(i, i + maxBatch);
      const started = process.hrtime.bigint();
      let produced: Map<string, number>;
      try {
        produced = await commitChunk(o, { topic, partition, messages, state: o.state, heartbeat });
      } catch (error) {
        if (isFenced(error)) {
          log.warn({ topic, partition, err: error }, 'exactly_once.fenced');
          await release(partition, o);
        } else {
          log.error({ topic, partition, err: error }, 'exactly_once.batch_failed');
        }
        throw error;
      }
      resolveOffset(messages[messages.length - 1]!.offset);
      metrics?.messagesConsumed.inc({ topic }, messages.length);
      for (const [out, n] of produced) metrics?.messagesProduced.inc({ topic: out }, n);
      metrics?.batchDuration.observe({ topic }, Number(process.hrtime.bigint() - started) / 1e9);
      await heartbeat();
    }
  };

  return {
    owned: () => [...owned].map(([partition, o]) => ({ partition, state: o.state })),
    ready: () => joined && [...assigned].every((p) => owned.has(p)),
    async start() {
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const mine = new Set(topics.flatMap((t) => payload.memberAssignment[t] ?? []));
        generation += 1;
        for (const p of assigned) if (!mine.has(p)) revokedIn.set(p, generation);
        for (const p of owned.keys()) if (!mine.has(p)) void release(p);
        assigned = mine;
        joined = true;
        log.info({ partitions: [...mine] }, 'exactly_once.assigned');
        // Restore at once rather than at the first record, so an idle partition is ready too (/readyz).
        acquire([...mine]).catch((error) => log.warn({ partitions: [...mine], err: error }, 'exactly_once.restore_failed'));
      });
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: options.partitionsConcurrently ?? 1, eachBatch: handleBatch });
    },
    stop: once(async () => {
      joined = false;
      await consumer.disconnect();
      await acquiring;
      // kafkajs may return from disconnect while a rejoin left handlers running: let their transactions end first.
      await perPartition.idle();
      await Promise.all([...owned.keys()].map((p) => release(p)));
      await admin?.disconnect().catch(() => {});
      log.info('exactly_once.stopped');
    }),
  };
}
