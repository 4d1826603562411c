// Training-set retrieval feeding a run's inputs (docs/features.md):
// `MLSTREAM_API_KEY=mlstream-dev-key tsx services/sdk/examples/training-set.ts`
// (against a gateway on http://127.0.0.1:8080 with the registry processor and the materializer running).
//
// 1. define the entity and the view; 2. write feature values straight to Kafka (validated against the view);
// 3. getHistoricalFeatures for labelled entity rows, saved as a dataset version (hash + profile);
// 4. a training run that logs that dataset version as its input.
import { createClient, createFeatureWriter } from '@mlstream/sdk';

const client = createClient({ baseUrl: process.env.MLSTREAM_GATEWAY_URL ?? 'http://127.0.0.1:8080', apiKey: process.env.MLSTREAM_API_KEY ?? 'mlstream-dev-key' });
const HOUR = 3_600_000;
const t0 = Date.now() - 48 * HOUR;

await client.features.defineEntity('driver', { keyName: 'driver_id', keyType: 'INT64', description: 'a ride-hailing driver' });
await client.features.defineView('driver_stats', {
  entity: 'driver',
  features: [
    { name: 'conv_rate', type: 'NUMERIC' },
    { name: 'trips_today', type: 'NUMERIC' },
    { name: 'city', type: 'CATEGORICAL' },
  ],
  ttlSeconds: 6 * 3600,
});

// A feature pipeline: hourly values per driver, straight to Kafka.
const writer = await createFeatureWriter();
for (let hour = 0; hour < 48; hour++) {
  for (const driver of [1001, 1002, 1003]) {
    await writer.write({
      view: 'driver_stats',
      entityKey: driver,
      occurredAt: t0 + hour * HOUR,
      numericValues: { conv_rate: ((driver % 7) + hour) / 60, trips_today: hour % 24 },
      categoricalValues: { city: driver === 1003 ? 'Nice' : 'Lyon' },
    });
  }
}
await writer.flush();
await writer.close();

// Labelled events (e.g. trips that were or were not completed), each as of its own time: no feature from its future.
const entityRows = Array.from({ length: 200 }, (_, i) => ({ entities: { driver_id: 1001 + (i % 3) }, timestamp: t0 + 6 * HOUR + i * 10 * 60_000 }));
const features = ['driver_stats:conv_rate', 'driver_stats:trips_today', 'driver_stats:city'];
const version = new Date().toISOString().slice(0, 19);
let answer = await client.features.getHistoricalFeatures({ entityRows, features, dataset: { datasetId: 'driver-trips-training', version } });
// The materializer may still be writing the last values: wait until every row has them (a real job would check its source's lag).
for (let tries = 0; answer.rows.some((r) => r.values['driver_stats:conv_rate'] === null) && tries < 30; tries++) {
  await new Promise((r) => setTimeout(r, 1000));
  answer = await client.features.getHistoricalFeatures({ entityRows, features, dataset: { datasetId: 'driver-trips-training', version: `${version}.${tries}` } });
}
const dataset = answer.dataset!;
console.log(`training set ${dataset.datasetId}@${dataset.version}: ${dataset.rowCount} rows, sha256 ${dataset.contentSha256.slice(0, 12)}…, at ${dataset.uri}`);

const run = await client.runs.start({ experiment: 'driver-trips', name: 'gbm-on-features' });
await run.logInputs([{ datasetId: dataset.datasetId, version: dataset.version, context: 'training' }]);
await run.logParams({ features: features.join(','), rows: dataset.rowCount });
await run.finish('FINISHED');
console.log(`run ${run.runId} logged ${dataset.datasetId}@${dataset.version} as its training input`);
