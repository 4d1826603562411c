// The seeded lifecycle the console is looked at after, on its own topic prefix
// and ClickHouse database (platform.ts):
//   1. `mlstream demo --fast` (services/cli/src/demo): a dataset version, three
//      runs with curves, v1 registered and promoted Staging → Production behind
//      a gate, @champion, served traffic, a shift, drift windows, DriftDetected
//      and RetrainRequested;
//   2. two more versions: v2 promoted behind a gate (v1 archived), v3 in Staging
//      as @challenger, with traffic for both (model health's overlay);
//   3. a sweep of 10 000 runs in its own experiment, written straight to the
//      runs topic (sweep.ts: ~5 s here; through POST /v1/runs + /batch +
//      /finish with 8 clients it was 16 runs/s, ~10 min for 10 000);
//   4. a wide model (50 features) with 200 drift windows for the heatmap.
import type { Kafka } from 'kafkajs';
import { createSchemaRegistryClient, createSerde, experimentIdOf, resolveCatalog, type Serde } from '@mlstream/kit';
import { createClient } from '@mlstream/sdk';
import { runDemo, type DemoReport } from '../../services/cli/src/demo/index.ts';
import { connections, testKafka, waitFor } from '../helpers/index.ts';
import { churnTraffic, wideStream, writePredictions } from './drift-stream.ts';
import { API_KEY, startPlatform, type Platform } from './platform.ts';
import { sweepRuns, writeSweep, type SweepRun } from './sweep.ts';

export const SWEEP_RUNS = 10_000;
export const WIDE_WINDOWS = 200;
const WINDOW = 200;
const WIDE_WINDOW = 50;
const K = 2;

export interface Seeded {
  platform: Platform;
  kafka: Kafka;
  serde: Serde;
  /** The churn model of the demo, its runs and drift. */
  demo: DemoReport;
  model: string;
  versions: { champion: number; challenger: number; archived: number };
  sweep: { experiment: string; experimentId: string; runs: SweepRun[]; writeMs: number; visibleMs: number };
  wide: { model: string; version: number; windowSize: number; writeMs: number; measuredMs: number };
  /** Seconds per step, for the report. */
  timings: Record<string, number>;
  get<T>(path: string): Promise<T>;
  stop(): Promise<void>;
}

