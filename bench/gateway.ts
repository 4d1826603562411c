// `npm run bench -- ingest`: accepted predictions per second through
// POST /v1/predictions (batches of 500, several concurrent clients, the
// gateway in its own process) and p50 / p99 acknowledgement latency, beside a
// raw kafkajs idempotent producer (acks=all) sending the same encoded records
// in batches of the same size with the same concurrency, in the same run.
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Message } from 'kafkajs';
import { waitForTopics, type PredictionLogged } from '@mlstream/kit';
import { benchContext } from './setup.ts';

const TOTAL = 100_000;
const BATCH = 500;
const CLIENTS = 4;
const TOKEN = 'bench-token';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

function predictions(n: number): PredictionLogged[] {
  let seed = 11;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: n }, (_, i) => ({
    eventId: randomUUID(),
    occurredAt: 1_764_201_600_000 + i,
    requestId: `req-${i}`,
    model: `model-${i % 12}`,
    version: 3,
    numericFeatures: { age: 20 + rnd() * 50, income: rnd() * 100_000, tenure: rnd() * 10, score: rnd() },
    categoricalFeatures: { plan: rnd() < 0.5 ? 'pro' : 'basic', region: rnd() < 0.3 ? 'eu' : 'us' },
    prediction: rnd(),
    probabilities: null,
    latencyMs: rnd() * 20,
    error: null,
  }));
}

/** Runs `work(i)` for i in [0, n) on `concurrency` workers; returns wall seconds and per-call latencies (ms). */
async function drive(n: number, concurrency: number, work: (i: number) => Promise<void>) {
  const latencies: number[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await work(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { seconds: (performance.now() - start) / 1000, latencies: latencies.sort((a, b) => a - b) };
}

export default {
  needsStack: true,
  async run() {
    const { kafka, catalog, serde, admin } = await benchContext('ingest');
    await serde.registerAll();
    const values = predictions(TOTAL);
    const batches = Math.ceil(TOTAL / BATCH);

    // Ceiling: the same records, encoded by the serde, through a raw idempotent producer.
    const rawTopic = `${catalog.prefix}raw-ceiling`;
    await admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: 6 }], waitForLeaders: false });
    await waitForTopics(admin, [rawTopic]);
    const encoded: Message[] = [];
    for (const v of values) encoded.push((await serde.encode('PredictionLogged', v)).message);
    const raw = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
    await raw.connect();
    const rawRun = await drive(batches, CLIENTS, async (b) => void (await raw.send({ topic: rawTopic, acks: -1, messages: encoded.slice(b * BATCH, (b + 1) * BATCH) })));
    await raw.disconnect();

    // The gateway in its own process, as deployed.
    const gateway = spawn(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../services/gateway/src/main.ts')], {
      env: {
        ...process.env,
        MLSTREAM_TOPIC_PREFIX: catalog.prefix,
        MLSTREAM_GATEWAY_PORT: '18290',
        MLSTREAM_GATEWAY_API_KEYS: `bench:${createHash('sha256').update(TOKEN).digest('hex')}:write:predictions`,
        MLSTREAM_LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const url = 'http://127.0.0.1:18290';
    try {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
        if (ready) break;
        if (Date.now() > deadline) throw new Error('the gateway did not become ready within 60 s');
        await new Promise((r) => setTimeout(r, 250));
      }
      const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify({ predictions: values.slice(b * BATCH, (b + 1) * BATCH) }));
      const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      // Warm-up: one batch (schema ids, producer session), not counted.
      await fetch(`${url}/v1/predictions`, { method: 'POST', headers, body: bodies[0] });
      let failed = 0;
      const httpRun = await drive(batches, CLIENTS, async (b) => {
        const res = await fetch(`${url}/v1/predictions`, { method: 'POST', headers, body: bodies[b] });
        await res.arrayBuffer();
        if (res.status !== 202) failed += 1;
      });
      if (failed) throw new Error(`${failed} of ${batches} HTTP batches were not accepted`);
      const httpRate = TOTAL / httpRun.seconds;
      const rawRate = TOTAL / rawRun.seconds;
      return {
        params: { records: TOTAL, batch: BATCH, clients: CLIENTS, record: 'PredictionLogged', gateway: 'own process', acks: 'all (idempotent producer)' },
        figures: [
          { figure: 'HTTP accepted predictions/s', value: httpRate, unit: 'records/s', ceiling: { what: 'raw kafkajs producer records/s', value: rawRate } },
          { figure: 'HTTP batch ack latency p50 (ms)', value: percentile(httpRun.latencies, 0.5), unit: 'ms', ceiling: { what: 'raw producer send p50 (ms)', value: percentile(rawRun.latencies, 0.5) } },
          { figure: 'HTTP batch ack latency p99 (ms)', value: percentile(httpRun.latencies, 0.99), unit: 'ms', ceiling: { what: 'raw producer send p99 (ms)', value: percentile(rawRun.latencies, 0.99) } },
        ],
      };
    } finally {
      gateway.kill('SIGTERM');
      await new Promise((r) => gateway.once('exit', r));
      await admin.disconnect();
    }
  },
};
