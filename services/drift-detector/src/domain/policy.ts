import { deterministicUuid } from '@mlstream/kit';
import type { DetectorConfig } from './config.ts';
import type { summarize } from './label-join.ts';
import type { DetectorState, StreamState } from './state.ts';
import type { DetectorOutput } from './records.ts';

// The retrain policy: a performance drop against the version's baseline window,
// hysteresis (K drifted windows in a row) and a per-model cooldown in event time.

/** Evidence name of a performance drop among the drifted features of RetrainRequested. */
export const PERFORMANCE = '__performance__';

export type Performance = ReturnType<typeof summarize>;
export type PerformanceDrop = { metric: string; baseline: number; current: number; threshold: number; baselineWindowId: string };

/** The first window with enough labels sets the baseline; later ones are judged against it. */
export function judgePerformance(stream: StreamState, performance: Performance, windowId: string, config: DetectorConfig): PerformanceDrop | null {
  if (!performance || performance.labeled < config.minLabeled) return null;
  const metric = performance.accuracy !== null ? 'accuracy' : 'mae';
  const value = metric === 'accuracy' ? performance.accuracy : performance.mae;
  if (value === null) return null;
  const baseline = stream.performanceBaseline;
  if (!baseline) {
    stream.performanceBaseline = { metric, value, windowId };
    return null;
  }
  if (baseline.metric !== metric) return null;
  const dropped = metric === 'accuracy' ? value < baseline.value - config.accuracyDrop : value > baseline.value * (1 + config.errorIncrease);
  if (!dropped) return null;
  return { metric, baseline: baseline.value, current: value, threshold: metric === 'accuracy' ? config.accuracyDrop : config.errorIncrease, baselineWindowId: baseline.windowId };
}

export const describeDrift = (share: number, features: string[], drop: PerformanceDrop | null) =>
  [
    features.length ? `${(share * 100).toFixed(0)}% of features drifted: ${features.join(', ')}` : '',
    drop ? `${drop.metric} ${drop.current.toFixed(3)} vs baseline ${drop.baseline.toFixed(3)}` : '',
  ]
    .filter(Boolean)
    .join('; ');

/** Hysteresis (K drifted windows in a row) and a per-model cooldown in event time. */
export function applyPolicy(state: DetectorState, stream: StreamState, evidence: StreamState['streak'][number], drifted: boolean, at: number, config: DetectorConfig, why: string): DetectorOutput[] {
  if (!drifted) {
    stream.streak = [];
    return [];
  }
  stream.streak.push(evidence);
  if (stream.streak.length < config.consecutiveWindows) return [];
  const { model, version } = stream;
  const streak = stream.streak;
  stream.streak = [];
  const policy = { consecutiveWindows: config.consecutiveWindows, cooldownMs: config.cooldownMs, datasetDriftShare: config.datasetDriftShare };
  const detectedId = deterministicUuid(`drift:${evidence.windowId}:detected`);
  const outputs: DetectorOutput[] = [
    {
      type: 'DriftDetected',
      value: {
        eventId: detectedId,
        occurredAt: at,
        model,
        version,
        windowId: evidence.windowId,
        measurementIds: streak.map((e) => e.eventId),
        driftedFeatures: evidence.features,
        reason: `${streak.length} consecutive drifted windows (dataset drift at ${config.datasetDriftShare * 100}% of features, or a performance drop); last: ${why}`,
        policy,
      },
    },
  ];
  const modelState = state.models[model]!;
  if (modelState.lastRetrainAt === null || at - modelState.lastRetrainAt >= config.cooldownMs) {
    modelState.lastRetrainAt = at;
    const idempotencyKey = deterministicUuid(`retrain:${model}:${version}:${streak.map((e) => e.eventId).join(',')}`);
    outputs.push({
      type: 'RetrainRequested',
      value: {
        eventId: idempotencyKey,
        occurredAt: at,
        model,
        version,
        idempotencyKey,
        reason: `drift detected on ${model} v${version}: ${evidence.features.join(', ')}`,
        evidence: [...streak, { eventId: detectedId, windowId: evidence.windowId, driftedShare: evidence.driftedShare, features: evidence.features }],
        policy,
        requestedBy: 'drift-detector',
      },
    });
  }
  return outputs;
}
