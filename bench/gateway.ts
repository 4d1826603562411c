// `npm run bench -- ingest`: accepted predictions per second through
// POST /v1/predictions (batches of 500, several concurrent clients, the
// gateway in its own process) and p50 / p99 acknowledgement latency, beside a
// raw kafkajs idempotent producer (acks=all) sending the same encoded records
// in batches of the same size with the same concurrency, in the same round.
// Rounds alternate which side goes first, so neither always meets a warmer broker.
//
// Knobs: MLSTREAM_BENCH_INGEST_TOTAL (records per side per round, default
// 100 000); MLSTREAM_BENCH_GATEWAY_NODE_ARGS (extra node flags for the gateway
// process, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it).
// Besides wall-clock rates it reports records per CPU second of each path (Linux /proc),
// which other work on a shared machine disturbs much less.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Message } from 'kafkajs';
import { waitForTopics, type PredictionLogged } from '@mlstream/kit';
import { freePort } from '../test/helpers/processes.ts';
import { benchContext } from './setup.ts';

const TOTAL = Number(process.env.MLSTREAM_BENCH_INGEST_TOTAL ?? 100_000);
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

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere. */
function cpuSecondsOf(pid: number): number | undefined {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return undefined;
  }
}
const CLOCK_TICKS = 100;

/**
 * Runs `work(i)` for i in [0, n) on `concurrency` workers; returns wall seconds,
 * per-call latencies (ms) and the CPU seconds this process and `alsoPid` spent.
 */
async function drive(n: number, concurrency: number, work: (i: number) => Promise<void>, alsoPid?: number) {
  const latencies: number[] = [];
  let next = 0;
  const cpuStart = process.cpuUsage();
  const otherStart = alsoPid === undefined ? 0 : cpuSecondsOf(alsoPid);
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
  const seconds = (performance.now() - start) / 1000;
  const own = process.cpuUsage(cpuStart);
  const otherEnd = alsoPid === undefined ? 0 : cpuSecondsOf(alsoPid);
  const other = otherStart === undefined || otherEnd === undefined ? Number.NaN : otherEnd - otherStart;
  return { seconds, cpuSeconds: (own.user + own.system) / 1e6 + other, latencies: latencies.sort((a, b) => a - b) };
}

/** The gateway in its own process, as deployed; each round starts its own and stops it (no process outlives a round). */
async function startGateway(prefix: string): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const port = await freePort();
  const nodeArgs = (process.env.MLSTREAM_BENCH_GATEWAY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const gateway = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.resolve(import.meta.dirname, '../services/gateway/src/main.ts')], {
    env: {
      ...process.env,
      MLSTREAM_TOPIC_PREFIX: prefix,
      MLSTREAM_GATEWAY_PORT: String(port),
      MLSTREAM_GATEWAY_API_KEYS: `bench:${createHash('sha256').update(TOKEN).digest('hex')}:write:predictions`,
      MLSTREAM_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const kill = () => gateway.kill('SIGTERM');
  process.once('exit', kill);
  const stop = async () => {
    process.off('exit', kill);
    if (gateway.exitCode !== null) return;
    const exited = new Promise((r) => gateway.once('exit', r));
    gateway.kill('SIGTERM');
    await exited;
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gateway.exitCode !== null) throw new Error(`the gateway exited with code ${gateway.exitCode} before it became ready`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the gateway did not become ready within 60 s');
    }
    const ready = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, pid: gateway.pid!, stop };
}

/** Built once per process: records, their encoded form and request bodies, the stack clients and the topics. */
let setup: ReturnType<typeof prepare> | undefined;
async function prepare() {
  const context = await benchContext('ingest');
  await context.serde.registerAll();
  const values = predictions(TOTAL);
  const encoded: Message[] = [];
  for (const v of values) encoded.push((await context.serde.encode('PredictionLogged', v)).message);
  const batches = Math.ceil(TOTAL / BATCH);
  const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify({ predictions: values.slice(b * BATCH, (b + 1) * BATCH) }));
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  return { ...context, encoded, bodies, batches, headers };
}

