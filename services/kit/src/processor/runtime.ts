import kafkajs, { type Kafka, type Message } from 'kafkajs';
import type { Logger } from '../logging/index.ts';
import type { ServiceMetrics } from '../metrics/index.ts';
import { readToEnd } from '../kafka/index.ts';
import { createExactlyOnceLoop, type OutgoingRecords, type TransactionOutput } from '../exactly-once/index.ts';
import { MlstreamError } from '../errors/index.ts';
import type { RecordName, ResolvedCatalog, Serde, StreamId } from '../contracts/index.ts';
import type { Decider, Envelope } from './decider.ts';
import { PartitionState, type Outcome } from './state.ts';
import { decideBatch } from './batch.ts';

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
  /** Every assigned partition restored (/readyz). */
  ready(): boolean;
}

/**
 * The command processors' transactional ids have been `<group>-<command topic>-<partition>`
 * since before the shared exactly-once loop; keeping them lets an old and a new instance
 * fence each other during a rolling upgrade.
 */
export const processorTransactionalIdPrefix = (groupId: string, commandTopic: string): string => `${groupId}-${commandTopic}`;

/**
 * Runs a decider over a command topic on kit's exactly-once loop: for each
 * chunk of commands, the events, the command results and the consumed offset
 * commit in ONE Kafka transaction. Before a partition's first command, its
 * aggregates are rebuilt from the matching event partition and its earlier
 * outcomes from the results topic.
 */
export function createProcessor<C extends RecordName, E extends RecordName, S, Ctx = undefined>(options: ProcessorOptions<C, E, S, Ctx>): Processor {
  const { kafka, serde, catalog, decider, groupId } = options;
  const commandTopic = catalog.topic(options.commandStream);
  const eventTopic = catalog.topic(options.eventStream);
  const resultTopic = catalog.topic('command-results');
  const deadLetterTopic = catalog.topic('deadletter');
  const partitions = catalog.byTopic(commandTopic)!.partitions;
  const log = options.logger.child({ group: groupId, topic: commandTopic });
  const partitionOf = Partitioners.DefaultPartitioner();
  const metadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], offlineReplicas: [], partitionErrorCode: 0 }));
  const ownerOf = (key: string) => partitionOf({ topic: commandTopic, partitionMetadata: metadata, message: { key, value: null } });

  /** Aggregates from the event partitions, then earlier outcomes from the results topic (routed to the partition owning their aggregate). */
  const restore = async (fresh: number[]) => {
    const started = Date.now();
    const states = new Map(fresh.map((p) => [p, new PartitionState<S>(decider.initialState)]));
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
            states.get(ownerOf(result.value.aggregateId))?.restoreOutcome(result.value.commandId, result as Outcome);
          }),
        );
      },
    });
    await Promise.all(outcomes);
    log.info({ partitions: fresh, events: rebuilt, ms: Date.now() - started }, 'processor.state_restored');
    return states;
  };

  const loop = createExactlyOnceLoop<PartitionState<S>>({
    kafka,
    logger: log,
    groupId,
    transactionalIdPrefix: processorTransactionalIdPrefix(groupId, commandTopic),
    topics: [commandTopic],
    consumer: { sessionTimeoutMs: options.sessionTimeoutMs, rebalanceTimeoutMs: options.rebalanceTimeoutMs },
    maxBatch: options.maxBatch,
    // One partition at a time: with every partition at once, two instances under SIGKILL still answered
    // some commands twice (docs/processors.md "Partitions in parallel"; test/fault/two-instances-commands).
    partitionsConcurrently: 1,
    // Deciding a chunk is bounded CPU work: its offset commit can travel meanwhile.
    offsetsWhileProcessing: true,
    metrics: options.metrics,
    restore,
    async process({ partition, messages, state }): Promise<TransactionOutput[]> {
      const { events, results, deadLetters } = await decideBatch({ serde, decider, state, chunk: messages, partition, commandTopic, eventTopic, groupId, context: options.context, logger: log, metrics: options.metrics });
      // Results name their events' offsets. Known before sending once a committed transaction of ours told where
      // this partition's events land next: then events, results and dead letters go in ONE produce request, and the
      // events' acks must confirm the guess before the commit (a miss aborts; the rollback forgets the guess and the
      // redelivered chunk learns the offset again the slow way: events first, then results).
      const guess = events.length ? state.nextEventOffset : undefined;
      const eventsOut: OutgoingRecords = {
        topic: eventTopic,
        messages: events.map((e) => ({ ...e.message, partition })),
        sent: (acks) => {
          const base = Number(acks.find((a) => a.partition === partition)?.baseOffset ?? NaN);
          if (guess !== undefined && base !== guess) {
            throw new MlstreamError('INTERNAL_ERROR', `events of partition ${partition} landed at offset ${base}, not at ${guess} where the results say: aborting the transaction`, { details: { topic: eventTopic, partition: String(partition) } });
          }
          events.forEach((e, index) => e.assignOffset(base + index));
          state.stageEventsWritten(base, events.length);
        },
      };
      const encodeAll = async (later: Array<{ encode(): Promise<{ message: Message }> }>) => (await Promise.all(later.map((r) => r.encode()))).map((r) => r.message);
      const deadLettersOut = async (): Promise<OutgoingRecords> => ({ topic: deadLetterTopic, messages: await encodeAll(deadLetters) });
      if (!events.length || guess !== undefined) {
        events.forEach((e, index) => e.assignOffset(guess! + index));
        const [resultMessages, deadLetterMessages] = await Promise.all([encodeAll(results), encodeAll(deadLetters)]);
        return [eventsOut, { topic: resultTopic, messages: resultMessages }, { topic: deadLetterTopic, messages: deadLetterMessages }];
      }
      return [eventsOut, async () => ({ topic: resultTopic, messages: await encodeAll(results) }), deadLettersOut];
    },
  });

  return {
    status: () => loop.owned().map(({ partition, state }) => ({ partition, ...state.size })),
    ready: () => loop.ready(),
    start: loop.start,
    stop: loop.stop,
  };
}
