import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createTopicFollower, type ResolvedCatalog, type Serde, type TopicFollower } from '@mlstream/kit';
import { emptyTable, evolve, type SubscriptionEvent, type SubscriptionTable } from './domain/index.ts';

export interface SubscriptionsView {
  /** The table once every subscription event committed before the call is applied (read-your-writes). */
  current(timeoutMs: number): Promise<SubscriptionTable>;
  stop(): Promise<void>;
}

/**
 * The subscriptions as the API reads them: mlops.webhooks.v1 followed from
 * its beginning (a small topic) by a group of this reader's own, started at
 * the first read.
 */
export function createSubscriptionsView(options: { kafka: Kafka; serde: Serde; catalog: ResolvedCatalog; instance?: string }): SubscriptionsView {
  const { kafka, serde, catalog } = options;
  const table = emptyTable();
  let follower: TopicFollower | undefined;
  let started: Promise<void> | undefined;
  const start = () => {
    follower = createTopicFollower({
      kafka,
      topics: [catalog.topic('webhooks')],
      groupId: `${catalog.prefix}mlstream-webhooks-view-${options.instance ?? randomUUID()}`,
      onBatch: async (batch) => {
        for (const message of batch.messages) {
          const event = await serde.decode({ topic: batch.topic, partition: batch.partition, message });
          evolve(table, event as SubscriptionEvent);
        }
      },
    });
    return follower.start();
  };
  return {
    async current(timeoutMs) {
      started ??= start().catch((error: unknown) => {
        started = undefined;
        throw error;
      });
      await started;
      await follower!.catchUp(timeoutMs);
      return table;
    },
    async stop() {
      await follower?.stop();
    },
  };
}