export async function seedLifecycle(log: (line: string) => void = () => {}): Promise<Seeded> {
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (step: string) => {
    timings[step] = (Date.now() - mark) / 1000;
    log(`seed: ${step} ${timings[step]!.toFixed(1)} s`);
    mark = Date.now();
  };
  const tag = Date.now().toString(36).slice(-5);
  const model = `churn-${tag}`;
  const wideModel = `wide-${tag}`;
  const platform = await startPlatform({
    label: 'browser',
    env: {
      MLSTREAM_DRIFT_WINDOW_SIZE: String(WINDOW),
      MLSTREAM_DRIFT_CONSECUTIVE_WINDOWS: String(K),
      MLSTREAM_DRIFT_MODELS: JSON.stringify({ [wideModel]: { windowSize: WIDE_WINDOW } }),
    },
  });
  lap('platform');
  const catalog = resolveCatalog(platform.prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/browser-test' });
  const kafka = testKafka('browser-seed');
  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${platform.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${API_KEY}` } });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const client = createClient({ baseUrl: platform.gatewayUrl, apiKey: API_KEY, attempts: 3 });
  try {
    const lines: string[] = [];
    const demo = await runDemo({ fast: true, model, gatewayUrl: platform.gatewayUrl, skipAudit: true, env: { ...process.env, ...platform.env }, print: (line) => void lines.push(line) }).catch((error: unknown) => {
      throw new Error(`the demo failed: ${(error as Error).message}\n${lines.join('\n')}\n${platform.logs()}`, { cause: error });
    });
    lap('demo');
    // After the demo, not beside it: once, with 40 000 sweep records landing in ClickHouse at the same time,
    // the demo's POST /v1/runs/search answered its three runs in ascending val_auc order (reported; not ours to fix here).
    const sweepExperiment = `sweep-${tag}`;
    const runs = sweepRuns({ seed: 7, count: SWEEP_RUNS, tag: `sw${tag}`, startAt: Date.now() - 6 * 3_600_000 });
    const { ms: writeMs } = await writeSweep({ kafka, serde, experiment: sweepExperiment, runs });
    const experimentId = experimentIdOf(sweepExperiment);
    const lastName = runs.at(-1)!.name;
    await waitFor(async () => (await get<{ runs: unknown[] }>(`/v1/experiments/${experimentId}/runs?maxResults=1&filter=${encodeURIComponent(`attributes.run_name = '${lastName}'`)}`)).runs.length > 0, { what: 'the sweep in the gateway view', timeoutMs: 60_000 });
    lap('sweep');

    // Two more versions of the churn model, from the demo's other runs.
    const others = demo.runs.filter((r) => r.runId !== demo.promotion.bestRunId);
    const v2 = (await client.models.register(model, { runId: others[0]!.runId, artifactUri: `file://demo/models/${model}/${others[0]!.name}.pkl`, description: 'retrained after drift', reason: 'retrain request' })).version;
    const v3 = (await client.models.register(model, { runId: others[1]!.runId, artifactUri: `file://demo/models/${model}/${others[1]!.name}.pkl`, description: 'challenger', reason: 'candidate' })).version;
    await client.models.transition(model, v2, 'STAGING', { reason: 'shadow traffic looks fine' });
    await client.models.transition(model, v2, 'PRODUCTION', { gate: { metric: 'val_auc', comparator: 'GTE', threshold: 0.5 }, reason: 'gate: val_auc >= 0.5' });
    await client.models.setAlias(model, 'champion', v2, { reason: 'promoted to production' });
    await client.models.transition(model, v3, 'STAGING', { reason: 'challenger under evaluation' });
    await client.models.setAlias(model, 'challenger', v3, { reason: 'A/B against the champion' });
    const now = Date.now();
    await writePredictions(kafka, serde, [
      ...churnTraffic({ model, version: v2, count: 600, from: now - 30 * 60_000, to: now, seed: 11 }),
      ...churnTraffic({ model, version: v3, count: 600, from: now - 30 * 60_000, to: now, seed: 12, latencyScale: 1.6 }),
    ].sort((a, b) => a.occurredAt - b.occurredAt));
    lap('registry');

    // The wide model: registered from a sweep run (no inputs, so the first window is the reference).
    const wideVersion = (await client.models.register(wideModel, { runId: runs[0]!.runId, artifactUri: `file://models/${wideModel}.pkl`, description: '50 features', reason: 'heatmap' })).version;
    const wideStart = Date.now() - 40 * 60_000;
    const wideWriteMs = await writePredictions(kafka, serde, wideStream({ model: wideModel, version: wideVersion, windowSize: WIDE_WINDOW, windows: WIDE_WINDOWS, startAt: wideStart, stepMs: 200 }));
    const measuredStart = Date.now();
    await waitFor(async () => (await get<{ measurements: unknown[] }>(`/v1/models/${wideModel}/drift?version=${wideVersion}&limit=10000`)).measurements.length >= WIDE_WINDOWS, { what: `${WIDE_WINDOWS} windows of ${wideModel} in ClickHouse`, timeoutMs: 120_000, intervalMs: 500 });
    const measuredMs = Date.now() - measuredStart;
    lap('wide drift');

    return {
      platform,
      kafka,
      serde,
      demo,
      model,
      versions: { champion: v2, challenger: v3, archived: demo.version },
      sweep: { experiment: sweepExperiment, experimentId, runs, writeMs, visibleMs: timings.sweep! * 1000 },
      wide: { model: wideModel, version: wideVersion, windowSize: WIDE_WINDOW, writeMs: wideWriteMs, measuredMs },
      timings,
      get,
      async stop() {
        await client.close();
        await platform.stop();
      },
    };
  } catch (error) {
    await client.close();
    await platform.stop();
    throw error;
  }
}