export default {
  needsStack: true,
  rounds: 5,
  async run(round = 0) {
    setup ??= prepare();
    const { kafka, catalog, admin, encoded, bodies, batches, headers } = await setup;
    const gateway = await startGateway(catalog.prefix);
    try {
      // Warm-up: one batch (schema ids, producer session), not counted.
      const warm = await fetch(`${gateway.url}/v1/predictions`, { method: 'POST', headers, body: bodies[0] });
      if (warm.status !== 202) throw new Error(`the warm-up batch got HTTP ${warm.status}: ${await warm.text()}`);

      // Ceiling: the same records, encoded by the serde, through a raw idempotent producer, to a fresh topic.
      const rawSide = async () => {
        const rawTopic = `${catalog.prefix}raw-ceiling-${round}`;
        await admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: 6 }], waitForLeaders: false });
        await waitForTopics(admin, [rawTopic]);
        const raw = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
        await raw.connect();
        // Warm-up: metadata of the fresh topic and the producer id, not counted (the gateway's is warm too).
        await raw.send({ topic: rawTopic, acks: -1, messages: encoded.slice(0, BATCH) });
        try {
          return await drive(batches, CLIENTS, async (b) => void (await raw.send({ topic: rawTopic, acks: -1, messages: encoded.slice(b * BATCH, (b + 1) * BATCH) })));
        } finally {
          await raw.disconnect();
        }
      };
      const httpSide = async () => {
        let failed = 0;
        const run = await drive(batches, CLIENTS, async (b) => {
          const res = await fetch(`${gateway.url}/v1/predictions`, { method: 'POST', headers, body: bodies[b] });
          await res.arrayBuffer();
          if (res.status !== 202) failed += 1;
        }, gateway.pid);
        if (failed) throw new Error(`${failed} of ${batches} HTTP batches were not accepted`);
        return run;
      };
      const rawFirst = round % 2 === 1;
      const first = rawFirst ? await rawSide() : await httpSide();
      const second = rawFirst ? await httpSide() : await rawSide();
      const [rawRun, httpRun] = rawFirst ? [first, second] : [second, first];

      return {
        params: { records: TOTAL, batch: BATCH, clients: CLIENTS, record: 'PredictionLogged', gateway: 'own process', acks: 'all (idempotent producer)', order: 'raw first in odd rounds, HTTP first in even' },
        figures: [
          {
            figure: 'HTTP accepted predictions/s',
            value: TOTAL / httpRun.seconds,
            unit: 'records/s',
            ceiling: { what: 'raw kafkajs producer records/s', value: TOTAL / rawRun.seconds },
            goal: { on: 'ratio' as const, atLeast: 0.7, text: '>= 0.70 of raw producer' },
          },
          {
            // Less at the mercy of other work on the machine than wall time: what each path costs in CPU
            // (HTTP: this process's client plus the gateway process; raw: this process's producer). The broker's is not counted.
            figure: 'HTTP predictions per CPU second (client + gateway)',
            value: TOTAL / httpRun.cpuSeconds,
            unit: 'records/CPU s',
            ceiling: { what: 'raw producer records per CPU second', value: TOTAL / rawRun.cpuSeconds },
          },
          { figure: 'HTTP batch ack latency p50 (ms)', value: percentile(httpRun.latencies, 0.5), unit: 'ms', ceiling: { what: 'raw producer send p50 (ms)', value: percentile(rawRun.latencies, 0.5) } },
          {
            figure: 'HTTP batch ack latency p99 (ms)',
            value: percentile(httpRun.latencies, 0.99),
            unit: 'ms',
            ceiling: { what: 'raw producer send p99 (ms)', value: percentile(rawRun.latencies, 0.99) },
            goal: { on: 'ratio' as const, atMost: 2, text: '<= 2x raw producer p99' },
          },
        ],
      };
    } finally {
      await gateway.stop();
    }
  },
};
