// Predictions materialized per second, Kafka → ClickHouse (decode, project,
// one RowBinary insert per table per partition batch), beside raw inserts of
// the same rows in every format ClickHouse 18.16 takes over HTTP that we can
// write (JSONEachRow through @clickhouse/client, TabSeparated and RowBinary as
// raw bodies) and raw kafkajs consumption, in the same round; plus the lag
// from a producer ack to the row being visible, paced at 100 events/s and at
// full load (90 % of the rate just measured).
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Producer } from 'kafkajs';
import { createClickHouse, type ClickHouseClient, type PredictionLogged, type Serde } from '@mlstream/kit';
import { compileRowBinary, migrate, project, runMaterializerService, searchRuns, type Row } from '@mlstream/materializer';
import { benchContext } from './setup.ts';
import type { Figure } from './summary.ts';

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

type Column = { name: string; type: string };

/** TabSeparated text of one value (bench-only writer: escapes, arrays as ['a','b'], NULL as \N). */
function tsvValue(type: string, v: unknown): string {
  if (type.startsWith('Nullable(')) return v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '\\N' : tsvValue(type.slice(9, -1), v);
  if (type.startsWith('Array(')) {
    const inner = type.slice(6, -1);
    return `[${((v as unknown[] | null) ?? []).map((x) => (inner === 'String' ? `'${String(x).replace(/[\\']/g, (c) => `\\${c}`)}'` : x === null ? 'NULL' : String(x))).join(',')}]`;
  }
  if (type === 'String') return String(v ?? '').replace(/[\\\t\n]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\\\'));
  return String(v ?? 0);
}

/** The raw insert ceilings: the same rows, batches of 5 000, one after the other, in one format; rows/s. */
async function rawInsert(client: ClickHouseClient, table: string, columns: Column[], rows: Row[], format: 'JSONEachRow' | 'TabSeparated' | 'RowBinary'): Promise<number> {
  const rowBinary = compileRowBinary(columns)!;
  const list = columns.map((c) => `\`${c.name}\``).join(', ');
  const t0 = performance.now();
  for (let i = 0; i < rows.length; i += 5_000) {
    const slice = rows.slice(i, i + 5_000);
    if (format === 'JSONEachRow') {
      await client.insert({ table, values: slice, format });
      continue;
    }
    const body = format === 'RowBinary' ? rowBinary.encode(slice) : Buffer.from(slice.map((r) => columns.map((c) => tsvValue(c.type, r[c.name])).join('\t')).join('\n') + '\n');
    const { stream } = await client.exec({ query: `INSERT INTO ${table} (${list}) FORMAT ${format}`, values: Readable.from([body]) });
    for await (const _ of stream);
  }
  return rows.length / ((performance.now() - t0) / 1000);
}

/**
 * Producer ack → visible: sends `batches` (each to one key, so one partition)
 * on a schedule and polls max(_offset) per partition until each batch's last
 * offset is in the table; ms per batch.
 */
async function ackToVisible(opts: { client: ClickHouseClient; producer: Producer; serde: Serde; db: string; topic: string; batches: PredictionLogged[][]; everyMs: number }): Promise<number[]> {
  const { client, producer, serde, db, topic, batches, everyMs } = opts;
  const visible = new Map<number, number>();
  const pending: Array<{ partition: number; offset: number; acked: number }> = [];
  const lags: number[] = [];
  let sending = true;
  let deadline = Infinity; // set once the last batch is sent
  const poller = (async () => {
    while ((sending || pending.length) && performance.now() < deadline) {
      const rows = await (await client.query({ query: `SELECT _partition AS p, max(_offset) AS o FROM ${db}.predictions GROUP BY _partition`, format: 'JSONEachRow' })).json<{ p: number; o: string }>();
      const now = performance.now();
      for (const r of rows) visible.set(Number(r.p), Number(r.o));
      for (let i = pending.length - 1; i >= 0; i--) {
        const b = pending[i]!;
        if ((visible.get(b.partition) ?? -1) >= b.offset) {
          lags.push(now - b.acked);
          pending.splice(i, 1);
        }
      }
      await sleep(2);
    }
  })();
  const start = performance.now();
  for (let b = 0; b < batches.length; b++) {
    const due = start + b * everyMs;
    if (performance.now() < due) await sleep(due - performance.now());
    const encoded = await Promise.all(batches[b]!.map((v) => serde.encode('PredictionLogged', v)));
    const [meta] = await producer.send({ topic, acks: -1, messages: encoded.map((e) => e.message) });
    pending.push({ partition: meta!.partition, offset: Number(meta!.baseOffset) + batches[b]!.length - 1, acked: performance.now() });
  }
  sending = false;
  deadline = performance.now() + 60_000;
  await poller;
  // A batch never seen counts as never visible: the percentiles must not leave out the slowest.
  if (pending.length) throw new Error(`ack → visible: ${pending.length} of ${batches.length} batches not visible 60 s after the last send`);
  return lags.sort((a, b) => a - b);
}

