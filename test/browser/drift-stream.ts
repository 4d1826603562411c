// Predictions written straight to the predictions topic (as the gateway's
// POST /v1/predictions would), for the drift detector to cut into windows:
// the wide model's 200 windows × 50 features behind the heatmap measurement,
// the champion and challenger traffic behind model health, and the window
// the browser test produces while the drift view is open.
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import type { PredictionLogged, Serde } from '@mlstream/kit';
import { syntheticPredictions, type StreamShape } from '@mlstream/drift-detector';
import { servingTraffic } from '../../services/cli/src/demo/index.ts';

/** 40 numeric and 10 categorical features: the wide model of the heatmap. */
export const WIDE_SHAPE = { numeric: 40, categorical: 10 } as const;
export const WIDE_FEATURES = WIDE_SHAPE.numeric + WIDE_SHAPE.categorical;

/**
 * The wide model's stream, window by window: the first window is the
 * detector's reference; then drift spreads over more and more features, so
 * the heatmap has structure (clean, some features, most features).
 */
export function wideStream(options: { model: string; version: number; windowSize: number; windows: number; startAt: number; stepMs: number }): PredictionLogged[] {
  const { model, version, windowSize, startAt, stepMs } = options;
  const out: PredictionLogged[] = [];
  for (let w = 0; w <= options.windows; w++) {
    out.push(...syntheticPredictions({ seed: 1000 + w, model, version, count: windowSize, startAt: startAt + w * windowSize * stepMs, shape: wideShapeAt(w, options.windows), idPrefix: `wide-${w}` }));
  }
  return out.map((p, i) => ({ ...p, eventId: randomUUID(), occurredAt: startAt + i * stepMs }));
}

/** Drift of window `w` of `total`: none for the first third, then a growing set of shifted features. */
export function wideShapeAt(w: number, total: number): StreamShape {
  const progress = w / total;
  if (progress < 1 / 3) return { ...WIDE_SHAPE };
  const shifted = Math.round(WIDE_SHAPE.numeric * (progress - 1 / 3) * 1.5);
  const shift: Record<number, number> = {};
  for (let f = 0; f < shifted; f++) shift[f] = 1.5;
  return { ...WIDE_SHAPE, shift, categoryShift: progress > 2 / 3 ? [0, 1, 2] : [] };
}

/** The churn model's traffic for one version (the demo's customers), spread over [from, to). */
export function churnTraffic(options: { model: string; version: number; count: number; from: number; to: number; seed: number; latencyScale?: number }): PredictionLogged[] {
  const traffic = servingTraffic({ seed: options.seed, requestPrefix: `seed-${options.model}-v${options.version}`, shiftAt: Number.MAX_SAFE_INTEGER });
  const step = (options.to - options.from) / options.count;
  return Array.from({ length: options.count }, (_, i) => {
    const r = traffic.next();
    return {
      eventId: randomUUID(),
      occurredAt: Math.round(options.from + i * step),
      requestId: r.requestId,
      model: options.model,
      version: options.version,
      numericFeatures: r.features.numericFeatures,
      categoricalFeatures: r.features.categoricalFeatures,
      prediction: r.prediction,
      probabilities: r.probabilities,
      latencyMs: Math.round(r.latencyMs * (options.latencyScale ?? 1) * 100) / 100,
      error: r.error,
    };
  });
}

/** Writes predictions in order (one model is one key, one partition), in batches. */
export async function writePredictions(kafka: Kafka, serde: Serde, predictions: PredictionLogged[], batch = 1000): Promise<number> {
  const started = Date.now();
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (let i = 0; i < predictions.length; i += batch) {
      const encoded = await Promise.all(predictions.slice(i, i + batch).map((p) => serde.encode('PredictionLogged', p)));
      await producer.send({ topic: encoded[0]!.topic, acks: -1, messages: encoded.map((e) => e.message) });
    }
  } finally {
    await producer.disconnect();
  }
  return Date.now() - started;
}

/** One more window of the wide model (drifted like the last ones), stamped now: the window the live test produces. */
export function wideLiveWindow(options: { model: string; version: number; windowSize: number; seed: number }): PredictionLogged[] {
  const now = Date.now();
  return syntheticPredictions({ seed: options.seed, model: options.model, version: options.version, count: options.windowSize, startAt: now, shape: wideShapeAt(1, 1), idPrefix: `live-${options.seed}` }).map((p, i) => ({ ...p, eventId: randomUUID(), occurredAt: now - options.windowSize + i }));
}
