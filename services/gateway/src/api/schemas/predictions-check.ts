import { regexes } from 'zod/v4/core';
import type { Limits } from '../../limits/index.ts';
import { MAX_INT, NO_CONTROL, NON_FINITE_SPELLING } from './common.ts';

/**
 * The predictions body as `predictionsBody(limits)` parses it, checked by hand:
 * zod spends tens of microseconds per prediction (records, refinements, one
 * issue list per field), more than everything else the gateway does with it.
 * It answers the parsed body, or undefined for anything it does not accept
 * outright; the route then runs the zod schema, which names every problem
 * (and decides: this check may refuse more than zod, never less). A unit test
 * compares the two on valid, invalid and random bodies.
 */
export function checkPredictionsBody(l: Limits): (body: unknown) => { predictions: Prediction[] } | undefined {
  const uuid = regexes.uuid();
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
  const isId = (v: unknown, max: number): v is string => typeof v === 'string' && v.length >= 1 && v.length <= max && NO_CONTROL.test(v);
  const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
  /** Entries of a feature map when every key is an id and every value passes, else -1. */
  const mapSize = (m: Record<string, unknown>, value: (v: unknown) => boolean): number => {
    let n = 0;
    for (const key in m) {
      if (!Object.hasOwn(m, key) || !isId(key, l.keyLength) || !value(m[key])) return -1;
      n++;
    }
    return n;
  };
  const isText = (v: unknown) => typeof v === 'string' && v.length <= l.stringLength;

  const item = (p: unknown): Prediction | undefined => {
    if (!isObject(p)) return undefined;
    const { eventId, occurredAt, requestId, model, version, prediction, latencyMs } = p;
    const numericFeatures = p.numericFeatures === undefined ? {} : p.numericFeatures;
    const categoricalFeatures = p.categoricalFeatures === undefined ? {} : p.categoricalFeatures;
    const probabilities = p.probabilities ?? null;
    const error = p.error ?? null;
    if (eventId !== undefined && (typeof eventId !== 'string' || !uuid.test(eventId))) return undefined;
    if (occurredAt !== undefined && !(Number.isSafeInteger(occurredAt) && (occurredAt as number) >= l.eventTimeMinMs && (occurredAt as number) <= Date.now() + l.eventTimeMaxAheadMs)) return undefined;
    if (!isId(requestId, l.stringLength) || !isId(model, l.keyLength)) return undefined;
    if (!(Number.isSafeInteger(version) && (version as number) >= 1 && (version as number) <= MAX_INT)) return undefined;
    if (!isObject(numericFeatures) || !isObject(categoricalFeatures)) return undefined;
    const numeric = mapSize(numericFeatures, isNumber);
    const categorical = mapSize(categoricalFeatures, isText);
    if (numeric < 0 || categorical < 0 || numeric + categorical > l.featuresPerPrediction) return undefined;
    if (!(isNumber(prediction) || (typeof prediction === 'string' && prediction.length >= 1 && prediction.length <= l.stringLength && !NON_FINITE_SPELLING.test(prediction)))) return undefined;
    if (probabilities !== null) {
      if (!isObject(probabilities)) return undefined;
      const n = mapSize(probabilities, isNumber);
      if (n < 0 || n > l.featuresPerPrediction) return undefined;
    }
    if (!(isNumber(latencyMs) && latencyMs >= 0)) return undefined;
    if (error !== null && !isText(error)) return undefined;
    // What zod's object answers: declared keys only, in its order, defaults filled in
    // (the idempotency fingerprint is taken of it).
    const out = {} as Prediction;
    if (eventId !== undefined) out.eventId = eventId;
    if (occurredAt !== undefined) out.occurredAt = occurredAt as number;
    out.requestId = requestId;
    out.model = model;
    out.version = version as number;
    out.numericFeatures = numericFeatures as Record<string, number>;
    out.categoricalFeatures = categoricalFeatures as Record<string, string>;
    out.prediction = prediction;
    out.probabilities = probabilities as Record<string, number> | null;
    out.latencyMs = latencyMs;
    out.error = error as string | null;
    return out;
  };

  return (body) => {
    if (!isObject(body)) return undefined;
    const list = body.predictions;
    if (!Array.isArray(list) || list.length < 1 || list.length > l.batchItems) return undefined;
    const predictions: Prediction[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const p = item(list[i]);
      if (!p) return undefined;
      predictions[i] = p;
    }
    return { predictions };
  };
}

export interface Prediction {
  eventId?: string;
  occurredAt?: number;
  requestId: string;
  model: string;
  version: number;
  numericFeatures: Record<string, number>;
  categoricalFeatures: Record<string, string>;
  prediction: number | string;
  probabilities: Record<string, number> | null;
  latencyMs: number;
  error: string | null;
}