export default {
  needsStack: true,
  async run(round: number) {
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

    // 2. Ceilings: raw inserts of the same rows, batches of 5 000, into the same schema (view included), in
    //    each format; the order rotates with the round so none always runs first.
    await migrate({ client, database: rawDb });
    const columns = await (await client.query({ query: `SELECT name, type FROM system.columns WHERE database = '${rawDb}' AND table = 'predictions'`, format: 'JSONEachRow' })).json<Column>();
    const rows = records.map((v, i) => project({ type: 'PredictionLogged', value: v, schemaId: 0, topic, partition: 0, offset: String(i), key: null, headers: {} })[0]!.row);
    const formats = ['JSONEachRow', 'TabSeparated', 'RowBinary'] as const;
    const raw: Record<string, number> = {};
    for (let k = 0; k < formats.length; k++) {
      const format = formats[(k + round) % formats.length]!;
      raw[format] = await rawInsert(client, `${rawDb}.predictions`, columns, rows, format);
    }
    const fastest = formats.reduce((a, b) => (raw[b]! > raw[a]! ? b : a));

    // 3. The materializer, in this process, from the first row visible to the last.
    const service = await runMaterializerService({ signals: false, env: { ...process.env, MLSTREAM_TOPIC_PREFIX: catalog.prefix, MLSTREAM_CLICKHOUSE_DATABASE: db, MLSTREAM_LOG_LEVEL: 'warn' } });
    // The clock starts at the first rows seen, so those rows are not counted: their insert's time is not in it.
    let first = 0;
    let atFirst = 0;
    for (;;) {
      const n = await count(db);
      if (n > 0 && !first) [first, atFirst] = [performance.now(), n];
      if (n >= N) break;
      await sleep(5);
    }
    const materialized = (N - atFirst) / ((performance.now() - first) / 1000);

    // The floor of any ack-to-visible figure: one single-row insert into the same table, alone (50, one after the other).
    const oneRow: number[] = [];
    for (let i = 0; i < 50; i++) {
      const t = performance.now();
      await rawInsert(client, `${rawDb}.predictions`, columns, [rows[i]!], 'RowBinary');
      oneRow.push(performance.now() - t);
    }
    oneRow.sort((a, b) => a - b);

    // 4. Lag at 100 events/s: one event every 10 ms for 5 s, keys rotating over the models.
    let next = N;
    const fresh = (n: number) => values(n, start + next).map((v, i) => ({ ...v, requestId: `late-${next + i}`, model: MODELS[(next + i) % MODELS.length]! }));
    const paced = Array.from({ length: 500 }, () => {
      const b = fresh(1);
      next += 1;
      return b;
    });
    const slow = await ackToVisible({ client, producer, serde, db, topic, batches: paced, everyMs: 10 });

    // 5. Lag at full load: 90 % of the rate just measured, for 5 s, a batch every 50 ms (one key per batch).
    // At most 2 000 per batch: one produce request must stay under the broker's 1 MB message limit.
    const perBatch = Math.min(2_000, Math.max(1, Math.round((0.9 * materialized) / 20)));
    const loaded = Array.from({ length: 100 }, (_, b) => {
      const batch = fresh(perBatch).map((v) => ({ ...v, model: MODELS[b % MODELS.length]! }));
      next += perBatch;
      return batch;
    });
    const full = await ackToVisible({ client, producer, serde, db, topic, batches: loaded, everyMs: 50 });

    await service.stop();
    // Run search is about the queries, not the stream: once, in the first round.
    const runs = round === 1 ? await runSearch(client, rawDb) : undefined;
    await producer.disconnect();
    await admin.disconnect();
    for (const d of [db, rawDb]) await client.command({ query: `DROP DATABASE IF EXISTS ${d}` });
    await client.close();
    const figures: Figure[] = [
      { figure: 'materialized (Kafka → ClickHouse)', value: materialized, unit: 'rows/s', ceiling: { what: 'fastest raw insert format', value: raw[fastest]! }, goal: { on: 'ratio', atLeast: 0.7, text: '>= 0.70 of fastest raw insert' } },
      { figure: 'materialized vs raw JSONEachRow', value: materialized, unit: 'rows/s', ceiling: { what: 'raw JSONEachRow insert', value: raw.JSONEachRow! } },
      { figure: 'materialized vs raw kafkajs consume', value: materialized, unit: 'rows/s', ceiling: { what: 'raw kafkajs consume', value: rawConsume } },
      ...formats.map((f): Figure => ({ figure: `raw insert ${f}`, value: raw[f]!, unit: 'rows/s', ceiling: { what: 'fastest raw insert format', value: raw[fastest]! } })),
      // Ceilings of the lag figures: a lone single-row insert into the same table on the same server, in the same round.
      { figure: 'lag ack → visible p50 at 100 events/s', value: percentile(slow, 0.5), unit: 'ms', ceiling: { what: 'raw 1-row insert p50', value: percentile(oneRow, 0.5) } },
      { figure: 'lag ack → visible p99 at 100 events/s', value: percentile(slow, 0.99), unit: 'ms', ceiling: { what: 'raw 1-row insert p99', value: percentile(oneRow, 0.99) }, goal: { on: 'value', atMost: 250, text: '< 250 ms' } },
      { figure: 'lag ack → visible p50 at full load', value: percentile(full, 0.5), unit: 'ms', ceiling: { what: 'raw 1-row insert p50', value: percentile(oneRow, 0.5) } },
      { figure: 'lag ack → visible p99 at full load', value: percentile(full, 0.99), unit: 'ms', ceiling: { what: 'raw 1-row insert p99', value: percentile(oneRow, 0.99) }, goal: { on: 'value', atMost: 2_000, text: '< 2 s' } },
      ...(runs
        ? [
            // Filter on a metric, a param and a tag, ordered by the metric, first page of 100, median of 5.
            { figure: `run search over ${RUNS} runs`, value: runs.search, unit: 'ms', ceiling: { what: 'SELECT count() FROM runs FINAL', value: runs.scan }, goal: { on: 'value' as const, atMost: 1_000, text: 'well under 1 s' } },
          ]
        : []),
    ];
    return {
      params: { predictions: N, rowsAtFirstSight: atFirst, keys: MODELS.length, runs: RUNS, fastestFormat: fastest, pacedEvents: paced.length, fullLoadRate: perBatch * 20, fullLoadEvents: perBatch * loaded.length, lagSamples: { paced: slow.length, full: full.length } },
      figures,
    };
  },
};
