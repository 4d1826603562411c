// `npm run bench -- mlflow`: the same MLflow client workload
// (test/mlflow/bench_workload.py: create_run → log_batch (params + metrics ×
// steps + tags) → set_terminated on 4 client threads, then search_runs and
// write-to-visible latency) against mlstream's gateway and against a local
// `mlflow server` (pip mlflow 3.17.2, sqlite, one worker, started and stopped
// here by pid), alternated round by round in one run, each target growing its
// own experiment. MLflow is the "ceiling" column: for runs/s the ratio should
// be ≥ 2, for latencies ≤ 0.5.
//   MLSTREAM_BENCH_MLFLOW_ROUNDS (default 2), _RUNS (runs per round per target,
//   default 200), _SEED (light runs added to each experiment before the last
//   round, default 0: e.g. 10000 for search at 10 000 runs; written fast and
//   NOT through HTTP: MLflow's through its own sqlite store API, mlstream's as
//   StartRun / LogBatch / FinishRun commands straight to Kafka, both
//   processed by the real servers), _VISIBILITY (write-to-visible samples,
//   default 200).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { experimentIdOf, type EncodedRecord, type Serde } from '@mlstream/kit';
import type { Kafka } from 'kafkajs';
import { ensurePythonEnv } from '../test/helpers/python.ts';
import { benchContext } from './setup.ts';
import type { Figure } from './summary.ts';
import { freePort } from '../test/helpers/processes.ts';

const TOKEN = 'bench-mlflow-token';
const root = path.resolve(import.meta.dirname, '..');
const int = (name: string, fallback: number) => Number.parseInt(process.env[name] ?? '', 10) || fallback;

async function until(what: string, probe: () => Promise<boolean>, failed: () => Error | undefined, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    const failure = failed();
    if (failure) throw new Error(`${what} could not start: ${failure.message}`, { cause: failure });
    if (Date.now() > deadline) throw new Error(`${what} not ready within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    // Not unref'd: the bench must not exit while a child it started is still alive.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => clearTimeout(timer));
  });

interface Summary {
  p50_ms: number;
  p99_ms: number;
}
interface Workload {
  runs_completed: number;
  errors: number;
  first_errors: string[];
  runs_per_s: number;
  latency: Record<'create_run' | 'log_batch' | 'update_run', Summary>;
  search: { runs_in_experiment: number; filtered_order_by_max100: Summary; all_order_by_start_time_max1000: Summary };
  write_to_visible: { get_run_after_ack: Summary; search_after_ack: Summary };
}

function workload(python: string, uri: string, args: string[]): Promise<Workload> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.join(root, 'test/mlflow/bench_workload.py'), '--uri', uri, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        const result = JSON.parse(out.trim().split('\n').at(-1) ?? '') as Workload;
        if (result.errors) console.error(`bench: ${result.errors} workload errors against ${uri.replace(/\/\/[^@]*@/, '//')}: ${result.first_errors.join(' | ')}`);
        resolve(result);
      } catch {
        reject(new Error(`bench_workload.py exited ${code} without a result: ${out.slice(-2000)}`));
      }
    });
  });
}

/** How many runs an MLflow-speaking server lists in an experiment (one search of up to 50 000). */
async function countRuns(base: string, auth: string | undefined, experimentId: string): Promise<number> {
  const res = await fetch(`${base}/api/2.0/mlflow/runs/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify({ experiment_ids: [experimentId], max_results: 50_000 }),
  });
  const body = (await res.json()) as { runs?: unknown[] };
  return body.runs?.length ?? 0;
}

