import { randomUUID } from 'node:crypto';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { createTopicFollower, once, type Logger, type ResolvedCatalog, type Serde, type ServiceMetrics, type WebhookRedeliveryRequested } from '@mlstream/kit';
import { emptyTable, evolve, webhookSources, type SubscriptionEvent } from '../domain/index.ts';
import type { WebhooksConfig } from '../config.ts';
import { rewindPositions, seedPositions } from './positions.ts';
import { createSubscriptionDeliverer, type ResolvedSource, type SubscriptionDeliverer } from './subscription-deliverer.ts';

export interface WebhookDelivererOptions {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
  metrics?: ServiceMetrics;
  settings: WebhooksConfig;
  instanceId: string;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
}

/** The consumer group of one subscription. */
export const subscriptionGroupOf = (prefix: string, subscriptionId: string): string => `${prefix}mlstream-webhooks-${subscriptionId}`;

/** The source streams of the deployment's catalog (a source whose stream is not in it is skipped). */
export function resolveSources(catalog: ResolvedCatalog): ResolvedSource[] {
  return webhookSources.flatMap((s) => {
    const spec = catalog.topics.find((t) => t.stream === s.stream);
    return spec ? [{ ...s, topic: spec.topic, name: spec.name }] : [];
  });
}

const subscriptionRecords = new Set(['WebhookSubscribed', 'WebhookUnsubscribed', 'WebhookRedeliveryRequested', 'WebhookRedeliveryStarted']);

/**
 * The webhook deliverer: follows the subscriptions (mlops.webhooks.v1) and
 * runs one subscription deliverer per live subscription. Changes are applied
 * one at a time, in log order: a new subscription's group is seeded at its
 * subscription time and started; an unsubscribed one stopped (its group
 * deleted); a redelivery request stops the subscription, rewinds its group,
 * records WebhookRedeliveryStarted and starts it again.
 */
