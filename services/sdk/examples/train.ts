// A training job: `MLSTREAM_API_KEY=mlstream-dev-key tsx services/sdk/examples/train.ts`
// (against a gateway on http://127.0.0.1:8080 with the tracking and registry processors running).
import { createClient } from '@mlstream/sdk';

const client = createClient({ baseUrl: process.env.MLSTREAM_GATEWAY_URL ?? 'http://127.0.0.1:8080', apiKey: process.env.MLSTREAM_API_KEY ?? 'mlstream-dev-key' });

const run = await client.runs.start({ experiment: 'churn', name: 'gbm-baseline', tags: { team: 'growth' }, codeVersion: 'git:abc123' });
await run.logParams({ learningRate: 0.05, maxDepth: 6 });
await run.logInputs([{ datasetId: 'customers', version: '2025-11-27', context: 'training' }]);
for (let epoch = 0; epoch < 20; epoch++) await run.logMetric('loss', 1 / (epoch + 1), { step: epoch });
await run.logMetrics({ auc: 0.91, accuracy: 0.87 });
await run.logArtifact({ name: 'model', uri: 's3://models/churn/gbm-baseline.pkl' });
await run.finish('FINISHED');

const { version } = await client.models.register('churn', { runId: run.runId, artifactUri: 's3://models/churn/gbm-baseline.pkl', reason: 'baseline' });
await client.models.transition('churn', version, 'STAGING', { reason: 'offline metrics look good' });
await client.models.transition('churn', version, 'PRODUCTION', { gate: { metric: 'auc', comparator: 'GTE', threshold: 0.9 }, reason: 'gate: auc >= 0.9' });
await client.models.setAlias('churn', 'champion', version, { reason: 'promoted' });
console.log(`run ${run.runId} → churn v${version} (champion)`);
