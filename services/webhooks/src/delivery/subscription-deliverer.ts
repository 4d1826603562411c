import type { ConsumerConfig, Kafka } from 'kafkajs';
import { coPartitionedAssigner, createExactlyOnceLoop, decodeOrDeadLetter, once, type EncodedRecord, type Logger, type ResolvedCatalog, type Serde, type ServiceMetrics, type TransactionalState } from '@mlstream/kit';
import { deliveryIdOf, isSourceRecord, matches, nextDelayMs, serializeCloudEvent, toCloudEvent, type RetryPolicy, type Subscription, type WebhookSource } from '../domain/index.ts';
import { postDelivery } from './post.ts';
import { waitWithHeartbeat } from './wait.ts';

export interface ResolvedSource extends WebhookSource {
  /** Prefixed topic name. */
  topic: string;
  /** Topic name without the deployment prefix (what the payload shows). */
  name: string;
}

export interface SubscriptionDelivererOptions {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
  metrics?: ServiceMetrics;
  subscription: Subscription;
  sources: ResolvedSource[];
  groupId: string;
  policy: RetryPolicy;
  timeoutMs: number;
  /** Source records per transaction: a crash redelivers at most this many already delivered events. */
  maxBatch: number;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  /** The redelivery request a source record is sent again for, if any. */
  redeliveryOf?: (topic: string, partition: number, offset: number) => string | undefined;
  random?: () => number;
  now?: () => number;
  /** The subscription's consumer crashed for good (kafkajs does not restart it): the service must stop, and be restarted. */
  onCrash?: (error: Error) => void;
}

/** A client whose consumers report a crash kafkajs will not restart from (an error thrown by `process`). */
function reportingCrashes(kafka: Kafka, onCrash: (error: Error) => void): Kafka {
  return Object.create(kafka, {
    consumer: {
      value: (config: ConsumerConfig) => {
        const consumer = kafka.consumer(config);
        consumer.on(consumer.events.CRASH, ({ payload }) => {
          if (!payload.restart) onCrash(payload.error);
        });
        return consumer;
      },
    },
  }) as Kafka;
}

const stateless: TransactionalState = { commit() {}, rollback() {} };

/**
 * Delivers one subscription, on kit's exactly-once loop with a consumer
 * group of its own: a slow or dead receiver holds back only its own
 * subscription. For each chunk of a source partition, in offset order, every
 * matching event is POSTed until delivered or dead-lettered; its attempt
 * records and the consumed offset then commit in ONE transaction. A crash
 * before that commit loses no event: the chunk is read again and POSTed again
 * with the same CloudEvent id (at-least-once; the id makes it effectively once).
 */
export function createSubscriptionDeliverer(options: SubscriptionDelivererOptions) {
  const { kafka, serde, catalog, subscription: sub, groupId, metrics } = options;
  const policy = sub.maxAttempts ? { ...options.policy, maxAttempts: sub.maxAttempts } : options.policy;
  const log = options.logger.child({ subscription: sub.id, group: groupId });
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const byTopic = new Map(options.sources.map((s) => [s.topic, s]));
  const deliveries = catalog.topic('webhook-deliveries');
  const stopping = new AbortController();

  const loop = createExactlyOnceLoop({
    kafka: options.onCrash ? reportingCrashes(kafka, (error) => stopping.signal.aborted || options.onCrash!(error)) : kafka,
    logger: log,
    groupId,
    topics: options.sources.map((s) => s.topic),
    consumer: { sessionTimeoutMs: options.sessionTimeoutMs, rebalanceTimeoutMs: options.rebalanceTimeoutMs, assigners: [coPartitionedAssigner] },
    maxBatch: options.maxBatch,
    metrics,
    restore: async (partitions) => new Map(partitions.map((p) => [p, stateless])),
    async process({ topic, partition, messages, heartbeat }) {
      const source = byTopic.get(topic)!;
      const out: EncodedRecord[] = [];
      for (const message of messages) {
        const decoded = await decodeOrDeadLetter(serde, { topic, partition, message }, { logger: log });
        if (!decoded.event) continue; // poison: the source's own consumers dead-letter it
        const event = decoded.event;
        const model = event.key ?? String((event.value as { model?: unknown }).model ?? '');
        if (!isSourceRecord(source, event.type) || !matches(sub, event.type, model)) continue;
        const value = event.value as unknown as { eventId: string; occurredAt: number } & Record<string, unknown>;
        const cloudEvent = toCloudEvent({ record: event.type, fullName: event.headers.ce_type, topic: source.name, partition, offset: message.offset, model, value }, sub.id);
        const body = serializeCloudEvent(cloudEvent);
        const redeliveryId = options.redeliveryOf?.(topic, partition, Number(message.offset)) ?? null;
        const coordinates = {
          subscriptionId: sub.id,
          deliveryId: deliveryIdOf(value.eventId, sub.id),
          url: sub.url,
          sourceTopic: source.name,
          sourcePartition: partition,
          sourceOffset: Number(message.offset),
          sourceEventId: value.eventId,
          eventType: event.type,
          model,
        };
        for (let attempt = 1; ; attempt++) {
          const at = now();
          const result = await postDelivery({ url: sub.url, body, secret: sub.secret, deliveryId: coordinates.deliveryId, attempt, timestamp: Math.floor(at / 1000), timeoutMs: options.timeoutMs, signal: stopping.signal });
          const delay = result.outcome === 'failed' ? nextDelayMs(policy, attempt, random()) : undefined;
          log.info({ deliveryId: coordinates.deliveryId, attempt, outcome: result.outcome, httpStatus: result.httpStatus, error: result.error, retryInMs: delay }, 'webhook.attempted');
          out.push(
            await serde.encode('WebhookDeliveryAttempted', {
              eventId: crypto.randomUUID(),
              occurredAt: at,
              ...coordinates,
              attempt,
              outcome: result.outcome,
              httpStatus: result.httpStatus,
              error: result.error,
              durationMs: result.durationMs,
              nextAttemptAt: delay === undefined ? null : Math.round(at + result.durationMs + delay),
              redeliveryId,
            }),
          );
          if (result.outcome === 'delivered') break;
          if (delay === undefined) {
            log.warn({ deliveryId: coordinates.deliveryId, attempts: attempt }, 'webhook.dead_lettered');
            out.push(await serde.encode('WebhookDeliveryDeadLettered', { eventId: crypto.randomUUID(), occurredAt: now(), ...coordinates, attempts: attempt, lastHttpStatus: result.httpStatus, lastError: result.error }));
            break;
          }
          await waitWithHeartbeat(delay, stopping.signal, heartbeat);
        }
        await heartbeat?.();
      }
      return [{ topic: deliveries, messages: out.map((r) => r.message) }];
    },
  });

  return {
    subscription: sub,
    groupId,
    ready: () => loop.ready(),
    status: () => ({ subscription: sub.id, url: sub.url, partitions: loop.owned().map((o) => o.partition) }),
    start: () => loop.start(),
    /** Aborts a retry wait or request in flight (its transaction aborts; the event is delivered again later), then leaves the group. */
    stop: once(async () => {
      stopping.abort();
      await loop.stop();
    }),
  };
}

export type SubscriptionDeliverer = ReturnType<typeof createSubscriptionDeliverer>;