export function createWebhookDeliverer(options: WebhookDelivererOptions) {
  const { kafka, serde, catalog, settings } = options;
  const log = options.logger.child({ component: 'webhooks' });
  const sources = resolveSources(catalog);
  const table = emptyTable();
  const running = new Map<string, SubscriptionDeliverer>();
  /** Redeliveries in progress per subscription: source records before `until` are sent again for `requestId`. */
  const redeliveries = new Map<string, { requestId: string; until: Map<string, Map<number, number>> }>();
  const handled = new Set<string>();
  let admin: Admin | undefined;
  let producer: Producer | undefined;
  let caughtUp = false;
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();
  let failure: Error | undefined;
  let crash: (error: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => (crash = reject));
  crashed.catch(() => {});

  const follower = createTopicFollower({
    kafka,
    topics: [catalog.topic('webhooks')],
    groupId: `${catalog.prefix}mlstream-webhooks-follower-${options.instanceId}-${randomUUID()}`,
    onBatch: async (batch) => {
      for (const message of batch.messages) {
        const event = await serde.decode({ topic: batch.topic, partition: batch.partition, message }).catch((err: unknown) => {
          log.warn({ err, partition: batch.partition, offset: message.offset }, 'webhooks.subscription_event_unreadable');
          return undefined;
        });
        if (event && subscriptionRecords.has(event.type)) evolve(table, event as SubscriptionEvent);
      }
      if (caughtUp) reconcileSoon();
    },
  });

  const startDeliverer = (id: string) => {
    const sub = table.active.get(id)!;
    const deliverer = createSubscriptionDeliverer({
      kafka,
      serde,
      catalog,
      logger: log,
      metrics: options.metrics,
      subscription: sub,
      sources,
      groupId: subscriptionGroupOf(catalog.prefix, id),
      policy: settings.policy,
      timeoutMs: settings.timeoutMs,
      maxBatch: settings.maxBatch,
      sessionTimeoutMs: options.sessionTimeoutMs,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs,
      onCrash: (error) => {
        failure = error;
        log.error({ err: error, subscription: id }, 'webhooks.subscription_crashed');
        crash(error);
      },
      redeliveryOf: (topic, partition, offset) => {
        const r = redeliveries.get(id);
        const until = r?.until.get(topic)?.get(partition);
        return r && until !== undefined && offset < until ? r.requestId : undefined;
      },
    });
    running.set(id, deliverer);
    deliverer.start().catch((err: unknown) => {
      failure = err as Error;
      log.error({ err, subscription: id }, 'webhooks.subscription_failed');
      crash(err as Error);
    });
  };

  /** Positions are committed while no member of this instance runs the subscription; retried while Kafka is unavailable. */
  const retrying = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await f();
      } catch (err) {
        if (attempt >= 30 || stopped) throw err;
        log.warn({ err, attempt }, `webhooks.${what}_retry`);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  };

  const redeliver = async (request: WebhookRedeliveryRequested) => {
    const id = request.subscriptionId;
    await running.get(id)?.stop();
    running.delete(id);
    const groupId = subscriptionGroupOf(catalog.prefix, id);
    const { positions, previous } = await retrying('rewind', () => rewindPositions(kafka, admin!, groupId, sources, request));
    redeliveries.set(id, { requestId: request.eventId, until: previous });
    const started = await serde.encode('WebhookRedeliveryStarted', { eventId: randomUUID(), occurredAt: Date.now(), subscriptionId: id, requestId: request.eventId, positions }, { causationId: request.eventId });
    await producer!.send({ topic: started.topic, acks: -1, messages: [started.message] });
    log.info({ subscription: id, requestId: request.eventId, positions }, 'webhooks.redelivery_started');
    startDeliverer(id);
  };

  const reconcile = async () => {
    for (const [id, deliverer] of running) {
      if (table.active.has(id)) continue;
      await deliverer.stop();
      running.delete(id);
      await admin!.deleteGroups([subscriptionGroupOf(catalog.prefix, id)]).catch(() => {});
      log.info({ subscription: id }, 'webhooks.subscription_stopped');
    }
    for (const [id, sub] of table.active) {
      if (running.has(id) || stopped) continue;
      await retrying('seed', () => seedPositions(kafka, admin!, subscriptionGroupOf(catalog.prefix, id), sources, sub.createdAt));
      startDeliverer(id);
      log.info({ subscription: id, url: sub.url }, 'webhooks.subscription_started');
    }
    for (const [requestId, request] of table.pendingRedeliveries) {
      if (handled.has(requestId) || stopped) continue;
      handled.add(requestId);
      await redeliver(request);
    }
  };

  const reconcileSoon = () => {
    chain = chain.then(reconcile).catch((err: unknown) => {
      failure = err as Error;
      log.error({ err }, 'webhooks.reconcile_failed');
      crash(err as Error);
    });
  };

  return {
    /** Rejects when a subscription's consumer crashed for good or a subscription change failed: the bootstrap stops the service (and exits 1). */
    crashed,
    sources: () => sources.map((s) => s.name),
    ready: () => caughtUp && !failure && [...running.values()].every((d) => d.ready()),
    status: () => ({ sources: sources.map((s) => s.name), subscriptions: [...running.values()].map((d) => ({ ...d.status(), ready: d.ready() })), failure: failure?.message }),
    async start() {
      admin = kafka.admin();
      await admin.connect();
      producer = kafka.producer({ idempotent: true });
      await producer.connect();
      await follower.start();
      await follower.catchUp(60_000);
      caughtUp = true;
      reconcileSoon();
      await chain;
    },
    stop: once(async () => {
      stopped = true;
      await follower.stop();
      await chain;
      await Promise.all([...running.values()].map((d) => d.stop()));
      await producer?.disconnect().catch(() => {});
      await admin?.disconnect().catch(() => {});
    }),
  };
}
