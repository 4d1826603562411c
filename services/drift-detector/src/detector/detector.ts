import { deterministicUuid, type DriftDetected, type DriftMeasured, type LabelObserved, type PredictionLogged, type RetrainRequested } from '@mlstream/kit';
import type { DetectorConfig } from './config.ts';
import type { ReferenceLookup } from '../reference/lineage.ts';
import { evaluateAgainstProfile, evaluateFeatures, evaluateLabels, evaluatePrediction } from './evaluate.ts';
import { rememberPrediction, score, summarize, takeLabel } from './labels.ts';
import { offer } from './sample.ts';
import { emptyWindow, newModelState, newStream, streamKey, type DetectorState, type ModelState, type Sample, type StreamState, type WindowState } from './state.ts';

/** Series name of numeric predictions in the window's sample counters (features use their own names). */
const PREDICTION_SERIES = '\u0000prediction';

export type DetectorInput =
  | { kind: 'prediction'; value: PredictionLogged; topic: string; partition: number; offset: number }
  | { kind: 'label'; value: LabelObserved; topic: string; partition: number; offset: number };

export type DetectorOutput =
  | { type: 'DriftMeasured'; value: DriftMeasured }
  | { type: 'DriftDetected'; value: DriftDetected }
  | { type: 'RetrainRequested'; value: RetrainRequested };

const addToSample = (window: WindowState, p: PredictionLogged, capacity: number) => {
  window.count += 1;
  for (const [name, value] of Object.entries(p.numericFeatures ?? {})) offer(window, name, (window.numeric[name] ??= []), value, capacity);
  for (const [name, value] of Object.entries(p.categoricalFeatures ?? {})) {
    const counts = (window.categorical[name] ??= {});
    counts[value] = (counts[value] ?? 0) + 1;
  }
  if (typeof p.prediction === 'number') offer(window, PREDICTION_SERIES, window.predictionNumeric, p.prediction, capacity);
  else window.predictionCategorical[p.prediction] = (window.predictionCategorical[p.prediction] ?? 0) + 1;
};

const sampleOf = ({ count, numeric, categorical, predictionNumeric, predictionCategorical }: Sample): Sample => ({ count, numeric, categorical, predictionNumeric, predictionCategorical });

/**
 * The drift detector's core: applies one input to the state (mutating it) and
 * returns the records to publish. No I/O, no clock, no randomness: the same
 * inputs in the same order give byte-identical outputs, which is what lets
 * `mlstream audit drift` reproduce every decision from the log.
 */
export function apply(state: DetectorState, input: DetectorInput, configOf: (model: string) => DetectorConfig, references: ReferenceLookup = () => undefined): DetectorOutput[] {
  const model = input.value.model;
  const config = configOf(model);
  const modelState = (state.models[model] ??= newModelState());

  if (input.kind === 'label') {
    // Kept until the model's next window close (see ModelState.arrived): the join does not depend on how
    // the feedback and predictions partitions interleave inside a window.
    modelState.arrived.push([input.value.requestId, input.value.label]);
    if (modelState.arrived.length > config.labelHorizon) {
      modelState.arrived.shift();
      modelState.labelsDropped += 1;
    }
    const range = modelState.arrivedRange;
    if (range) {
      range.fromOffset = Math.min(range.fromOffset, input.offset);
      range.toOffset = Math.max(range.toOffset, input.offset);
    } else {
      modelState.arrivedRange = { topic: input.topic, partition: input.partition, fromOffset: input.offset, toOffset: input.offset };
    }
    return [];
  }

  const p = input.value;
  const key = streamKey(model, p.version);
  // A version's reference is fixed at its first prediction: its training profile when the lineage is known by then.
  const stream = (state.streams[key] ??= newStream(model, p.version, references(model, p.version, p.occurredAt) ?? null));
  const outputs: DetectorOutput[] = [];
  if (config.windowKind === 'EVENT_TIME') {
    // Tumbling event-time windows: a prediction of a later window closes the open one.
    // A late prediction (earlier window) joins the open window: windows never reopen.
    const index = Math.floor(p.occurredAt / config.windowMs);
    if (stream.window.count === 0) stream.window.index = Math.max(stream.window.index, index);
    else if (index > stream.window.index) outputs.push(...closeWindow(state, stream, input.topic, config, index));
  }
  const window = stream.window;
  if (window.count === 0) {
    window.start = p.occurredAt;
    window.partition = input.partition;
    window.firstOffset = input.offset;
  }
  window.end = Math.max(window.end, p.occurredAt);
  window.lastOffset = input.offset;
  addToSample(window, p, config.maxWindowSample);
  if (p.error == null) rememberPrediction(modelState, stream, p.requestId, p.prediction, config.labelHorizon, config.maxWindowSample);
  if (config.windowKind === 'EVENT_TIME' || window.count < config.windowSize) return outputs;
  return [...outputs, ...closeWindow(state, stream, input.topic, config, window.index + 1)];
}

