import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { consumerPreset, type Logger, type ResolvedCatalog, type Serde } from '@mlstream/kit';

type Latest = { value: number; step: number; timestamp: number };

/**
 * The final metrics of every run, folded from `mlops.runs.v1`, for promotion
 * gates. Final = the observation with the highest step (then timestamp).
 * A throwaway consumer group reads the topic from the beginning and follows it.
 */
export async function followRunMetrics(deps: { kafka: Kafka; serde: Serde; catalog: ResolvedCatalog; logger: Logger }) {
  const runs = new Map<string, Map<string, Latest>>();
  const topic = deps.catalog.topic('runs');
  const groupId = `${deps.catalog.prefix}mlstream-registry-run-metrics-${randomUUID()}`;
  const consumer = deps.kafka.consumer(consumerPreset({ groupId, maxWaitTimeMs: 50 }));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      const event = await deps.serde.decode({ topic, partition, message });
      if (event.type !== 'MetricsLogged') return;
      const metrics = runs.get(event.value.runId) ?? new Map<string, Latest>();
      for (const m of event.value.metrics) {
        const seen = metrics.get(m.key);
        const step = m.step ?? 0;
        if (!seen || step > seen.step || (step === seen.step && m.timestamp >= seen.timestamp)) metrics.set(m.key, { value: m.value, step, timestamp: m.timestamp });
      }
      runs.set(event.value.runId, metrics);
    },
  });
  deps.logger.info({ topic }, 'run_metrics.following');
  return {
    get: () => ({
      runMetrics: (runId: string) => {
        const metrics = runs.get(runId);
        return metrics ? Object.fromEntries([...metrics].map(([k, v]) => [k, v.value])) : undefined;
      },
    }),
    stop: async () => {
      await consumer.disconnect();
      const admin = deps.kafka.admin();
      await admin.connect();
      await admin.deleteGroups([groupId]).catch(() => {});
      await admin.disconnect();
    },
  };
}