/** N light runs as commands on mlstream's runs command topic; resolves once the gateway's view lists them all. */
async function seedMlstream(kafka: Kafka, serde: Serde, experiment: string, n: number, visible: () => Promise<number>): Promise<number> {
  const started = performance.now();
  const before = await visible();
  const experimentId = experimentIdOf(experiment);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  const now = Date.now();
  const header = () => ({ eventId: randomUUID(), occurredAt: now, commandId: randomUUID(), actor: 'bench-seed', expectedVersion: null });
  for (let from = 0; from < n; from += 1000) {
    const records: EncodedRecord[] = [];
    for (let i = from; i < Math.min(n, from + 1000); i++) {
      const runId = randomUUID().replaceAll('-', '');
      records.push(await serde.encode('StartRun', { ...header(), runId, experiment, experimentId, name: `seed-${i}`, tags: { bench: 'seed' }, codeVersion: null }));
      records.push(
        await serde.encode('LogBatch', {
          ...header(),
          runId,
          params: { p0: String(i % 13), p1: String(i % 7) },
          metrics: [
            { key: 'm0', value: (i % 100) / 100, step: 0, timestamp: now },
            { key: 'm1', value: (i % 37) / 37, step: 0, timestamp: now },
          ],
          tags: {},
        }),
      );
      records.push(await serde.encode('FinishRun', { ...header(), runId, status: 'FINISHED' }));
    }
    const topic = records[0]!.topic;
    await producer.send({ topic, acks: -1, messages: records.map((r) => r.message) });
  }
  await producer.disconnect();
  await until('the seeded runs', async () => (await visible()) >= before + n, () => undefined, 600_000);
  return (performance.now() - started) / 1000;
}

