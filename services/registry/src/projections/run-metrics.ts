import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { consumerPreset, type Logger, type ResolvedCatalog, type Serde } from '@mlstream/kit';
import { createDataValidationFacts } from '../domain/validated-data.ts';

type Latest = { value: number; step: number; timestamp: number };

/**
 * The final metrics of every run, folded from `mlops.runs.v1`, for promotion
 * gates. Final = the observation with the highest step (then timestamp).
 * Also the runs' dataset inputs and the platform's dataset validations
 * (`mlops.validation.v1`), for the validatedData gate.
 * A throwaway consumer group reads the topics from the beginning and follows them.
 */
export async function followRunMetrics(deps: { kafka: Kafka; serde: Serde; catalog: ResolvedCatalog; logger: Logger }) {
  const runs = new Map<string, Map<string, Latest>>();
  const topic = deps.catalog.topic('runs');
  const validationTopic = deps.catalog.topic('validation');
  const data = createDataValidationFacts();
  const groupId = `${deps.catalog.prefix}mlstream-registry-run-metrics-${randomUUID()}`;
  const consumer = deps.kafka.consumer(consumerPreset({ groupId, maxWaitTimeMs: 50 }));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic, validationTopic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic: from, partition, message }) => {
      const event = await deps.serde.decode({ topic: from, partition, message });
      if (event.type === 'InputsLogged') data.addInputs(event.value);
      if (event.type === 'DatasetValidated') data.addValidation(event.value);
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
  deps.logger.info({ topics: [topic, validationTopic] }, 'run_metrics.following');
  return {
    get: () => ({
      runMetrics: (runId: string) => {
        const metrics = runs.get(runId);
        return metrics ? Object.fromEntries([...metrics].map(([k, v]) => [k, v.value])) : undefined;
      },
      runInputs: data.runInputs,
      datasetValidation: data.datasetValidation,
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
