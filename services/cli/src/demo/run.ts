import type { DriftDetected, DriftMeasured, RetrainRequested } from '@mlstream/kit';
import { createClient, createHttp } from '@mlstream/sdk';
import { summarize, type AnalyticsSummary } from './analytics.ts';
import { auditModel, type DemoAudit } from './audit.ts';
import { clock, count } from './format.ts';
import { closeTheLoop, type LoopReport } from './loop.ts';
import { resolveDemoOptions, type DemoOptions } from './options.ts';
import { checkGateway, DemoError } from './platform.ts';
import { streamTraffic, watchModel, type StreamResult } from './serving.ts';
import { planStream, type StreamPlan } from './traffic.ts';
import { ingestDataset, promoteBest, trainRuns, type IngestedDataset, type Promotion, type TrainedRun } from './training.ts';

export interface DemoReport {
  model: string;
  version: number;
  seed: number;
  fast: boolean;
  gatewayUrl: string;
  dataset: IngestedDataset;
  runs: TrainedRun[];
  promotion: Omit<Promotion, 'best'> & { bestRunId: string };
  plan: StreamPlan;
  stream: StreamResult;
  /** What the subscribers received, in arrival order. */
  windows: DriftMeasured[];
  detections: DriftDetected[];
  retrains: RetrainRequested[];
  analytics: AnalyticsSummary;
  /** `--loop`: the retrain job, and accuracy before the shift, after it and after the automatic promotion. */
  loop: LoopReport | null;
  audit: DemoAudit | null;
  /** Wall-clock duration per step and in total, ms. */
  steps: Array<{ step: string; ms: number }>;
  durationMs: number;
}

/**
 * The whole lifecycle against a running platform (`npm start`): data →
 * experiments → gated promotion → serving with delayed labels → a shift →
 * drift windows, DriftDetected and RetrainRequested as they happen →
 * analytics from ClickHouse → lineage and drift audit from the Kafka log.
 * `mlstream demo` prints it; the end-to-end test asserts on the report.
 */
export async function runDemo(options: DemoOptions = {}): Promise<DemoReport> {
  const o = resolveDemoOptions(options);
  const started = Date.now();
  const print = (line: string) => o.print(`[${clock(Date.now() - started)}] ${line}`);
  const steps: DemoReport['steps'] = [];
  const TOTAL = (o.skipAudit ? 6 : 7) + (o.loop ? 1 : 0);
  let stepStart = started;
  let current = '';
  const step = (n: number, title: string) => {
    if (current) steps.push({ step: current, ms: Date.now() - stepStart });
    stepStart = Date.now();
    current = title;
    print(`${n}/${TOTAL} ${title}`);
  };

  await checkGateway(o.gatewayUrl);
  const plan = planStream({ windowSize: o.windowSize, consecutiveWindows: o.consecutiveWindows, cleanWindows: o.cleanWindows, qualityWindows: o.qualityWindows });
  print(`mlstream demo: model ${o.model}, seed ${o.seed}${o.fast ? ', fast' : ''}; gateway ${o.gatewayUrl}; drift windows of ${count(o.windowSize)} predictions, ${o.consecutiveWindows} drifted in a row request retraining`);
  const http = createHttp({ baseUrl: o.gatewayUrl, apiKey: o.apiKey, attempts: 3 });
  // One request in flight per stream keeps predictions in order, so the windows are the same in every demo with this seed.
  const client = createClient({ baseUrl: o.gatewayUrl, apiKey: o.apiKey, attempts: 3, batching: { maxBatch: 500, lingerMs: 100, concurrency: 1 }, metricLingerMs: 100 });
  const watch = watchModel(o, (line) => print(line));
  try {
    step(1, 'ingest the training dataset version with its profile');
    const dataset = await ingestDataset(client, o, print);

    step(2, 'three experiment runs with metric curves');
    const runs = await trainRuns(client, o, dataset, print);

    step(3, 'register the best run; promote it through Staging to Production behind a gate');
    const promotion = await promoteBest(client, http, o, runs, print);
    watch.version = promotion.version;

    step(4, `stream predictions at ${count(o.rate)}/s, labels ${(o.labelDelayMs / 1000).toFixed(1)} s later; shift two features and the label relation after ${count(plan.shiftAt)}`);
    const stream = await streamTraffic(client, o, promotion.version, plan, watch, print);
    if (!watch.retrains.length && watch.detections.length) {
      print(`no RetrainRequested although drift was detected: the detector allows one request per model per cooldown (MLSTREAM_DRIFT_COOLDOWN_MS, 1 h of event time by default), and ${o.model} had one recently — run without --model for a fresh model`);
    } else if (!watch.retrains.length) {
      throw new DemoError(
        `no RetrainRequested for ${o.model} v${promotion.version} within ${Math.round(o.settleTimeoutMs / 1000)} s of the last prediction (${watch.windows.length} windows, ${watch.detections.length} DriftDetected seen) — is the drift detector running with windows of ${o.windowSize}? (--window-size / MLSTREAM_DRIFT_WINDOW_SIZE must match it)`,
      );
    }

    let n = 5;
    let loop: LoopReport | null = null;
    if (o.loop) {
      step(n++, 'closing the loop: the orchestrator snapshots the drifted traffic, trains, registers a @challenger, evaluates it and promotes it');
      loop = await closeTheLoop(client, http, o, plan, stream, promotion.version, print);
    }

    step(n++, 'analytics summary from ClickHouse');
    const analytics = await summarize(http, o, promotion.version, promotion.best.runId, stream, { windows: watch.windows.length, detections: watch.detections.length, retrains: watch.retrains.length }, print);

    let audit: DemoAudit | null = null;
    if (!o.skipAudit) {
      step(n++, 'audit: lineage of the production model and the drift decisions, from the Kafka log');
      audit = await auditModel(o, promotion.version, print);
    }
    steps.push({ step: current, ms: Date.now() - stepStart });
    const durationMs = Date.now() - started;
    print(`${TOTAL}/${TOTAL} done in ${clock(durationMs).trim()}: ${count(stream.predictions)} predictions, ${watch.windows.length} drift windows, ${watch.detections.length} DriftDetected, ${watch.retrains.length} RetrainRequested${audit ? `, audit ${audit.drift.findings.length ? `${audit.drift.findings.length} FINDINGS` : 'clean'}` : ''}`);
    const { best, ...rest } = promotion;
    return {
      model: o.model,
      version: promotion.version,
      seed: o.seed,
      fast: o.fast,
      gatewayUrl: o.gatewayUrl,
      dataset,
      runs,
      promotion: { ...rest, bestRunId: best.runId },
      plan,
      stream,
      windows: watch.windows,
      detections: watch.detections,
      retrains: watch.retrains,
      analytics,
      loop,
      audit,
      steps,
      durationMs,
    };
  } finally {
    await Promise.allSettled([watch.stop(), client.close()]);
  }
}