function closeWindow(state: DetectorState, stream: StreamState, topic: string, config: DetectorConfig, nextIndex: number): DetectorOutput[] {
  const { model, version, window } = stream;
  const windowId = `${model}/v${version}/${config.windowKind === 'COUNT' ? 'count' : 'time'}/${window.index}`;
  const measuredId = deterministicUuid(`drift:${windowId}:measured`);
  const labels = joinArrivedLabels(state, model, config);
  const outputs: DetectorOutput[] = [];
  const base = { eventId: measuredId, occurredAt: window.end, model, version };
  const windowRecord = { id: windowId, index: window.index, kind: config.windowKind, start: window.start, end: window.end, count: window.count };
  const sources = [{ topic, partition: window.partition, fromOffset: window.firstOffset, toOffset: window.lastOffset }, ...(labels ? [labels] : [])];
  const performance = summarize(window.performance);
  const performanceDrop = judgePerformance(stream, performance, windowId, config);

  const baseline = stream.reference;
  if (!baseline) stream.reference = { ...sampleOf(window), id: windowId, labelsNumeric: window.labelsNumeric, labelsCategorical: window.labelsCategorical };
  if (!baseline && !stream.profile) {
    // Without a training profile, the first full window of a version is its reference.
    outputs.push({ type: 'DriftMeasured', value: { ...base, window: windowRecord, referenceId: windowId, features: [], predictionDrift: null, labelDrift: null, performance, driftedShare: 0, datasetDrift: false, sources, performanceDrop } });
  } else {
    const verdict = stream.profile ? evaluateAgainstProfile(stream.profile, window, config) : evaluateFeatures(baseline!, window, config);
    const predictionDrift = baseline ? evaluatePrediction(baseline, window, config) : null;
    const labelDrift = baseline ? evaluateLabels(baseline, window, config) : null;
    outputs.push({
      type: 'DriftMeasured',
      value: { ...base, window: windowRecord, referenceId: stream.profile?.id ?? baseline!.id, features: verdict.features, predictionDrift, labelDrift, performance, driftedShare: verdict.driftedShare, datasetDrift: verdict.datasetDrift, sources, performanceDrop },
    });
    const features = performanceDrop ? [...verdict.driftedFeatures, PERFORMANCE] : verdict.driftedFeatures;
    const why = describe(verdict.driftedShare, verdict.driftedFeatures, performanceDrop);
    outputs.push(...applyPolicy(state, stream, { eventId: measuredId, windowId, driftedShare: verdict.driftedShare, features }, verdict.datasetDrift || performanceDrop !== null, window.end, config, why));
  }
  stream.window = emptyWindow(nextIndex);
  return outputs;
}

/** Evidence name of a performance drop among the drifted features of RetrainRequested. */
export const PERFORMANCE = '__performance__';

type Performance = ReturnType<typeof summarize>;
type PerformanceDrop = { metric: string; baseline: number; current: number; threshold: number; baselineWindowId: string };

/** Joins the labels consumed since the model's last window close; returns their offsets for DriftMeasured.sources. */
function joinArrivedLabels(state: DetectorState, model: string, config: DetectorConfig) {
  const modelState: ModelState = state.models[model]!;
  const range = modelState.arrivedRange;
  for (const [requestId, label] of modelState.arrived) {
    const joined = takeLabel(modelState, requestId, label, config.labelHorizon);
    if (!joined) continue;
    const stream = state.streams[streamKey(model, joined.version)];
    if (stream) score(stream, stream.window.performance, joined.prediction, label, config.maxWindowSample);
  }
  modelState.arrived = [];
  modelState.arrivedRange = null;
  return range;
}

/** The first window with enough labels sets the baseline; later ones are judged against it. */
function judgePerformance(stream: StreamState, performance: Performance, windowId: string, config: DetectorConfig): PerformanceDrop | null {
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

const describe = (share: number, features: string[], drop: PerformanceDrop | null) =>
  [
    features.length ? `${(share * 100).toFixed(0)}% of features drifted: ${features.join(', ')}` : '',
    drop ? `${drop.metric} ${drop.current.toFixed(3)} vs baseline ${drop.baseline.toFixed(3)}` : '',
  ]
    .filter(Boolean)
    .join('; ');

/** Hysteresis (K drifted windows in a row) and a per-model cooldown in event time. */
function applyPolicy(state: DetectorState, stream: StreamState, evidence: StreamState['streak'][number], drifted: boolean, at: number, config: DetectorConfig, why: string): DetectorOutput[] {
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
