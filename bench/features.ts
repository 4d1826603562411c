// The online feature store (issue 20): POST /v1/features/online latency (p50 /
// p99) and throughput for 100 entities × 10 features, the features service in
// its own process as deployed, beside a raw in-memory Map lookup of the same
// cells in this process; then freshness after a burst: how long after the
// burst's last record was acknowledged it is servable, beside how long a raw
// kafkajs consumer takes to see it, and what /metrics reports.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { FeatureValuesLogged } from '@mlstream/kit';
import { benchContext } from './setup.ts';
import { freePort } from '../test/helpers/processes.ts';

const ENTITIES = 20_000;
const NUMERIC = 7;
const CATEGORICAL = 3;
const PER_REQUEST = 100;
const REQUESTS = 3_000;
const WARMUP = 300;
const CONCURRENCY = 4;
const BURST = 20_000;
const VIEW = 'bench_view';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const features = [...Array.from({ length: NUMERIC }, (_, i) => `n${i}`), ...Array.from({ length: CATEGORICAL }, (_, i) => `c${i}`)];

function values(entity: number, at: number, salt: number): FeatureValuesLogged {
  return {
    eventId: randomUUID(),
    occurredAt: at,
    view: VIEW,
    viewVersion: 1,
    entityKey: `e${entity}`,
    numericValues: Object.fromEntries(Array.from({ length: NUMERIC }, (_, i) => [`n${i}`, entity * 0.5 + i + salt])),
    categoricalValues: Object.fromEntries(Array.from({ length: CATEGORICAL }, (_, i) => [`c${i}`, `v${(entity + i + salt) % 50}`])),
  };
}

/** Request i's entity keys: 100 pseudo-random entities, the same for the service and the Map. */
function keysOf(i: number): string[] {
  let seed = (i + 1) * 2654435761;
  return Array.from({ length: PER_REQUEST }, () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return `e${seed % ENTITIES}`;
  });
}

