import { deterministicUuid, type DataQualityMeasured, type PredictionLogged } from '@mlstream/kit';
import type { DetectorConfig } from './config.ts';
import type { ReferenceLookup } from './reference.ts';
import { evaluateAgainstProfile, evaluateFeatures, evaluateLabels, evaluatePrediction, sortReferenceOnce } from './evaluate.ts';
import { rememberPrediction, score, summarize, takeLabel } from './label-join.ts';
import { dropLabel, reportDrops } from './label-drops.ts';
import { applyPolicy, describeDrift, judgePerformance, PERFORMANCE } from './policy.ts';
import type { DetectorInput, DetectorOutput } from './records.ts';
import { offer } from './sample.ts';
import { applyQualityPolicy, describeFailures, evaluateWindowSuite, measureQuality, observeNumeric, QUALITY, schemaFromSample, type QualitySchema, type SuiteLookup } from './quality/index.ts';
import { emptyWindow, isRepeat, newModelState, newStream, streamKey, type DetectorState, type ModelState, type Sample, type StreamState, type WindowState } from './state.ts';

/** Series name of numeric predictions in the window's sample counters (features use their own names). */
const PREDICTION_SERIES = '\u0000prediction';

const addToSample = (window: WindowState, p: PredictionLogged, capacity: number, quality: QualitySchema | null | false) => {
  window.count += 1;
  // for-in, not Object.entries: no array per feature per prediction (same order: own keys in insertion order).
  const numeric = p.numericFeatures;
  if (numeric) {
    // The quality pass rides on the drift sampling loop (no second walk over the features); `false`: quality off.
    for (const name in numeric) {
      const value = numeric[name]!;
      offer(window, name, (window.numeric[name] ??= []), value, capacity);
      if (quality !== false) observeNumeric(window.quality, quality, name, value);
    }
  }
  const categorical = p.categoricalFeatures;
  if (categorical) {
    for (const name in categorical) {
      const value = categorical[name]!;
      const counts = (window.categorical[name] ??= {});
      counts[value] = (counts[value] ?? 0) + 1;
    }
  }
  if (typeof p.prediction === 'number') offer(window, PREDICTION_SERIES, window.predictionNumeric, p.prediction, capacity);
  else window.predictionCategorical[p.prediction] = (window.predictionCategorical[p.prediction] ?? 0) + 1;
};

const sampleOf = ({ count, numeric, categorical, predictionNumeric, predictionCategorical }: Sample): Sample => ({ count, numeric, categorical, predictionNumeric, predictionCategorical });

/**
 * The drift detector's core: where a window opens and closes. Applies one input to the state (mutating it) and
 * returns the records to publish. No I/O, no clock, no randomness: the same
 * inputs in the same order give byte-identical outputs, which is what lets
 * `mlstream audit drift` reproduce every decision from the log.
 */
export function apply(state: DetectorState, input: DetectorInput, configOf: (model: string) => DetectorConfig, references: ReferenceLookup = () => undefined, suites: SuiteLookup = () => undefined): DetectorOutput[] {
  const model = input.value.model;
  const config = configOf(model);
  const modelState = (state.models[model] ??= newModelState());
  // A fact retried after a gateway restart is in Kafka twice, same eventId: count it once.
  if (isRepeat(modelState, input.value.eventId, input.offset, config.dedupeWindow)) return [];

  if (input.kind === 'label') {
    modelState.labelsAccepted += 1;
    // Kept until the model's next window close (see ModelState.arrived): the join does not depend on how
    // the feedback and predictions partitions interleave inside a window.
    modelState.arrived.push([input.value.requestId, input.value.label]);
    if (modelState.arrived.length > config.labelHorizon) dropLabel(modelState, 'BACKLOG', modelState.arrived.shift()![0]);
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
    else if (index > stream.window.index) outputs.push(...closeWindow(state, stream, input.topic, config, index, suites));
  }
  const window = stream.window;
  if (window.count === 0) {
    window.start = p.occurredAt;
    window.partition = input.partition;
    window.firstOffset = input.offset;
  }
  window.end = Math.max(window.end, p.occurredAt);
  window.lastOffset = input.offset;
  addToSample(window, p, config.maxWindowSample, config.quality && stream.qualitySchema);
  if (p.error == null) rememberPrediction(modelState, stream, p.requestId, p.prediction, config.labelHorizon, config.maxWindowSample);
  if (config.windowKind === 'EVENT_TIME' || window.count < config.windowSize) return outputs;
  return [...outputs, ...closeWindow(state, stream, input.topic, config, window.index + 1, suites)];
}

/** Whether applying this prediction closes a window of its stream (the service reads the suites declared so far first). */
export function closesWindow(state: DetectorState, p: PredictionLogged, config: DetectorConfig): boolean {
  const stream = state.streams[streamKey(p.model, p.version)];
  if (!stream) return config.windowKind === 'COUNT' && config.windowSize <= 1;
  if (config.windowKind === 'EVENT_TIME') return stream.window.count > 0 && Math.floor(p.occurredAt / config.windowMs) > stream.window.index;
  return stream.window.count + 1 >= config.windowSize;
}

