import { randomUUID } from 'node:crypto';
import type { Consumer, Kafka } from 'kafkajs';
import { MlstreamError, consumerPreset, readHeaders, type CommandAccepted, type CommandRejected, type DecodedEvent, type Logger, type ResolvedCatalog, type Serde } from '@mlstream/kit';

/** Waits for `promise` at most `ms`, ignoring its failure (cleanup that must not hold up shutdown). */
export async function bounded(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise.catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export type CommandOutcome =
  | { type: 'CommandAccepted'; value: CommandAccepted; events: DecodedEvent[] }
  | { type: 'CommandRejected'; value: CommandRejected };

export interface CommandWaiterOptions {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
  /** Unique per gateway process; names the throwaway consumer group. */
  instanceId: string;
}

export interface CommandWaiter {
  /** Positions the consumer at the end of every results partition; resolves when commands may be sent. */
  start(): Promise<void>;
  ready(): boolean;
  /**
   * Registers interest in a command id BEFORE the command is sent, so its
   * result cannot slip by. Rejects with COMMAND_TIMEOUT after `timeoutMs`.
   */
  expect(commandId: string, timeoutMs: number): { outcome: Promise<CommandOutcome>; cancel(): void };
  stop(): Promise<void>;
}

type Pending = {
  resolve: (o: CommandOutcome) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  result?: { type: 'CommandAccepted'; value: CommandAccepted };
  /** Events of the registry topic caused by this command (registration answers carry the version number). */
  events: Map<string, DecodedEvent>;
};

/**
 * Waits for command results by command id. One consumer (its own group, so
 * every gateway instance sees every result) reads the results topic and the
 * registry event topic from the positions captured at start: any result
 * written after `start()` resolved is seen. Only results whose key is a
 * pending command id are decoded.
 */
export function createCommandWaiter(options: CommandWaiterOptions): CommandWaiter {
  const { kafka, serde, catalog, logger } = options;
  const resultsTopic = catalog.topic('command-results');
  const registryTopic = catalog.topic('registry');
  const groupId = `${catalog.prefix}mlstream-gateway-results-${options.instanceId}-${randomUUID().slice(0, 8)}`;
  const pending = new Map<string, Pending>();
  let consumer: Consumer | undefined;
  let isReady = false;

  const settle = (commandId: string, p: Pending) => {
    if (!p.result) return;
    const refs = p.result.value.events.filter((r) => r.topic === registryTopic);
    if (refs.some((r) => !p.events.has(r.eventId))) return; // its events are in the same transaction: they will come
    clearTimeout(p.timer);
    pending.delete(commandId);
    p.resolve({ ...p.result, events: refs.map((r) => p.events.get(r.eventId)!) });
  };

  const onMessage = async (topic: string, partition: number, message: Parameters<Serde['decode']>[0]['message']) => {
    if (topic === resultsTopic) {
      const commandId = message.key?.toString('utf8');
      const p = commandId === undefined ? undefined : pending.get(commandId);
      if (!p || commandId === undefined) return;
      const event = serde.decodeKnown({ topic, partition, message }) ?? (await serde.decode({ topic, partition, message }));
      if (event.type === 'CommandRejected') {
        clearTimeout(p.timer);
        pending.delete(commandId);
        p.resolve({ type: 'CommandRejected', value: event.value });
      } else if (event.type === 'CommandAccepted') {
        p.result = { type: 'CommandAccepted', value: event.value };
        settle(commandId, p);
      }
      return;
    }
    const causation = readHeaders(message.headers).causation_id;
    const p = causation === undefined ? undefined : pending.get(causation);
    if (!p || causation === undefined) return;
    const event = serde.decodeKnown({ topic, partition, message }) ?? (await serde.decode({ topic, partition, message }));
    p.events.set((event.value as { eventId: string }).eventId, event);
    settle(causation, p);
  };

  return {
    ready: () => isReady,
    async start() {
      const admin = kafka.admin();
      await admin.connect();
      try {
        const topics = [resultsTopic, registryTopic];
        const ends = await Promise.all(topics.map(async (topic) => ({ topic, offsets: await admin.fetchTopicOffsets(topic) })));
        // A short session: after a network failure the group waits at most this long for the lost member before the restarted consumer rejoins.
        const c = kafka.consumer(consumerPreset({ groupId, maxWaitTimeMs: 50, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000 }));
        consumer = c;
        // Next offset to read per topic-partition: the snapshot, then advanced by every record read.
        // A rejoin after a broker outage seeks back here, so a restarted consumer misses no result.
        const next = new Map<string, string>();
        for (const { topic, offsets } of ends) for (const o of offsets) next.set(`${topic}\u0000${o.partition}`, o.high);
        let joins = 0;
        const joined = new Promise<void>((resolve) =>
          c.on(c.events.GROUP_JOIN, () => {
            joins += 1;
            if (joins > 1) {
              for (const [tp, offset] of next) {
                const [topic, partition] = tp.split('\u0000');
                c.seek({ topic: topic!, partition: Number(partition), offset });
              }
              isReady = true;
              logger.info({ group: groupId }, 'command_results.repositioned');
            }
            resolve();
          }),
        );
        // Until the consumer is back (and repositioned) commands answer 503 at once rather than 504 later.
        c.on(c.events.CRASH, ({ payload }) => {
          isReady = false;
          if (payload.restart) logger.warn({ err: payload.error, group: groupId }, 'command_results.consumer_restarting');
          else logger.error({ err: payload.error, group: groupId }, 'command_results.consumer_stopped');
        });
        await c.connect();
        await c.subscribe({ topics, fromBeginning: false });
        await c.run({
          autoCommit: false,
          eachMessage: async ({ topic, partition, message }) => {
            next.set(`${topic}\u0000${partition}`, String(BigInt(message.offset) + 1n));
            try {
              await onMessage(topic, partition, message);
            } catch (error) {
              logger.error({ err: error, topic, partition, offset: message.offset }, 'command_result.undecodable');
            }
          },
        });
        // Seeks are applied on the first fetch after the join: from here on no result is missed.
        for (const { topic, offsets } of ends) for (const o of offsets) c.seek({ topic, partition: o.partition, offset: o.high });
        await joined;
        isReady = true;
        logger.info({ group: groupId, topics }, 'command_results.positioned');
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
    expect(commandId, timeoutMs) {
      let cancel = () => {};
      const outcome = new Promise<CommandOutcome>((resolve, reject) => {
        if (!isReady) {
          reject(new MlstreamError('KAFKA_UNAVAILABLE', 'the gateway is not yet reading command results; retry shortly'));
          return;
        }
        if (pending.has(commandId)) {
          reject(new MlstreamError('INVALID_REQUEST', 'this command is already in flight; wait for its answer'));
          return;
        }
        const timer = setTimeout(() => {
          pending.delete(commandId);
          reject(
            new MlstreamError('COMMAND_TIMEOUT', `the command was sent but its result did not arrive within ${timeoutMs} ms; it may still be applied: retry with the same Idempotency-Key to get its outcome`, {
              details: { commandId },
            }),
          );
        }, timeoutMs);
        pending.set(commandId, { resolve, reject, timer, events: new Map() });
        cancel = () => {
          clearTimeout(timer);
          pending.delete(commandId);
        };
      });
      return { outcome, cancel: () => cancel() };
    },
    async stop() {
      isReady = false;
      for (const [id, p] of pending) {
        clearTimeout(p.timer);
        p.reject(new MlstreamError('SHUTTING_DOWN', 'the gateway stopped before the command result arrived; retry with the same Idempotency-Key'));
        pending.delete(id);
      }
      const c = consumer;
      consumer = undefined;
      if (c) await bounded(c.disconnect(), 5_000);
      // Best effort: the group has no committed offsets, so Kafka forgets it anyway once empty.
      const admin = kafka.admin();
      await bounded(
        admin.connect().then(() => admin.deleteGroups([groupId])),
        2_000,
      );
      await admin.disconnect().catch(() => {});
    },
  };
}
