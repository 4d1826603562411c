// Predictions per second through the drift detector service (decode, windows,
// tests, transactions with snapshots) and its peak RSS, beside raw kafkajs
// consumption + decode of the same topic in the same run.
import { randomUUID } from 'node:crypto';

import { createDriftService, defaultConfig, syntheticPredictions } from '@mlstream/drift-detector';
import { benchContext } from './setup.ts';

const N = 100_000;
const W = defaultConfig.windowSize;

export default {
  needsStack: true,
  async run() {
    const { logger, kafka, catalog, serde, admin } = await benchContext('drift');
    const predictions = syntheticPredictions({ seed: 1, model: 'bench', version: 1, count: N, shape: { numeric: 20, categorical: 5 } });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (let i = 0; i < N; i += 2000) {
      const encoded = await Promise.all(predictions.slice(i, i + 2000).map((p) => serde.encode('PredictionLogged', p)));
      await producer.send({ topic: catalog.topic('predictions'), acks: -1, messages: encoded.map((e) => e.message) });
    }
    await producer.disconnect();

    // Ceiling: raw consume + decode of the same topic.
    let seen = 0;
    let done: () => void = () => {};
    const finished = new Promise<void>((r) => (done = r));
    const raw = kafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 50 });
    await raw.connect();
    await raw.subscribe({ topic: catalog.topic('predictions'), fromBeginning: true });
    const rawStart = process.hrtime.bigint();
    await raw.run({
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) await serde.decode({ topic: batch.topic, partition: batch.partition, message });
        seen += batch.messages.length;
        if (seen >= N) done();
      },
    });
    await finished;
    const rawPerSecond = N / (Number(process.hrtime.bigint() - rawStart) / 1e9);
    await raw.disconnect();

    // The detector, measured until its last window's DriftMeasured is out.
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    let measured = 0;
    let allMeasured: () => void = () => {};
    const measuredAll = new Promise<void>((r) => (allMeasured = r));
    const outputs = kafka.consumer({ groupId: `bench-out-${randomUUID()}`, maxWaitTimeInMs: 50 });
    await outputs.connect();
    await outputs.subscribe({ topic: catalog.topic('drift'), fromBeginning: true });
    await outputs.run({ eachMessage: async () => void (++measured >= N / W && allMeasured()) });
    const service = createDriftService({ kafka, serde, catalog, logger, groupId: `${catalog.prefix}drift`, configOf: () => defaultConfig });
    const start = process.hrtime.bigint();
    await service.start();
    await measuredAll;
    const perSecond = N / (Number(process.hrtime.bigint() - start) / 1e9);
    clearInterval(sampler);
    await Promise.all([service.stop(), outputs.disconnect()]);
    await admin.disconnect();
    return {
      params: { predictions: N, windowSize: W, features: 25, note: 'detector runs in this process; RSS includes the producer and consumers of the bench' },
      figures: [
        { figure: 'detector predictions/s', value: perSecond, unit: 'predictions/s', ceiling: { what: 'raw kafkajs consume+decode', value: rawPerSecond } },
        { figure: 'peak RSS (MiB)', value: peakRss / 2 ** 20, unit: 'MiB', ceiling: { what: 'heap limit (MiB)', value: (await import('node:v8')).getHeapStatistics().heap_size_limit / 2 ** 20 } },
      ],
    };
  },
};
