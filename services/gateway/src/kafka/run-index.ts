import { randomUUID } from 'node:crypto';
import type { Admin, Consumer, Kafka } from 'kafkajs';
import { MlstreamError, consumerPreset, type Logger, type ResolvedCatalog } from '@mlstream/kit';

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

type Waiter = { target: Map<number, number>; resolve: () => void };

/**
 * The run ids on `mlops.runs.v1`, followed from the beginning. The topic is
 * keyed by run id and only RunStarted creates a run, so the keys are the
 * runs: nothing is decoded.
 */
export function createRunIndex(options: RunIndexOptions): RunIndex {
  const { kafka, catalog, logger } = options;
  const topic = catalog.topic('runs');
  const groupId = `${catalog.prefix}mlstream-gateway-runs-${options.instanceId}-${randomUUID().slice(0, 8)}`;
  const runs = new Set<string>();
  /** Next offset to read per partition (marker-only batches included). */
  const position = new Map<number, number>();
  const waiters = new Set<Waiter>();
  let consumer: Consumer | undefined;
  let admin: Admin | undefined;

  const reached = (target: Map<number, number>) => [...target].every(([p, end]) => (position.get(p) ?? 0) >= end);
  const wake = () => {
    for (const w of waiters) {
      if (reached(w.target)) {
        waiters.delete(w);
        w.resolve();
      }
    }
  };

  return {
    async start() {
      admin = kafka.admin();
      await admin.connect();
      consumer = kafka.consumer(consumerPreset({ groupId, maxWaitTimeMs: 50 }));
      // Also fires for batches holding only transaction markers, so a partition ending in a commit marker counts as read.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.topic !== topic) return;
        position.set(payload.partition, Math.max(position.get(payload.partition) ?? 0, Number(payload.lastOffset) + 1));
        wake();
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) if (message.key) runs.add(message.key.toString('utf8'));
        },
      });
      logger.info({ topic }, 'run_index.following');
    },

    async exists(runId, timeoutMs) {
      if (runs.has(runId)) return true;
      if (!admin) throw new MlstreamError('KAFKA_UNAVAILABLE', 'the runs topic is not being read yet');
      const offsets = await admin.fetchTopicOffsets(topic).catch((cause: unknown) => {
        throw new MlstreamError('KAFKA_UNAVAILABLE', 'could not read the end of the runs topic', { cause });
      });
      const target = new Map(offsets.filter((o) => Number(o.high) > Number(o.low)).map((o) => [o.partition, Number(o.high)]));
      if (!reached(target)) {
        let timer: NodeJS.Timeout | undefined;
        const waiter: Waiter = { target, resolve: () => {} };
        try {
          await new Promise<void>((resolve, reject) => {
            waiter.resolve = resolve;
            waiters.add(waiter);
            timer = setTimeout(() => reject(new MlstreamError('KAFKA_UNAVAILABLE', `the runs topic was not read to its end within ${timeoutMs} ms`)), timeoutMs);
          });
        } finally {
          clearTimeout(timer);
          waiters.delete(waiter);
        }
      }
      return runs.has(runId);
    },

    async stop() {
      await consumer?.disconnect().catch(() => {});
      if (admin) {
        await admin.deleteGroups([groupId]).catch(() => {});
        await admin.disconnect().catch(() => {});
      }
    },
  };
}
