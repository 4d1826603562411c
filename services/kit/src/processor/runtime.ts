import kafkajs, { type Consumer, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from '../logging/index.ts';
import type { ServiceMetrics } from '../metrics/index.ts';
import { once } from '../lifecycle/index.ts';
import { readToEnd } from '../kafka/index.ts';
import type { RecordName, ResolvedCatalog, Serde, StreamId } from '../contracts/index.ts';
import type { Decider, Envelope } from './decider.ts';
import { PartitionState, type Outcome } from './state.ts';
import { decideBatch, type DeadLetterDraft } from './batch.ts';

const { Partitioners } = kafkajs;

export interface ProcessorOptions<C extends RecordName, E extends RecordName, S, Ctx> {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
  decider: Decider<C, E, S, Ctx>;
  commandStream: StreamId;
  eventStream: StreamId;
  /** Consumer group, also the prefix of the per-partition transactional ids. */
  groupId: string;
  /** Read-only facts for `decide` (e.g. run metrics for gates); default undefined. */
  context?: () => Ctx;
  metrics?: ServiceMetrics;
  /** Commands per Kafka transaction; default 500. */
  maxBatch?: number;
  /** Consumer session / rebalance timeouts; defaults 30 000 / 60 000 ms. Lower values detect a killed instance sooner. */
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
}

export interface Processor {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Owned partitions and their in-memory sizes, for /readyz and tests. */
  status(): Array<{ partition: number; aggregates: number; outcomes: number }>;
}

interface Owned<S> {
  producer: Producer;
  state: PartitionState<S>;
}

const isFenced = (error: unknown): boolean =>
  /fenced|INVALID_PRODUCER_EPOCH|PRODUCER_FENCED|epoch/i.test(`${(error as Error)?.name} ${(error as Error)?.message} ${(error as { type?: string })?.type}`);

/**
 * Runs a decider over a command topic with exactly-once effects: for each
 * batch of commands, the events, the command results and the consumed offset
 * are written in ONE Kafka transaction by a producer whose transactional id
 * is bound to the command partition (so a new owner fences a zombie one).
 * Before a partition's first command, its aggregates are rebuilt from the
 * matching event partition and its earlier outcomes from the results topic.
 */
export function createProcessor<C extends RecordName, E extends RecordName, S, Ctx = undefined>(options: ProcessorOptions<C, E, S, Ctx>): Processor {
  const { kafka, serde, catalog, decider, groupId } = options;
  const commandTopic = catalog.topic(options.commandStream);
  const eventTopic = catalog.topic(options.eventStream);
  const resultTopic = catalog.topic('command-results');
  const partitions = catalog.byTopic(commandTopic)!.partitions;
  const log = options.logger.child({ group: groupId, topic: commandTopic });
  const maxBatch = options.maxBatch ?? 500;
  const owned = new Map<number, Owned<S>>();
  let assigned = new Set<number>();
  const consumer: Consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 100, sessionTimeout: options.sessionTimeoutMs ?? 30_000, rebalanceTimeout: options.rebalanceTimeoutMs ?? 60_000, heartbeatInterval: Math.min(3_000, Math.floor((options.sessionTimeoutMs ?? 30_000) / 3)) });
  const partitionOf = Partitioners.DefaultPartitioner();
  const metadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], offlineReplicas: [], partitionErrorCode: 0 }));
  const ownerOf = (key: string) => partitionOf({ topic: commandTopic, partitionMetadata: metadata, message: { key, value: null } });

  const release = async (partition: number) => {
    const o = owned.get(partition);
    owned.delete(partition);
    await o?.producer.disconnect().catch(() => {});
  };

  /** Fences the previous owner, then rebuilds state for every newly assigned partition in one pass. */
  const acquire = async (wanted: number[]) => {
    const fresh: number[] = wanted.filter((p) => !owned.has(p));
    if (!fresh.length) return;
    const started = Date.now();
    const states = new Map(fresh.map((p) => [p, new PartitionState<S>(decider.initialState)]));
    for (const partition of fresh) {
      const producer = kafka.producer({
        transactionalId: `${groupId}-${commandTopic}-${partition}`,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: 30_000,
        // kafkajs: limited retries on an idempotent producer can break sequence numbers; the transaction timeout bounds an outage instead.
        retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
      });
      await producer.connect();
      // InitProducerId bumps the epoch: the previous owner can no longer commit, and its open transaction is aborted.
      const probe = await producer.transaction();
      await probe.abort();
      owned.set(partition, { producer, state: states.get(partition)! });
    }
    let rebuilt = 0;
    const decoded: Array<Promise<void>> = [];
    await readToEnd({
      kafka,
      topic: eventTopic,
      partitions: fresh,
      onMessage: (partition, message) => {
        decoded.push(
          serde.decode({ topic: eventTopic, partition, message }).then((event) => {
            const state = states.get(partition)!;
            const id = message.key!.toString();
            const current = state.aggregate(id);
            state.restore(id, { version: current.version + 1, state: decider.evolve(current.state, event as unknown as Envelope<E>) });
            rebuilt += 1;
          }),
        );
      },
    });
    await Promise.all(decoded);
    const outcomes: Array<Promise<void>> = [];
    await readToEnd({
      kafka,
      topic: resultTopic,
      onMessage: (partition, message) => {
        outcomes.push(
          serde.decode({ topic: resultTopic, partition, message }).then((result) => {
            if (result.type !== 'CommandAccepted' && result.type !== 'CommandRejected') return;
            if (result.value.aggregate !== decider.aggregate) return;
            const state = states.get(ownerOf(result.value.aggregateId));
            state?.restoreOutcome(result.value.commandId, result as Outcome);
          }),
        );
      },
    });
    await Promise.all(outcomes);
    log.info({ partitions: fresh, events: rebuilt, ms: Date.now() - started }, 'processor.partitions_acquired');
  };

  const handleBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
    const partition = batch.partition;
    if (!owned.has(partition)) await acquire([...assigned].filter((p) => !owned.has(p)).concat(assigned.has(partition) ? [] : [partition]));
    const { producer, state } = owned.get(partition)!;
    for (let i = 0; i < batch.messages.length && isRunning() && !isStale(); i += maxBatch) {
      const chunk = batch.messages.slice(i, i + maxBatch);
      const started = process.hrtime.bigint();
      const tx = await producer.transaction();
      try {
        const { events, results, deadLetters } = await decideBatch({ serde, decider, state, chunk, partition, commandTopic, eventTopic, groupId, context: options.context });
        if (events.length) {
          const acks = await tx.send({ topic: eventTopic, acks: -1, messages: events.map((e) => ({ ...e.message, partition })) });
          const base = Number(acks.find((a) => a.partition === partition)?.baseOffset ?? NaN);
          events.forEach((e, index) => e.assignOffset(base + index));
        }
        const encodedResults = await Promise.all(results.map((r) => r.encode()));
        await tx.send({ topic: resultTopic, acks: -1, messages: encodedResults.map((r) => r.message) });
        if (deadLetters.length) {
          const letters = await Promise.all(deadLetters.map((d: DeadLetterDraft) => d.encode()));
          await tx.send({ topic: catalog.topic('deadletter'), acks: -1, messages: letters.map((l) => l.message) });
        }
        const next = String(Number(chunk[chunk.length - 1]!.offset) + 1);
        await tx.sendOffsets({ consumerGroupId: groupId, topics: [{ topic: commandTopic, partitions: [{ partition, offset: next }] }] });
        await tx.commit();
        state.commit();
        resolveOffset(chunk[chunk.length - 1]!.offset);
        options.metrics?.messagesConsumed.inc({ topic: commandTopic }, chunk.length);
        options.metrics?.messagesProduced.inc({ topic: eventTopic }, events.length);
        options.metrics?.batchDuration.observe({ topic: commandTopic }, Number(process.hrtime.bigint() - started) / 1e9);
        if (deadLetters.length) options.metrics?.deadLetters.inc({ topic: commandTopic, code: 'POISON' }, deadLetters.length);
      } catch (error) {
        state.abort();
        await tx.abort().catch(() => {});
        if (isFenced(error)) {
          log.warn({ partition, err: error }, 'processor.fenced');
          await release(partition);
        } else {
          log.error({ partition, err: error }, 'processor.batch_failed');
        }
        throw error;
      }
      await heartbeat();
    }
  };

  return {
    status: () => [...owned].map(([partition, o]) => ({ partition, ...o.state.size })),
    async start() {
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const mine = new Set(payload.memberAssignment[commandTopic] ?? []);
        for (const p of owned.keys()) if (!mine.has(p)) void release(p);
        assigned = mine;
        log.info({ partitions: [...mine] }, 'processor.assigned');
      });
      await consumer.connect();
      await consumer.subscribe({ topic: commandTopic, fromBeginning: true });
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: handleBatch });
    },
    stop: once(async () => {
      await consumer.disconnect();
      await Promise.all([...owned.keys()].map(release));
      log.info('processor.stopped');
    }),
  };
}
