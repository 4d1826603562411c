import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createTopicFollower, type Logger, type ResolvedCatalog } from '@mlstream/kit';

export interface RunIndexOptions {
  kafka: Kafka;
  catalog: ResolvedCatalog;
  logger: Logger;
  /** Unique per gateway process; names the throwaway consumer group. */
  instanceId: string;
}

export interface RunIndex {
  start(): Promise<void>;
  /**
   * Whether a run was ever started. A run id seen on the runs topic answers
   * at once; an unseen one is answered only after the index has read every
   * committed record up to the topic's end as it is NOW, so a run whose
   * StartRun was answered before this call is never refused.
   */
  exists(runId: string, timeoutMs: number): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * The run ids on `mlops.runs.v1`, followed from the beginning. The topic is
 * keyed by run id and only RunStarted creates a run, so the keys are the
 * runs: nothing is decoded.
 */
export function createRunIndex(options: RunIndexOptions): RunIndex {
  const { kafka, catalog, logger } = options;
  const topic = catalog.topic('runs');
  const runs = new Set<string>();
  const follower = createTopicFollower({
    kafka,
    topics: [topic],
    groupId: `${catalog.prefix}mlstream-gateway-runs-${options.instanceId}-${randomUUID().slice(0, 8)}`,
    onBatch: (batch) => {
      for (const message of batch.messages) if (message.key) runs.add(message.key.toString('utf8'));
    },
  });

  return {
    async start() {
      await follower.start();
      logger.info({ topic }, 'run_index.following');
    },
    async exists(runId, timeoutMs) {
      if (runs.has(runId)) return true;
      await follower.catchUp(timeoutMs);
      return runs.has(runId);
    },
    stop: () => follower.stop(),
  };
}
