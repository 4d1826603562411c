import type { Kafka } from 'kafkajs';
import { createTopicFollower, type ResolvedCatalog, type Serde } from '@mlstream/kit';

/** What serving and skew checks need of a view's definition. */
export interface ViewDefinition {
  name: string;
  version: number;
  features: string[];
  /** Undefined: values never expire (ttlSeconds 0). */
  ttlMs: number | undefined;
}

/** The latest definition of every feature view, followed from mlops.feature-definitions.v1. */
export function createDefinitionsFollower(options: { kafka: Kafka; serde: Serde; catalog: ResolvedCatalog; groupId: string }) {
  const views = new Map<string, ViewDefinition>();
  const follower = createTopicFollower({
    kafka: options.kafka,
    topics: [options.catalog.topic('feature-definitions')],
    groupId: options.groupId,
    onBatch: async (batch) => {
      for (const message of batch.messages) {
        const decoded = await options.serde.decode({ topic: batch.topic, partition: batch.partition, message });
        if (decoded.type !== 'FeatureViewDefined') continue;
        const v = decoded.value;
        const held = views.get(v.name);
        if (held && held.version > v.version) continue;
        views.set(v.name, { name: v.name, version: v.version, features: v.features.map((f) => f.name), ttlMs: v.ttlSeconds ? v.ttlSeconds * 1000 : undefined });
      }
    },
  });
  return {
    get: (view: string): ViewDefinition | undefined => views.get(view),
    catchUp: (timeoutMs = 30_000) => follower.catchUp(timeoutMs),
    async start() {
      await follower.start();
      await follower.catchUp(120_000);
    },
    stop: () => follower.stop(),
  };
}

export type DefinitionsFollower = ReturnType<typeof createDefinitionsFollower>;