async function drive(n: number, concurrency: number, work: (i: number) => Promise<void> | void) {
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

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 180_000, intervalMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`bench features: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export default {
  needsStack: true,
  rounds: 1, // repeats inside its own run (or too slow for five)
  async run() {
    const { kafka, catalog, serde, admin } = await benchContext('features');
    await serde.registerAll();
    const topic = catalog.topic('features');
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
    await producer.connect();
    const send = async (records: FeatureValuesLogged[]) => {
      for (let i = 0; i < records.length; i += 2_000) {
        const encoded = await Promise.all(records.slice(i, i + 2_000).map((r) => serde.encode('FeatureValuesLogged', r)));
        await producer.send({ topic, acks: -1, messages: encoded.map((e) => e.message) });
      }
    };
    const t0 = Date.now() - 3_600_000;
    await send(Array.from({ length: ENTITIES }, (_, e) => values(e, t0 + e, 0)));

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = spawn(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '../services/features/src/main.ts')], {
      env: { ...process.env, MLSTREAM_TOPIC_PREFIX: catalog.prefix, MLSTREAM_HTTP_PORT: String(port), MLSTREAM_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    try {
      // A keep-alive client, as a model server would hold one.
      const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
      const call = (method: 'GET' | 'POST', route: string, body?: unknown) =>
        new Promise<{ status: number; text: string }>((resolve, reject) => {
          const payload = body === undefined ? undefined : JSON.stringify(body);
          const req = http.request({ host: '127.0.0.1', port, path: route, method, agent, headers: payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (text += d));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          });
          req.on('error', reject);
          req.end(payload);
        });
      const online = async (entityKeys: string[]) => {
        const response = await call('POST', '/v1/features/online', { view: VIEW, features, entityKeys });
        if (response.status !== 200) throw new Error(`online: HTTP ${response.status} ${response.text}`);
        return JSON.parse(response.text) as { results: Array<{ entityKey: string; values: Record<string, number | string | null>; statuses: Record<string, string> }> };
      };
      await until(async () => (await fetch(`${url}/readyz`)).status === 200, 'the features service to be ready');
      await until(async () => (await online([`e${ENTITIES - 1}`])).results[0]!.statuses.n0 === 'present', 'every entity to be served');

      // Ceiling: the same cells from a Map in this process (what the service holds, minus HTTP, JSON and TTL checks).
      const map = new Map<string, Record<string, number | string>>();
      for (let e = 0; e < ENTITIES; e++) {
        const v = values(e, 0, 0);
        map.set(`${VIEW}|e${e}`, { ...v.numericValues, ...v.categoricalValues });
      }
      let sink = 0;
      const lookup = (i: number) => {
        const out: Array<Record<string, number | string | null>> = [];
        for (const key of keysOf(i)) {
          const entry = map.get(`${VIEW}|${key}`);
          const row: Record<string, number | string | null> = {};
          for (const f of features) row[f] = entry?.[f] ?? null;
          out.push(row);
        }
        sink += out.length;
      };
      for (let i = 0; i < WARMUP; i++) lookup(i);
      const mapRun = await drive(REQUESTS, 1, lookup);

      // The service: a correctness check, warm-up, then sequential and concurrent clients.
      const check = await online(keysOf(0));
      const wrong = check.results.filter((r) => JSON.stringify(r.values) !== JSON.stringify(Object.fromEntries(features.map((f) => [f, map.get(`${VIEW}|${r.entityKey}`)![f]!]))));
      if (wrong.length) throw new Error(`online answers differ from the Map for ${wrong.length} entities`);
      await drive(WARMUP, 1, async (i) => void (await online(keysOf(i))));
      const sequential = await drive(REQUESTS, 1, async (i) => void (await online(keysOf(i))));
      // Time inside the service over the warm-up and the sequential run (a summary on its /metrics).
      const serverP99 = Number(/^mlstream_feature_online_seconds\{quantile="0.99"[^}]*\} ([0-9.e+-]+)$/m.exec((await call('GET', '/metrics')).text)?.[1] ?? NaN) * 1000;
      // The floor of any answer from that process: an HTTP round trip that reads nothing.
      const healthz = await drive(REQUESTS, 1, async () => void (await call('GET', '/healthz')));
      const concurrent = await drive(REQUESTS, CONCURRENCY, async (i) => void (await online(keysOf(i))));

      // Freshness after a burst: BURST updates with event time = now; the last one is a sentinel value.
      const sentinel = `e${ENTITIES - 7}`;
      const burst = Array.from({ length: BURST }, (_, i) => values(i % ENTITIES, Date.now(), 1));
      burst.push({ ...values(ENTITIES - 7, Date.now(), 2), numericValues: { n0: -42 } });
      let rawSeenAt = 0;
      const raw = kafka.consumer({ groupId: `bench-raw-${randomUUID()}`, maxWaitTimeInMs: 20 });
      await raw.connect();
      await raw.subscribe({ topic, fromBeginning: false });
      let rawAssigned = false;
      raw.on(raw.events.GROUP_JOIN, () => void (rawAssigned = true));
      await raw.run({
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) {
            const decoded = await serde.decode({ topic: batch.topic, partition: batch.partition, message });
            if (decoded.type === 'FeatureValuesLogged' && decoded.value.numericValues?.n0 === -42) rawSeenAt = performance.now();
          }
        },
      });
      await until(async () => rawAssigned, 'the raw consumer to join');
      // Fetch from the latest offsets only once the group has them.
      await new Promise((r) => setTimeout(r, 1_000));
      const burstStart = performance.now();
      await send(burst);
      const acked = performance.now();
      let servedAt = 0;
      await until(
        async () => {
          const r = (await online([sentinel])).results[0]!;
          if (r.values.n0 !== -42) return false;
          servedAt = performance.now();
          return true;
        },
        'the burst to be servable',
        180_000,
        5,
      );
      await until(async () => rawSeenAt > 0, 'the raw consumer to see the burst');
      const metrics = await (await fetch(`${url}/metrics`)).text();
      const gauge = (name: string) => Number(new RegExp(`^${name}\\{[^}]*view="${VIEW}"[^}]*\\} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1] ?? NaN);
      await raw.disconnect();
      agent.destroy();

      const cells = PER_REQUEST * features.length;
      return {
        params: { loadAverage1m: Number(os.loadavg()[0]!.toFixed(1)), entities: ENTITIES, features: features.length, entitiesPerRequest: PER_REQUEST, requests: REQUESTS, concurrency: CONCURRENCY, burst: BURST + 1, sink, note: 'service in its own process over loopback HTTP; the Map in the bench process; 2-core machine shared with other work' },
        figures: [
          { figure: 'online p50, 100 entities × 10 features (ms)', value: percentile(sequential.latencies, 0.5), unit: 'ms', ceiling: { what: 'Map lookup p50 (ms)', value: percentile(mapRun.latencies, 0.5) } },
          { figure: 'online p99, 100 entities × 10 features (ms)', value: percentile(sequential.latencies, 0.99), unit: 'ms', ceiling: { what: 'Map lookup p99 (ms)', value: percentile(mapRun.latencies, 0.99) } },
          { figure: 'online p99 vs an empty round trip (ms)', value: percentile(sequential.latencies, 0.99), unit: 'ms', ceiling: { what: 'GET /healthz p99 (ms)', value: percentile(healthz.latencies, 0.99) } },
          { figure: 'online p99 inside the service (ms)', value: serverP99, unit: 'ms', ceiling: { what: 'Map lookup p99 (ms)', value: percentile(mapRun.latencies, 0.99) } },
          { figure: 'online p99 vs the issue target (ms)', value: percentile(sequential.latencies, 0.99), unit: 'ms', goal: { on: 'value' as const, atMost: 5, text: 'p99 < 5 ms (issue 20)' } },
          { figure: 'online cells/s, 1 client', value: (REQUESTS * cells) / sequential.seconds, unit: 'cells/s', ceiling: { what: 'Map lookup cells/s', value: (REQUESTS * cells) / mapRun.seconds } },
          { figure: `online cells/s, ${CONCURRENCY} clients`, value: (REQUESTS * cells) / concurrent.seconds, unit: 'cells/s', ceiling: { what: 'Map lookup cells/s', value: (REQUESTS * cells) / mapRun.seconds } },
          { figure: `online p99, ${CONCURRENCY} clients (ms)`, value: percentile(concurrent.latencies, 0.99), unit: 'ms', ceiling: { what: 'Map lookup p99 (ms)', value: percentile(mapRun.latencies, 0.99) } },
          { figure: 'burst: feature events/s until servable', value: (BURST + 1) / ((servedAt - burstStart) / 1000), unit: 'events/s', ceiling: { what: 'raw consume+decode events/s', value: (BURST + 1) / ((rawSeenAt - burstStart) / 1000) } },
          { figure: 'burst: last ack → servable (ms)', value: servedAt - acked, unit: 'ms', ceiling: { what: 'last ack → raw consumer (ms)', value: Math.max(1, rawSeenAt - acked) } },
          { figure: 'burst: /metrics apply lag (s)', value: gauge('mlstream_feature_apply_lag_seconds'), unit: 's', ceiling: { what: 'burst produce time (s)', value: (acked - burstStart) / 1000 } },
          { figure: 'burst: /metrics freshness (s)', value: gauge('mlstream_feature_freshness_seconds'), unit: 's', ceiling: { what: 'burst produce time (s)', value: (acked - burstStart) / 1000 } },
        ],
      };
    } finally {
      service.kill('SIGTERM');
      await new Promise((r) => service.once('exit', r));
      await producer.disconnect();
      await admin.disconnect();
    }
  },
};
