import { adwinUpdate, pageHinkleyUpdate } from './statistics/index.ts';
import { deleteOldest } from './fifo.ts';
import { offer } from './sample.ts';
import type { ModelState, PerformanceAcc, StreamState } from './state.ts';
import { dropLabel } from './label-drops.ts';

/** Series name of numeric labels in the window's sample counters. */
const LABEL_SERIES = '\u0000label';

/** Drops the oldest entries so a map holds at most `limit` keys: bounded memory for late labels. */
function bound(map: Map<string, unknown>, limit: number, removed?: (key: string) => void): void {
  while (map.size > limit) {
    const oldest = deleteOldest(map) as string;
    removed?.(oldest);
  }
}

/** Folds one (prediction, label) pair into a window's performance and the stream's error detector. */
export function score(stream: StreamState, performance: PerformanceAcc, prediction: number | string, label: number | string, capacity: number): void {
  performance.labeled += 1;
  // Numeric labels for label drift: a bounded sample, like the window's other numeric series.
  if (typeof label === 'number') offer(stream.window, LABEL_SERIES, stream.window.labelsNumeric, label, capacity);
  else stream.window.labelsCategorical[label] = (stream.window.labelsCategorical[label] ?? 0) + 1;
  let error: number;
  if (typeof prediction === 'number' && typeof label === 'number') {
    error = Math.abs(prediction - label);
    performance.absError += error;
    performance.squaredError += error * error;
  } else {
    const p = String(prediction);
    const l = String(label);
    error = p === l ? 0 : 1;
    if (p === l) {
      performance.correct += 1;
      (performance.classes[p] ??= [0, 0, 0])[0] += 1;
    } else {
      (performance.classes[p] ??= [0, 0, 0])[1] += 1;
      (performance.classes[l] ??= [0, 0, 0])[2] += 1;
    }
  }
  // Concept drift on the error stream: Page-Hinkley (a rise of the mean error) or ADWIN (any change of it).
  const ph = pageHinkleyUpdate(stream.pageHinkley, error);
  stream.pageHinkley = ph.state;
  const adwin = adwinUpdate(stream.adwin, error);
  stream.adwin = adwin.state;
  if (ph.drift || adwin.drift) performance.conceptDrift = true;
}

/** A prediction arrived: join a label that came first, or remember it for a later label. */
export function rememberPrediction(model: ModelState, stream: StreamState, requestId: string, prediction: number | string, horizon: number, capacity: number): void {
  const early = model.early.get(requestId);
  if (early !== undefined) {
    model.early.delete(requestId);
    model.labelsJoined += 1;
    score(stream, stream.window.performance, prediction, early, capacity);
    return;
  }
  model.pending.delete(requestId); // a repeated request id moves to the back
  model.pending.set(requestId, [stream.version, prediction]);
  bound(model.pending, horizon);
}

/** A label arrived: the version and prediction it labels, if still within the horizon; else keep it for its prediction. */
export function takeLabel(model: ModelState, requestId: string, label: number | string, horizon: number): { version: number; prediction: number | string } | undefined {
  const pending = model.pending.get(requestId);
  if (pending) {
    model.pending.delete(requestId);
    return { version: pending[0], prediction: pending[1] };
  }
  // A second label for a request whose first still waits replaces it: the first is dropped.
  if (model.early.delete(requestId)) dropLabel(model, 'REPLACED', requestId);
  model.early.set(requestId, label);
  bound(model.early, horizon, (oldest) => dropLabel(model, 'NO_PREDICTION', oldest));
  return undefined;
}

/** Window performance as DriftMeasured reports it. */
export function summarize(p: PerformanceAcc) {
  if (p.labeled === 0) return null;
  const classes = Object.values(p.classes);
  const isClassification = classes.length > 0 || (p.absError === 0 && p.correct > 0);
  if (isClassification) {
    const f1s = classes.map(([tp, fp, fn]) => (tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn)));
    return { labeled: p.labeled, accuracy: p.correct / p.labeled, f1: f1s.length ? f1s.reduce((s, v) => s + v, 0) / f1s.length : null, mae: null, rmse: null, conceptDrift: p.conceptDrift };
  }
  return { labeled: p.labeled, accuracy: null, f1: null, mae: p.absError / p.labeled, rmse: Math.sqrt(p.squaredError / p.labeled), conceptDrift: p.conceptDrift };
}
