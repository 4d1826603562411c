import { deterministicUuid, type DriftDetected, type DriftMeasured, type LabelObserved, type PredictionLogged, type RetrainRequested } from '@mlstream/kit';
import type { DetectorConfig } from './config.ts';
import { evaluate, evaluateLabels } from './evaluate.ts';
import { rememberPrediction, score, summarize, takeLabel } from './labels.ts';
import { emptyWindow, newModelState, newStream, streamKey, type DetectorState, type Sample, type StreamState } from './state.ts';

export type DetectorInput =
  | { kind: 'prediction'; value: PredictionLogged; topic: string; partition: number; offset: number }
  | { kind: 'label'; value: LabelObserved; topic: string; partition: number; offset: number };

export type DetectorOutput =
  | { type: 'DriftMeasured'; value: DriftMeasured }
  | { type: 'DriftDetected'; value: DriftDetected }
  | { type: 'RetrainRequested'; value: RetrainRequested };

const addToSample = (sample: Sample, p: PredictionLogged) => {
  sample.count += 1;
  for (const [name, value] of Object.entries(p.numericFeatures ?? {})) (sample.numeric[name] ??= []).push(value);
  for (const [name, value] of Object.entries(p.categoricalFeatures ?? {})) {
    const counts = (sample.categorical[name] ??= {});
    counts[value] = (counts[value] ?? 0) + 1;
  }
  if (typeof p.prediction === 'number') sample.predictionNumeric.push(p.prediction);
  else sample.predictionCategorical[p.prediction] = (sample.predictionCategorical[p.prediction] ?? 0) + 1;
};

const sampleOf = ({ count, numeric, categorical, predictionNumeric, predictionCategorical }: Sample): Sample => ({ count, numeric, categorical, predictionNumeric, predictionCategorical });

/**
 * The drift detector's core: applies one input to the state (mutating it) and
 * returns the records to publish. No I/O, no clock, no randomness: the same
 * inputs in the same order give byte-identical outputs, which is what lets
 * `mlstream audit drift` reproduce every decision from the log.
 */
export function apply(state: DetectorState, input: DetectorInput, configOf: (model: string) => DetectorConfig): DetectorOutput[] {
  const model = input.value.model;
  const config = configOf(model);
  const modelState = (state.models[model] ??= newModelState());

  if (input.kind === 'label') {
    const joined = takeLabel(modelState, input.value.requestId, input.value.label, config.labelHorizon);
    if (joined) {
      const stream = state.streams[streamKey(model, joined.version)];
      if (stream) score(stream, stream.window.performance, joined.prediction, input.value.label);
    }
    return [];
  }

  const p = input.value;
  const key = streamKey(model, p.version);
  const stream = (state.streams[key] ??= newStream(model, p.version));
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
  addToSample(window, p);
  if (p.error == null) rememberPrediction(modelState, stream, p.requestId, p.prediction, config.labelHorizon);
  if (config.windowKind === 'EVENT_TIME' || window.count < config.windowSize) return outputs;
  return [...outputs, ...closeWindow(state, stream, input.topic, config, window.index + 1)];
}

function closeWindow(state: DetectorState, stream: StreamState, topic: string, config: DetectorConfig, nextIndex: number): DetectorOutput[] {
  const { model, version, window } = stream;
  const windowId = `${model}/v${version}/${config.windowKind === 'COUNT' ? 'count' : 'time'}/${window.index}`;
  const measuredId = deterministicUuid(`drift:${windowId}:measured`);
  const outputs: DetectorOutput[] = [];
  const base = { eventId: measuredId, occurredAt: window.end, model, version };
  const windowRecord = { id: windowId, index: window.index, kind: config.windowKind, start: window.start, end: window.end, count: window.count };
  const sources = [{ topic, partition: window.partition, fromOffset: window.firstOffset, toOffset: window.lastOffset }];
  const performance = summarize(window.performance);

  if (!stream.reference) {
    // The first full window of a version is its reference (no training profile joined yet).
    stream.reference = { ...sampleOf(window), id: windowId, labelsNumeric: window.labelsNumeric, labelsCategorical: window.labelsCategorical };
    outputs.push({ type: 'DriftMeasured', value: { ...base, window: windowRecord, referenceId: windowId, features: [], predictionDrift: null, labelDrift: null, performance, driftedShare: 0, datasetDrift: false, sources } });
  } else {
    const verdict = evaluate(stream.reference, window, config);
    const labelDrift = evaluateLabels(stream.reference, window, config);
    outputs.push({
      type: 'DriftMeasured',
      value: { ...base, window: windowRecord, referenceId: stream.reference.id, features: verdict.features, predictionDrift: verdict.predictionDrift, labelDrift, performance, driftedShare: verdict.driftedShare, datasetDrift: verdict.datasetDrift, sources },
    });
    outputs.push(...applyPolicy(state, stream, { eventId: measuredId, windowId, driftedShare: verdict.driftedShare, features: verdict.driftedFeatures }, verdict.datasetDrift, window.end, config));
  }
  stream.window = emptyWindow(nextIndex);
  return outputs;
}

/** Hysteresis (K drifted windows in a row) and a per-model cooldown in event time. */
function applyPolicy(state: DetectorState, stream: StreamState, evidence: StreamState['streak'][number], drifted: boolean, at: number, config: DetectorConfig): DetectorOutput[] {
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
        reason: `${streak.length} consecutive windows with at least ${config.datasetDriftShare * 100}% of features drifted (last: ${(evidence.driftedShare * 100).toFixed(0)}%: ${evidence.features.join(', ')})`,
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
