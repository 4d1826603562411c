// A model server logging predictions straight to Kafka (no gateway hop):
// `tsx services/sdk/examples/serve.ts` (local stack; MLSTREAM_TOPIC_PREFIX as the services use).
import { randomUUID } from 'node:crypto';
import { createPredictionLogger } from '@mlstream/sdk';

const logger = createPredictionLogger({ lingerMs: 50 });
process.once('SIGINT', () => void logger.close().then(() => process.exit(0)));

for (let i = 0; i < 10_000; i++) {
  const started = performance.now();
  const features = { age: 20 + Math.random() * 50, income: Math.random() * 100_000 };
  const score = 1 / (1 + Math.exp(-(features.age - 45) / 10));
  await logger.log({ requestId: randomUUID(), model: 'churn', version: 1, numericFeatures: features, prediction: score, latencyMs: performance.now() - started });
}
await logger.close(); // flushes: resolves once Kafka acknowledged every prediction
console.log('logged 10 000 predictions');
