// Predictions materialized per second, Kafka → ClickHouse (decode, project,
// one insert per table per partition batch), beside raw kafkajs consumption
// of the same records and a raw @clickhouse/client JSONEachRow insert of the
// same rows into the same schema, in the same run; plus the lag from a
// producer ack to the row being visible.
import { randomUUID } from 'node:crypto';
import { createClickHouse, type PredictionLogged } from '@mlstream/kit';
import { migrate, project, runMaterializerService, searchRuns } from '@mlstream/materializer';
import { benchContext } from './setup.ts';

const N = Number(process.env.MLSTREAM_BENCH_ROWS ?? 100_000);
const MODELS = ['churn', 'fraud', 'upsell', 'ranker', 'pricing', 'eta']; // the topic key: spreads over partitions

function values(n: number, start: number): PredictionLogged[] {
  let seed = 3;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => ({
    eventId: randomUUID(),
    occurredAt: start + i,
    requestId: `req-${i}`,
    model: MODELS[i % MODELS.length]!,
    version: 1 + (i % 3),
    numericFeatures: { age: rnd() * 80, income: rnd() * 1e5, tenure: rnd() * 10 },
    categoricalFeatures: { plan: rnd() < 0.5 ? 'pro' : 'basic' },
    prediction: rnd(),
    probabilities: null,
    latencyMs: rnd() * 20,
    error: rnd() < 0.01 ? 'timeout' : null,
  }));
}

const RUNS = Number(process.env.MLSTREAM_BENCH_RUNS ?? 100_000);