function closeWindow(state: DetectorState, stream: StreamState, topic: string, config: DetectorConfig, nextIndex: number, suites: SuiteLookup): DetectorOutput[] {
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

  const quality = config.quality ? measureWindow(stream, windowRecord, measuredId, sources[0]!, config, suites) : null;
  const qualityOutputs: DetectorOutput[] = [];
  if (quality) {
    qualityOutputs.push({ type: 'DataQualityMeasured', value: quality });
    const failed = applyQualityPolicy(stream.qualityStreak, quality, config);
    if (failed) qualityOutputs.push({ type: 'DataQualityFailed', value: failed });
  }
  // Action RETRAIN: a failed window counts as drifted in the retrain policy (ALERT, the default: it does not).
  const qualityCounts = quality !== null && !quality.passed && config.qualityAction === 'RETRAIN';

  const baseline = stream.reference;
  if (!baseline) stream.reference = { ...sampleOf(window), id: windowId, labelsNumeric: window.labelsNumeric, labelsCategorical: window.labelsCategorical };
  if (!stream.qualitySchema && config.quality) stream.qualitySchema = schemaFromSample(windowId, stream.reference!);
  if (!baseline && !stream.profile) {
    // Without a training profile, the first full window of a version is its reference.
    outputs.push({ type: 'DriftMeasured', value: { ...base, window: windowRecord, referenceId: windowId, features: [], predictionDrift: null, labelDrift: null, performance, driftedShare: 0, datasetDrift: false, sources, performanceDrop } }, ...qualityOutputs);
  } else {
    // The reference window never changes once chosen: its numeric samples are sorted once for every later window's KS.
    const verdict = stream.profile ? evaluateAgainstProfile(stream.profile, window, config) : evaluateFeatures(baseline!, window, config, sortReferenceOnce);
    const predictionDrift = baseline ? evaluatePrediction(baseline, window, config, sortReferenceOnce) : null;
    const labelDrift = baseline ? evaluateLabels(baseline, window, config, sortReferenceOnce) : null;
    outputs.push({
      type: 'DriftMeasured',
      value: { ...base, window: windowRecord, referenceId: stream.profile?.id ?? baseline!.id, features: verdict.features, predictionDrift, labelDrift, performance, driftedShare: verdict.driftedShare, datasetDrift: verdict.datasetDrift, sources, performanceDrop },
    });
    outputs.push(...qualityOutputs);
    const features = [...verdict.driftedFeatures, ...(performanceDrop ? [PERFORMANCE] : []), ...(qualityCounts ? [QUALITY] : [])];
    const why = [describeDrift(verdict.driftedShare, verdict.driftedFeatures, performanceDrop), qualityCounts ? `data quality: ${describeFailures(quality)}` : ''].filter(Boolean).join('; ');
    outputs.push(...applyPolicy(state, stream, { eventId: measuredId, windowId, driftedShare: verdict.driftedShare, features }, verdict.datasetDrift || performanceDrop !== null || qualityCounts, window.end, config, why));
  }
  // Every label dropped since the model's last report (at this close's join too), durably in the log.
  const dropped = reportDrops(state.models[model]!, { model, version, windowId, end: window.end });
  if (dropped) outputs.push({ type: 'LabelsDropped', value: dropped });
  stream.window = emptyWindow(nextIndex);
  return outputs;
}

/** DataQualityMeasured of the closing window, against the stream's schema (none yet: the window is its own reference). */
function measureWindow(stream: StreamState, window: { id: string; index: number; start: number; end: number; count: number }, driftMeasurementId: string, source: DataQualityMeasured['sources'][number], config: DetectorConfig, suites: SuiteLookup): DataQualityMeasured {
  const w = stream.window;
  const measurement = measureQuality(w.quality, w.categorical, w.count, stream.qualitySchema, config);
  // The model's suite in force at the window's last prediction (event time), evaluated on the same window.
  const suite = suites(stream.model, window.end);
  const evaluated = suite ? evaluateWindowSuite(suite, w, stream.qualitySchema) : null;
  if (evaluated?.failures.length) {
    measurement.failures = [...measurement.failures, ...evaluated.failures];
    measurement.passed = false;
  }
  return {
    eventId: deterministicUuid(`quality:${window.id}:measured`),
    occurredAt: window.end,
    model: stream.model,
    version: stream.version,
    window: { id: window.id, index: window.index, start: window.start, end: window.end, count: window.count },
    driftMeasurementId,
    referenceId: stream.qualitySchema?.id ?? null,
    ...measurement,
    expectations: evaluated?.outcomes ?? [],
    suiteVersion: suite?.version ?? null,
    sources: [source],
  };
}

/** Joins the labels consumed since the model's last window close; returns their offsets for DriftMeasured.sources. */
function joinArrivedLabels(state: DetectorState, model: string, config: DetectorConfig) {
  const modelState: ModelState = state.models[model]!;
  const range = modelState.arrivedRange;
  for (const [requestId, label] of modelState.arrived) {
    const joined = takeLabel(modelState, requestId, label, config.labelHorizon);
    if (!joined) continue;
    const stream = state.streams[streamKey(model, joined.version)];
    if (stream) {
      modelState.labelsJoined += 1;
      score(stream, stream.window.performance, joined.prediction, label, config.maxWindowSample);
    } else dropLabel(modelState, 'UNKNOWN_VERSION', requestId);
  }
  modelState.arrived = [];
  modelState.arrivedRange = null;
  return range;
}
