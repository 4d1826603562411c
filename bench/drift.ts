// Predictions per second through the drift detector service (decode, windows,
// tests, quality pass, transactions with snapshots), beside raw kafkajs
// consumption + Avro decode of the same topic in the same round. Each round
// has its own topics; the ceiling and the detector run back to back, in
// alternating order. The detector's memory over a long stream, measured for
// the service alone in a child process, is `npm run bench -- drift-memory`.
//   MLSTREAM_BENCH_ROWS: predictions per round (default 100 000).
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { PredictionLogged, ResolvedCatalog, Serde } from '@mlstream/kit';
import { createDriftService, defaultConfig, syntheticPredictions } from '@mlstream/drift-detector';
import { benchContext, followDriftWindows } from './setup.ts';

const N = Number(process.env.MLSTREAM_BENCH_ROWS ?? 100_000);
const W = defaultConfig.windowSize;
const SHAPE = { numeric: 20, categorical: 5 };

/** The same stream every round (made once per process). */
let predictions: PredictionLogged[] | undefined;

/** Seconds until every record of `topic` was consumed and decoded by a plain kafkajs consumer (joining its group included). */
async function rawConsumeDecode(kafka: Kafka, serde: Serde, topic: string): Promise<number> {
  let seen = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const raw = kafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 50 });
  await raw.connect();
  await raw.subscribe({ topic, fromBeginning: true });
  const start = process.hrtime.bigint();
  await raw.run({
    eachBatch: async ({ batch }) => {
      // The fastest decode the serde has, as the detector uses it: synchronous once the schema id is known.
      for (const message of batch.messages) {
        const record = { topic: batch.topic, partition: batch.partition, message };
        if (!serde.decodeKnown(record)) await serde.decode(record);
      }
      seen += batch.messages.length;
      if (seen >= N) done();
    },
  });
  await finished;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await raw.disconnect();
  return seconds;
}

/** Seconds from the detector's start (group join, restore) until its last window's DriftMeasured is committed. */
async function detector(kafka: Kafka, serde: Serde, catalog: ResolvedCatalog, logger: Parameters<typeof createDriftService>[0]['logger']): Promise<number> {
  const windows = await followDriftWindows(kafka, catalog, N / W);
  const service = createDriftService({ kafka, serde, catalog, logger, groupId: `${catalog.prefix}drift`, configOf: () => defaultConfig });
  const start = process.hrtime.bigint();
  await service.start();
  await windows.all;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await Promise.all([service.stop(), windows.stop()]);
  return seconds;
}

export default {
  needsStack: true,
  async run(round = 0) {
    const { logger, kafka, catalog, serde, admin } = await benchContext(`drift-${round}`);
    predictions ??= syntheticPredictions({ seed: 1, model: 'bench', version: 1, count: N, shape: SHAPE });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (let i = 0; i < N; i += 2000) {
      const encoded = await Promise.all(predictions.slice(i, i + 2000).map((p) => serde.encode('PredictionLogged', p)));
      await producer.send({ topic: catalog.topic('predictions'), acks: -1, messages: encoded.map((e) => e.message) });
    }
    await producer.disconnect();

    // Back to back, the order alternating by round, so a slow spell of the shared machine hits both sides.
    let rawSeconds = 0;
    let ourSeconds = 0;
    if (round % 2 === 0) {
      rawSeconds = await rawConsumeDecode(kafka, serde, catalog.topic('predictions'));
      ourSeconds = await detector(kafka, serde, catalog, logger);
    } else {
      ourSeconds = await detector(kafka, serde, catalog, logger);
      rawSeconds = await rawConsumeDecode(kafka, serde, catalog.topic('predictions'));
    }
    await admin.disconnect();
    return {
      params: { predictions: N, windowSize: W, features: SHAPE.numeric + SHAPE.categorical, partitions: 1, detector: 'in this process, from start() to the last DriftMeasured committed' },
      figures: [
        {
          figure: 'detector predictions/s',
          value: N / ourSeconds,
          unit: 'predictions/s',
          ceiling: { what: 'raw kafkajs consume + Avro decode', value: N / rawSeconds },
          goal: { on: 'ratio' as const, atLeast: 0.6, text: '>= 0.60 of raw consume + decode' },
        },
      ],
    };
  },
};