/** Writes RUNS runs (3 params, 5 metric steps, 2 tags each) straight into the run tables, then times MLflow-style searches. */
async function runSearch(client: ReturnType<typeof createClickHouse>, database: string) {
  const base = { _topic: 'bench', _partition: 0, event_id: '', occurred_at: 1_795_000_000, occurred_ms: 1_795_000_000_000 };
  const chunk = 50_000;
  for (let from = 0; from < RUNS; from += chunk) {
    const ids = Array.from({ length: Math.min(chunk, RUNS - from) }, (_, i) => from + i);
    const run = (i: number) => `run-${i}`;
    await client.insert({ table: `${database}.runs`, format: 'JSONEachRow', values: ids.map((i) => ({ ...base, _offset: i, _version: 1, run_id: run(i), experiment: `exp-${i % 20}`, name: `n${i}`, status: i % 7 ? 'FINISHED' : 'FAILED', code_version: 'git', actor: 'bench', start_ms: 1_795_000_000_000 + i, start_time: 1_795_000_000, end_ms: 0, end_time: 0 })) });
    await client.insert({ table: `${database}.run_params`, format: 'JSONEachRow', values: ids.flatMap((i) => ['lr', 'depth', 'seed'].map((key, k) => ({ ...base, _offset: i, run_id: run(i), key, value: key === 'lr' ? ['0.01', '0.1', '0.001'][i % 3]! : String(i % (k + 5)) }))) });
    await client.insert({ table: `${database}.run_metrics`, format: 'JSONEachRow', values: ids.flatMap((i) => [0, 1, 2, 3, 4].map((step) => ({ ...base, _offset: i, run_id: run(i), key: 'acc', value: ((i * 7919) % 1000) / 1000 - 0.1 + step * 0.025, step, ts_ms: step, timestamp: 0 }))) });
    await client.insert({ table: `${database}.run_tags`, format: 'JSONEachRow', values: ids.flatMap((i) => [{ ...base, _offset: i, run_id: run(i), key: 'team', value: ['x', 'y', 'z', 'w'][i % 4]! }, { ...base, _offset: i, run_id: run(i), key: 'stage', value: 'final' }]) });
  }
  const deps = { client, database };
  const timed = async (fn: () => Promise<unknown>) => {
    await fn(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    return times.sort((a, b) => a - b)[2]!; // median of 5
  };
  const search = await timed(() => searchRuns(deps, { filter: "metrics.acc > 0.8 and params.lr = '0.01' and tags.team = 'x'", orderBy: ['metrics.acc DESC'], maxResults: 100 }));
  const scan = await timed(async () => (await client.query({ query: `SELECT count() FROM ${database}.runs FINAL`, format: 'JSONEachRow' })).json());
  return { search, scan };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default {
  needsStack: true,
  async run() {
    const { connections, kafka, catalog, serde, admin, stamp } = await benchContext('mat');
    const db = `bench_mat_${stamp}`;
    const rawDb = `bench_raw_${stamp}`;
    const client = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
    const count = async (database: string) => Number((await (await client.query({ query: `SELECT count() AS n FROM ${database}.predictions`, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n);
    const topic = catalog.topic('predictions');
    const start = Date.UTC(2026, 10, 27);
    const records = values(N, start);
    const encoded = await Promise.all(records.map((v) => serde.encode('PredictionLogged', v)));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    for (let i = 0; i < encoded.length; i += 5_000) await producer.send({ topic, acks: -1, messages: encoded.slice(i, i + 5_000).map((e) => e.message) });

    // 1. Ceiling: raw kafkajs consumption of the same records (no decode, no ClickHouse).
    const consumer = kafka.consumer({ groupId: `bench-raw-${stamp}`, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    let firstAt = 0;
    let doneAt = 0;
    await consumer.run({
      eachBatch: async ({ batch }) => {
        if (!firstAt) firstAt = performance.now();
        seen += batch.messages.length;
        if (seen >= N && !doneAt) doneAt = performance.now();
      },
    });
    while (!doneAt) await sleep(20);
    await consumer.disconnect();
    const rawConsume = N / ((doneAt - firstAt) / 1000);

    // 2. Ceiling: raw JSONEachRow inserts of the same rows, batches of 5 000, into the same schema (view included).
    await migrate({ client, database: rawDb });
    const rows = records.map((v, i) => project({ type: 'PredictionLogged', value: v, schemaId: 0, topic, partition: 0, offset: String(i), key: null, headers: {} })[0]!.row);
    const t0 = performance.now();
    for (let i = 0; i < rows.length; i += 5_000) await client.insert({ table: `${rawDb}.predictions`, values: rows.slice(i, i + 5_000), format: 'JSONEachRow' });
    const rawInsert = N / ((performance.now() - t0) / 1000);

    // 3. The materializer, in this process, from the first row visible to the last.
    const service = await runMaterializerService({ signals: false, env: { ...process.env, MLSTREAM_TOPIC_PREFIX: catalog.prefix, MLSTREAM_CLICKHOUSE_DATABASE: db, MLSTREAM_LOG_LEVEL: 'warn' } });
    let first = 0;
    for (;;) {
      const n = await count(db);
      if (n > 0 && !first) first = performance.now();
      if (n >= N) break;
      await sleep(20);
    }
    const materialized = N / ((performance.now() - first) / 1000);

    // 4. Lag: producer ack → row visible, 40 batches of 50 rows, 250 ms apart (default 1 000 ms flush wait).
    const lags: number[] = [];
    const late = values(2_000, start + N);
    let expected = N;
    for (let b = 0; b < 40; b++) {
      const batch = await Promise.all(late.slice(b * 50, (b + 1) * 50).map((v, i) => serde.encode('PredictionLogged', { ...v, requestId: `late-${b}-${i}`, model: 'churn' })));
      await producer.send({ topic, acks: -1, messages: batch.map((e) => e.message) });
      const acked = performance.now();
      expected += 50;
      while ((await count(db)) < expected) await sleep(5);
      lags.push(performance.now() - acked);
      await sleep(250);
    }
    lags.sort((a, b) => a - b);

    await service.stop();
    const runs = await runSearch(client, rawDb);
    await producer.disconnect();
    await admin.disconnect();
    for (const d of [db, rawDb]) await client.command({ query: `DROP DATABASE IF EXISTS ${d}` });
    await client.close();
    return {
      params: { predictions: N, keys: MODELS.length, runs: RUNS, maxEvents: 5_000, maxWaitMs: 1_000, lagBatches: 40 },
      figures: [
        { figure: 'materialized (Kafka → ClickHouse)', value: materialized, unit: 'rows/s', ceiling: { what: 'raw JSONEachRow insert', value: rawInsert } },
        { figure: 'materialized (Kafka → ClickHouse)', value: materialized, unit: 'rows/s', ceiling: { what: 'raw kafkajs consume', value: rawConsume } },
        // The anchor of the lag is the batching wait itself: a trickle is flushed when its oldest record is maxWaitMs old.
        { figure: 'lag ack → visible p50', value: percentile(lags, 0.5), unit: 'ms', ceiling: { what: 'configured flush wait', value: 1_000 } },
        { figure: 'lag ack → visible p99', value: percentile(lags, 0.99), unit: 'ms', ceiling: { what: 'configured flush wait', value: 1_000 } },
        // Filter on a metric, a param and a tag, ordered by the metric, first page of 100, median of 5.
        { figure: `run search over ${RUNS} runs`, value: runs.search, unit: 'ms', ceiling: { what: 'target: well under 1 s', value: 1_000 } },
        { figure: `run search over ${RUNS} runs`, value: runs.search, unit: 'ms', ceiling: { what: 'SELECT count() FROM runs FINAL', value: runs.scan } },
      ],
    };
  },
};
