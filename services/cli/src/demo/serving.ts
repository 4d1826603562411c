import type { DriftDetected, DriftMeasured, RetrainRequested } from '@mlstream/kit';
import { subscribeDriftSse, subscribeRetrainSse, type MlstreamClient } from '@mlstream/sdk';
import { shiftedFeatures } from './data.ts';
import { count, retrainBanner, windowLine } from './format.ts';
import type { ResolvedDemoOptions } from './options.ts';
import { sleep } from './platform.ts';
import { servingTraffic, type StreamPlan } from './traffic.ts';

/** What the demo's subscribers saw of one model version: drift windows, detections, retrain requests. */
export interface Watch {
  windows: DriftMeasured[];
  detections: DriftDetected[];
  retrains: RetrainRequested[];
  /** Only this version's events count (set once it is registered). */
  version: number | null;
  /** When the last event was shown (epoch ms). */
  lastShownAt: number;
  stop(): Promise<void>;
}

/**
 * Opens both subscriptions before anything is produced, from the start of the
 * topics (filtered by model and version), so no event can slip past: the
 * drift windows over the gateway's SSE stream, and RetrainRequested with the
 * SDK's `subscribeRetrainSse`, as a retraining system would.
 */
export function watchModel(o: ResolvedDemoOptions, print: (line: string) => void): Watch {
  const watch: Watch = {
    windows: [],
    detections: [],
    retrains: [],
    version: null,
    lastShownAt: 0,
    stop: async () => void (await Promise.all([drift.stop(), retrain.stop()])),
  };
  const mine = (v: { model: string; version: number }) => v.model === o.model && v.version === watch.version;
  let warned = false;
  const onError = (error: unknown) => {
    if (!warned) print(`(event stream interrupted, reconnecting: ${error instanceof Error ? error.message : String(error)})`);
    warned = true;
  };
  const stream = { baseUrl: o.gatewayUrl, apiKey: o.apiKey, model: o.model, from: 'earliest' as const, reconnectMs: 1_000, onError };
  const drift = subscribeDriftSse({
    ...stream,
    handler: (e) => {
      if (!mine(e.value)) return;
      watch.lastShownAt = Date.now();
      if (e.type === 'DriftMeasured') {
        if (watch.windows.some((w) => w.eventId === e.value.eventId)) return;
        watch.windows.push(e.value);
        if (watch.windows.length === 1) print(`  drift reference: ${e.value.referenceId.startsWith('dataset:') ? `the training data's profile (${e.value.referenceId})` : `the first window (${e.value.referenceId})`}`);
        print(`  ${windowLine(e.value)}`);
      } else if (!watch.detections.some((d) => d.eventId === e.value.eventId)) {
        watch.detections.push(e.value);
        print(`  DriftDetected at ${e.value.windowId}: ${e.value.reason}`);
      }
    },
  });
  const retrain = subscribeRetrainSse({
    ...stream,
    handler: (r) => {
      // Requests arrive at least once: a retraining system keys its job by idempotencyKey.
      if (!mine(r) || watch.retrains.some((x) => x.idempotencyKey === r.idempotencyKey)) return;
      watch.retrains.push(r);
      for (const line of retrainBanner(r, 'GET /v1/streams/retrain')) print(line);
    },
  });
  return watch;
}

export interface StreamResult {
  predictions: number;
  labels: number;
  errors: number;
  /** Wall-clock bounds (epoch ms) of the clean and the shifted traffic. */
  startedAt: number;
  shiftedAt: number | null;
  endedAt: number;
  /** Predictions sent when the retrain request arrived (null: it did not). */
  retrainAfter: number | null;
  /** The served model against the labels that arrived, before and after the shift. */
  accuracy: { beforeShift: LabeledCount; afterShift: LabeledCount };
}

export interface LabeledCount {
  labeled: number;
  correct: number;
}

/**
 * Step: a model server's traffic at a steady rate, labels arriving
 * `labelDelayMs` later (some never), the shift at `plan.shiftAt`. Stops once
 * the retrain request arrived past the expected point, or at `maxPredictions`,
 * then waits for it a little longer.
 */
export async function streamTraffic(client: MlstreamClient, o: ResolvedDemoOptions, version: number, plan: StreamPlan, watch: Watch, print: (line: string) => void): Promise<StreamResult> {
  const traffic = servingTraffic({ seed: o.seed, requestPrefix: `${o.model}-v${version}`, shiftAt: plan.shiftAt, nullFeature: plan.qualityIncident });
  const labels: Array<{ due: number; requestId: string; label: string }> = [];
  const result: StreamResult = { predictions: 0, labels: 0, errors: 0, startedAt: Date.now(), shiftedAt: null, endedAt: 0, retrainAfter: null, accuracy: { beforeShift: { labeled: 0, correct: 0 }, afterShift: { labeled: 0, correct: 0 } } };
  let lastStatus = Date.now();
  const sendDueLabels = async (now: number) => {
    while (labels.length && labels[0]!.due <= now) {
      const l = labels.shift()!;
      await client.feedback.log({ requestId: l.requestId, model: o.model, label: l.label });
      result.labels += 1;
    }
  };
  while (result.predictions < plan.maxPredictions) {
    if (watch.retrains.length && result.predictions >= plan.expectRetrainAfter) break;
    const now = Date.now();
    const target = Math.min(plan.maxPredictions, Math.floor(((now - result.startedAt) / 1000) * o.rate));
    while (result.predictions < target) {
      if (result.predictions === plan.shiftAt) {
        result.shiftedAt = Date.now();
        print(`  ── shift after ${count(plan.shiftAt)} predictions: ${shiftedFeatures[1]} −2σ, ${shiftedFeatures[0]} +2σ, and long-standing customers now churn (the label relation changes) ──`);
      }
      if (result.predictions === plan.qualityIncident.from) print(`  ── data-quality incident: ${plan.qualityIncident.feature} arrives null in predictions ${count(plan.qualityIncident.from)}..${count(plan.qualityIncident.to - 1)} (a broken upstream feed) ──`);
      if (result.predictions === plan.qualityIncident.to) print(`  ── ${plan.qualityIncident.feature} arrives again ──`);
      const r = traffic.next();
      await client.predictions.log({ requestId: r.requestId, model: o.model, version, ...r.features, prediction: r.prediction, probabilities: r.probabilities, latencyMs: r.latencyMs, error: r.error });
      result.predictions += 1;
      if (r.error) result.errors += 1;
      if (r.label) {
        labels.push({ due: Date.now() + o.labelDelayMs, requestId: r.requestId, label: r.label });
        const side = r.shifted ? result.accuracy.afterShift : result.accuracy.beforeShift;
        side.labeled += 1;
        if (r.prediction === r.label) side.correct += 1;
      }
    }
    await sendDueLabels(Date.now());
    if (watch.retrains.length && result.retrainAfter === null) result.retrainAfter = result.predictions;
    // A status line only when nothing else was shown for a while.
    if (!o.fast && Date.now() - Math.max(lastStatus, watch.lastShownAt) >= 10_000) {
      lastStatus = Date.now();
      print(`  … ${count(result.predictions)} predictions (${o.rate}/s), ${count(result.labels)} labels, drift windows measured: ${watch.windows.length}`);
    }
    await sleep(Math.max(5, Math.min(100, 1000 / o.rate)));
  }
  // The last labels arrive late, all at once.
  await sendDueLabels(Infinity);
  await client.flush();
  result.endedAt = Date.now();
  print(`  streamed ${count(result.predictions)} predictions (${count(result.errors)} failed) and ${count(result.labels)} labels in ${((result.endedAt - result.startedAt) / 1000).toFixed(1)} s`);
  // Let the detector catch up, so every full window is shown here, before the summary.
  const windows = Math.floor(result.predictions / plan.windowSize);
  const deadline = Date.now() + o.settleTimeoutMs;
  let caughtUpAt: number | null = null;
  while (Date.now() < deadline) {
    if (watch.windows.length >= windows) caughtUpAt ??= Date.now();
    if (caughtUpAt !== null && watch.retrains.length) break;
    // Detected but not requested: the model's retrain cooldown (a reused --model); no need to wait the whole timeout.
    if (caughtUpAt !== null && watch.detections.length && Date.now() - caughtUpAt > 5_000) break;
    await sleep(200);
  }
  if (result.retrainAfter === null && watch.retrains.length) result.retrainAfter = result.predictions;
  return result;
}