export default {
  needsStack: true,
  rounds: 1, // repeats inside its own run (or too slow for five)
  async run() {
    const rounds = int('MLSTREAM_BENCH_MLFLOW_ROUNDS', 2);
    const runsPerRound = int('MLSTREAM_BENCH_MLFLOW_RUNS', 200);
    const seed = int('MLSTREAM_BENCH_MLFLOW_SEED', 0);
    const client = ensurePythonEnv({ requirements: path.join(root, 'test/mlflow/requirements-client.txt'), name: 'mlflow-client' }).python;
    const server = ensurePythonEnv({ requirements: path.join(root, 'test/mlflow/requirements-server.txt'), name: 'mlflow-server' }).python;
    const visibility = int('MLSTREAM_BENCH_MLFLOW_VISIBILITY', 200);
    const { catalog, admin, serde, kafka } = await benchContext('mlflow');
    await admin.disconnect();
    // Schemas first, as `npm start` does: services starting together on a fresh prefix would race to register them.
    await serde.registerAll();

    // mlstream: the processors and the gateway, each in its own process, as deployed.
    const gatewayPort = await freePort();
    const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: catalog.prefix, MLSTREAM_LOG_LEVEL: 'warn', MLSTREAM_GATEWAY_PORT: String(gatewayPort), MLSTREAM_GATEWAY_API_KEYS: `bench:${createHash('sha256').update(TOKEN).digest('hex')}:admin` };
    const tsx = (entry: string) => spawn(process.execPath, ['--import', 'tsx', path.join(root, entry)], { env, stdio: ['ignore', 'inherit', 'inherit'] });
    const children = [tsx('services/tracking/src/main.ts'), tsx('services/registry/src/main.ts'), tsx('services/gateway/src/main.ts')];
    // MLflow: pip's mlflow server, sqlite, one worker.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstream-bench-mlflow-'));
    const mlflowPort = await freePort();
    // `python -m mlflow`: the venv's launcher scripts name the folder it was built in (see test/helpers/python.ts).
    children.push(
      spawn(server, ['-m', 'mlflow', 'server', '--host', '127.0.0.1', '--port', String(mlflowPort), '--workers', '1', '--backend-store-uri', `sqlite:///${dir}/db.sqlite`, '--artifacts-destination', `${dir}/artifacts`], {
        stdio: ['ignore', 'ignore', 'inherit'],
      }),
    );
    let spawnFailure: Error | undefined;
    for (const child of children) child.on('error', (error) => (spawnFailure ??= error));
    const targets = {
      mlstream: `http://bench:${TOKEN}@127.0.0.1:${gatewayPort}`,
      mlflow: `http://127.0.0.1:${mlflowPort}`,
    };
    try {
      await until('the gateway', async () => (await fetch(`http://127.0.0.1:${gatewayPort}/readyz`)).ok, () => spawnFailure);
      await until('mlflow server', async () => (await fetch(`${targets.mlflow}/health`)).ok, () => spawnFailure);
      const experiment = `bench-${Date.now().toString(36)}`;
      const last: Partial<Record<keyof typeof targets, Workload>> = {};
      const rates: Record<keyof typeof targets, number[]> = { mlstream: [], mlflow: [] };
      for (let round = 1; round <= rounds; round++) {
        if (round === rounds && seed > 0) {
          console.error(`bench: seeding ${seed} light runs into each experiment…`);
          const auth = `Basic ${Buffer.from(`bench:${TOKEN}`).toString('base64')}`;
          const ours = await seedMlstream(kafka, serde, experiment, seed, () => countRuns(`http://127.0.0.1:${gatewayPort}`, auth, experimentIdOf(experiment)));
          const theirs = await new Promise<string>((resolve, reject) => {
            const child = spawn(server, [path.join(root, 'test/mlflow/seed_mlflow_store.py'), '--db', `${dir}/db.sqlite`, '--artifacts', `${dir}/artifacts`, '--experiment', experiment, '--runs', String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            child.stdout.on('data', (d: Buffer) => (out += d.toString()));
            child.on('error', reject);
            child.on('close', (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`seed_mlflow_store.py exited ${code}`))));
          });
          console.error(`bench: seeded mlstream in ${ours.toFixed(1)} s (Kafka commands → processor → view); MLflow ${theirs}`);
        }
        for (const name of round % 2 ? (['mlflow', 'mlstream'] as const) : (['mlstream', 'mlflow'] as const)) {
          const result = await workload(client, targets[name], ['--experiment', experiment, '--runs', String(runsPerRound), '--clients', '4', '--visibility-samples', String(visibility)]);
          rates[name].push(result.runs_per_s);
          last[name] = result;
          console.error(`bench: round ${round} ${name}: ${result.runs_per_s} runs/s, ${result.search.runs_in_experiment} runs in the experiment, search p50 ${result.search.filtered_order_by_max100.p50_ms} ms`);
        }
      }
      const ours = last.mlstream!;
      const theirs = last.mlflow!;
      const vs = (figure: string, unit: string, a: number, b: number): Figure => ({ figure, value: a, unit, ceiling: { what: 'MLflow 3.17.2 server (sqlite)', value: b } });
      return {
        params: { rounds, runsPerRound, seed, visibilitySamples: visibility, clients: 4, runShape: '10 params, 10 metrics × 5 steps, 2 tags, one log_batch', runsInExperimentAtLastSearch: { mlstream: ours.search.runs_in_experiment, mlflow: theirs.search.runs_in_experiment } },
        figures: [
          // Each round's pair ran back to back under the same load: one figure per round, never a mix of rounds.
          ...rates.mlstream.map((rate, i) => vs(`runs/s, round ${i + 1}${seed > 0 && i + 1 === rounds ? ' (after the seed)' : ''}`, 'runs/s', rate, rates.mlflow[i]!)),
          vs('create_run p50 (ms)', 'ms', ours.latency.create_run.p50_ms, theirs.latency.create_run.p50_ms),
          vs('create_run p99 (ms)', 'ms', ours.latency.create_run.p99_ms, theirs.latency.create_run.p99_ms),
          vs('log_batch p50 (ms)', 'ms', ours.latency.log_batch.p50_ms, theirs.latency.log_batch.p50_ms),
          vs('log_batch p99 (ms)', 'ms', ours.latency.log_batch.p99_ms, theirs.latency.log_batch.p99_ms),
          vs('set_terminated p99 (ms)', 'ms', ours.latency.update_run.p99_ms, theirs.latency.update_run.p99_ms),
          vs('search filtered, top 100 p50 (ms)', 'ms', ours.search.filtered_order_by_max100.p50_ms, theirs.search.filtered_order_by_max100.p50_ms),
          vs('search filtered, top 100 p99 (ms)', 'ms', ours.search.filtered_order_by_max100.p99_ms, theirs.search.filtered_order_by_max100.p99_ms),
          vs('search all, 1000 by start_time p50 (ms)', 'ms', ours.search.all_order_by_start_time_max1000.p50_ms, theirs.search.all_order_by_start_time_max1000.p50_ms),
          vs('write-to-visible get_run p99 (ms)', 'ms', ours.write_to_visible.get_run_after_ack.p99_ms, theirs.write_to_visible.get_run_after_ack.p99_ms),
          vs('write-to-visible search p99 (ms)', 'ms', ours.write_to_visible.search_after_ack.p99_ms, theirs.write_to_visible.search_after_ack.p99_ms),
        ],
      };
    } finally {
      await Promise.all(children.map(stop));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
