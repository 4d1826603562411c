// Events per second replayed from Kafka into a fresh ClickHouse database
// (`mlstream replay`: decode, project, the materializer's writeBatch) and
// through the drift audit (read + recompute every window), beside raw kafkajs
// consumption of the same topics, with and without Avro decoding, in the same run.
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { createClickHouse, readTopic, type Serde } from '@mlstream/kit';
import { defaultConfig, syntheticPredictions } from '@mlstream/drift-detector';
import { auditDrift } from '../services/cli/src/audit/index.ts';
import { compareDatabases, replay, selectTopics } from '../services/cli/src/replay/index.ts';
import { scenario } from '../test/fixtures/materializer/scenario.ts';
import { benchContext } from './setup.ts';
import type { Figure } from './summary.ts';

const N = Number(process.env.MLSTREAM_BENCH_ROWS ?? 100_000);
const MODELS = ['churn', 'fraud', 'upsell', 'ranker']; // the topic key: spreads over partitions

/** Raw consumption of `topics` until `expected` records: kafkajs only, or kafkajs + Avro decode. */
async function consumeAll(kafka: Kafka, serde: Serde, topics: string[], expected: number, decode: boolean): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
  let seen = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => (done = r));
  const start = process.hrtime.bigint();
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      if (decode) {
        for (const message of batch.messages) {
          const record = { topic: batch.topic, partition: batch.partition, message };
          if (!serde.decodeKnown(record)) await serde.decode(record); // synchronous once the schema id is known, as the replay decodes
        }
      }
      seen += batch.messages.length;
      if (seen >= expected) done();
    },
  });
  await finished;
  const perSecond = expected / (Number(process.hrtime.bigint() - start) / 1e9);
  await consumer.disconnect();
  return perSecond;
}

export default {
  needsStack: true,
  async run() {
    const { connections, kafka, catalog, serde, admin, stamp } = await benchContext('replay');
    const db = `bench_replay_${stamp}`;
    const client = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });

    // 1. The log: N predictions over 4 models, plus every other materialized type (runs, registry, drift, labels, ...).
    const predictions = MODELS.flatMap((model, m) => syntheticPredictions({ seed: 11 + m, model, version: 1, count: N / MODELS.length, shape: { numeric: 10, categorical: 3 }, idPrefix: `${model}-` }));
    const world = scenario();
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (let i = 0; i < predictions.length; i += 1_000) {
      const encoded = await Promise.all(predictions.slice(i, i + 1_000).map((p) => serde.encode('PredictionLogged', p)));
      await producer.send({ topic: catalog.topic('predictions'), acks: -1, messages: encoded.map((e) => e.message) });
    }
    const others = await Promise.all(world.drafts.map((d) => serde.encode(d.type, d.value as never)));
    for (const e of others) await producer.send({ topic: e.topic, acks: -1, messages: [e.message] });
    await producer.disconnect();
    const total = predictions.length + others.length;
    const topics = selectTopics(catalog).map((t) => t.topic);

    // 2. Ceilings: raw kafkajs consumption of the same topics, without and with decoding. The goal's
    // ceiling (with decoding) runs right before the replay and right after it: on a shared machine the
    // load moves within a round, and the two bracket the replay (their mean time is the ceiling).
    const rawConsume = await consumeAll(kafka, serde, topics, total, false);
    const rawDecodePredictions = await consumeAll(kafka, serde, [catalog.topic('predictions')], predictions.length, true);
    const rawDecodeBefore = await consumeAll(kafka, serde, topics, total, true);

    // 3. The replay into a fresh database (no comparison: timed on its own below).
    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
    const report = await replay({ kafka, serde, client, catalog, liveDatabase: 'mlstream', database: db, compareWith: null });
    clearInterval(sampler);
    if (report.read.events !== total) throw new Error(`replayed ${report.read.events} events, produced ${total}`);
    const rawDecodeAfter = await consumeAll(kafka, serde, topics, total, true);
    const rawDecode = 2 / (1 / rawDecodeBefore + 1 / rawDecodeAfter); // events over the mean of the two times

    // 4. The comparison of every table and the view over the replayed offsets (here: the database with itself).
    const t0 = performance.now();
    const tables = await compareDatabases({ client, replayDatabase: db, liveDatabase: db, topics: selectTopics(catalog), ranges: report.range.partitions });
    const compareMs = performance.now() - t0;
    if (tables.some((t) => t.equal === false)) throw new Error('a database differs from itself');

    // 5. The drift audit as `mlstream audit drift` runs it: read the predictions, recompute every window of every model.
    const a0 = performance.now();
    const events = await readTopic(kafka, serde, catalog.topic('predictions'));
    const read = performance.now() - a0;
    let windows = 0;
    for (const model of MODELS) windows += auditDrift({ model, predictions: events, recorded: [], configOf: () => defaultConfig }).pending;
    const auditSeconds = (performance.now() - a0) / 1000;
    const coreSeconds = (performance.now() - a0 - read) / 1000;

    await admin.disconnect();
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
    return {
      params: { predictions: predictions.length, otherEvents: others.length, models: MODELS.length, partitions: report.range.partitions.length, inserts: report.read.inserts, windowSize: defaultConfig.windowSize, driftOutputs: windows },
      figures: [
        { figure: 'replay Kafka → fresh ClickHouse', value: report.read.eventsPerSecond, unit: 'events/s', ceiling: { what: 'raw kafkajs consume+decode', value: rawDecode }, goal: { on: 'ratio', atLeast: 0.6, text: '>= 0.60 of raw consume+decode' } },
        { figure: 'raw consume+decode after / before the replay', value: rawDecodeAfter, unit: 'events/s', ceiling: { what: 'raw consume+decode before', value: rawDecodeBefore } },
        { figure: 'replay vs raw consume (no decode)', value: report.read.eventsPerSecond, unit: 'events/s', ceiling: { what: 'raw kafkajs consume', value: rawConsume } },
        { figure: 'replay peak RSS (MiB)', value: peakRss / 2 ** 20, unit: 'MiB', ceiling: { what: 'heap limit (MiB)', value: (await import('node:v8')).getHeapStatistics().heap_size_limit / 2 ** 20 } },
        { figure: 'compare 17 tables + view (ms)', value: compareMs, unit: 'ms', ceiling: { what: 'the replay itself (ms)', value: report.read.seconds * 1000 } },
        { figure: 'drift audit read+recompute', value: predictions.length / auditSeconds, unit: 'predictions/s', ceiling: { what: 'raw consume+decode (preds)', value: rawDecodePredictions } },
        { figure: 'drift audit recompute only', value: predictions.length / coreSeconds, unit: 'predictions/s', ceiling: { what: 'raw consume+decode (preds)', value: rawDecodePredictions } },
      ] satisfies Figure[],
    };
  },
};
