// `npm run bench -- scale-out`: predictions per second end to end (HTTP POST to the
// gateway until every row is visible in ClickHouse) on the local cluster, with 1 and
// with 2 instances of the gateway and of the materializer, in the same run. The
// cluster is started if it is not running (and left running: `mlstream stack down --cluster`).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { createClickHouse } from '@mlstream/kit';
import { clickhouseClusterName, clusterConnectionEnv, clusterUp, loadClusterSettings } from '@mlstream/cli';
import { benchContext } from './setup.ts';

const TOKEN = 'bench-token';
const TOTAL = Number(process.env.MLSTREAM_BENCH_SCALE_TOTAL ?? 40_000);
const BATCH = 200;
const CONCURRENCY = 8;

const body = (from: number) =>
  JSON.stringify({
    predictions: Array.from({ length: BATCH }, (_, i) => ({
      eventId: randomUUID(),
      occurredAt: 1_764_201_600_000 + from + i,
      requestId: `req-${from + i}`,
      model: `model-${(from + i) % 12}`,
      version: 3,
      numericFeatures: { age: 20 + (i % 50), income: i * 97, tenure: i % 10, score: (i % 100) / 100 },
      categoricalFeatures: { plan: i % 2 ? 'pro' : 'basic', region: i % 3 ? 'us' : 'eu' },
      prediction: (i % 100) / 100,
      probabilities: null,
      latencyMs: i % 20,
      error: null,
    })),
  });

function start(entry: string, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '..', entry)], { env: { ...process.env, MLSTREAM_LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function ready(port: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (!(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false))) {
    if (Date.now() > deadline) throw new Error(`port ${port} not ready within 120 s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** One configuration: n gateways and n materializers on a fresh prefix and database; predictions/s HTTP → ClickHouse. */
async function measure(instances: number, portBase: number) {
  const { catalog, serde, stamp } = await benchContext(`scale${instances}`);
  await serde.registerAll();
  const db = `bench_scale${instances}_${stamp}`;
  const children: ChildProcess[] = [];
  const clickhouse = createClickHouse({ url: process.env.MLSTREAM_CLICKHOUSE_URL! });
  try {
    const ports = Array.from({ length: instances }, (_, i) => portBase + i);
    for (const [i, port] of ports.entries()) {
      children.push(start('services/materializer/src/main.ts', { MLSTREAM_TOPIC_PREFIX: catalog.prefix, MLSTREAM_CLICKHOUSE_DATABASE: db, MLSTREAM_HTTP_PORT: String(port + 10) }));
      // The first materializer migrates alone (ON CLUSTER DDL), the second joins its group.
      if (i === 0) await ready(port + 10);
      children.push(
        start('services/gateway/src/main.ts', {
          MLSTREAM_TOPIC_PREFIX: catalog.prefix,
          MLSTREAM_GATEWAY_PORT: String(port),
          MLSTREAM_GATEWAY_API_KEYS: `bench:${createHash('sha256').update(TOKEN).digest('hex')}:write:predictions`,
        }),
      );
    }
    for (const port of ports) await Promise.all([ready(port), ready(port + 10)]);
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const batches = TOTAL / BATCH;
    const bodies = Array.from({ length: batches }, (_, b) => body(b * BATCH));
    let next = 0;
    const begun = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async (_, worker) => {
        while (next < batches) {
          const b = next++;
          const port = ports[(b + worker) % ports.length]!;
          for (;;) {
            const res = await fetch(`http://127.0.0.1:${port}/v1/predictions`, { method: 'POST', headers, body: bodies[b] });
            await res.arrayBuffer();
            if (res.status === 202) break;
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      }),
    );
    const accepted = performance.now();
    for (;;) {
      const rows = await (await clickhouse.query({ query: `SELECT count() AS n FROM ${db}.predictions`, format: 'JSONEachRow' })).json<{ n: string }>().catch(() => [{ n: '0' }]);
      if (Number(rows[0]?.n) >= TOTAL) break;
      if (performance.now() - begun > 600_000) throw new Error(`not all ${TOTAL} rows visible after 600 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const visible = performance.now();
    return { endToEnd: TOTAL / ((visible - begun) / 1000), http: TOTAL / ((accepted - begun) / 1000) };
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${db} ON CLUSTER ${clickhouseClusterName}` }).catch(() => {});
    await clickhouse.close();
  }
}

export default {
  needsStack: false,
  rounds: 1, // repeats inside its own run (or too slow for five)
  async run() {
    const cluster = loadClusterSettings();
    await clusterUp((line) => console.error(`mlstream: ${line}`), cluster);
    Object.assign(process.env, clusterConnectionEnv(cluster));
    const base = cluster.ports.services + 150;
    const one = await measure(1, base);
    const two = await measure(2, base + 20);
    return {
      params: { total: TOTAL, batch: BATCH, concurrency: CONCURRENCY, brokers: 3, clickhouseReplicas: 2 },
      figures: [
        { figure: 'end to end, 2 gateways + 2 materializers', value: two.endToEnd, unit: 'predictions/s', ceiling: { what: '1 gateway + 1 materializer', value: one.endToEnd } },
        { figure: 'HTTP accepted, 2 gateways', value: two.http, unit: 'predictions/s', ceiling: { what: '1 gateway', value: one.http } },
      ],
    };
  },
};
