import type { PredictionLogged } from '@mlstream/kit';
import { seededRandom } from '../domain/statistics/random.ts';

/** Seeded, so synthetic streams are reproducible (the detector's one generator). */
export const prng = seededRandom;

export interface StreamShape {
  numeric: number;
  categorical: number;
  /** Mean shift in standard deviations, per numeric feature index. */
  shift?: Record<number, number>;
  /** Categorical feature indices whose category frequencies change. */
  categoryShift?: number[];
}

const CATEGORIES = ['a', 'b', 'c', 'd'];
const BASE_WEIGHTS = [0.4, 0.3, 0.2, 0.1];
const SHIFTED_WEIGHTS = [0.1, 0.2, 0.3, 0.4];

/** A seeded stream of predictions with `shape.numeric` N(0,1) features and `shape.categorical` 4-category features. */
export function syntheticPredictions(options: { seed: number; model: string; version: number; count: number; startAt?: number; shape: StreamShape; idPrefix?: string }): PredictionLogged[] {
  const rnd = prng(options.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const pick = (weights: number[]) => {
    let u = rnd();
    for (let i = 0; i < weights.length; i++) if ((u -= weights[i]!) < 0) return CATEGORIES[i]!;
    return CATEGORIES[CATEGORIES.length - 1]!;
  };
  const out: PredictionLogged[] = [];
  for (let i = 0; i < options.count; i++) {
    const numericFeatures: Record<string, number> = {};
    for (let f = 0; f < options.shape.numeric; f++) numericFeatures[`n${f}`] = Math.round((normal() + (options.shape.shift?.[f] ?? 0)) * 1e6) / 1e6;
    const categoricalFeatures: Record<string, string> = {};
    for (let f = 0; f < options.shape.categorical; f++) categoricalFeatures[`c${f}`] = pick(options.shape.categoryShift?.includes(f) ? SHIFTED_WEIGHTS : BASE_WEIGHTS);
    const score = 1 / (1 + Math.exp(-(numericFeatures.n0 ?? 0)));
    out.push({
      eventId: `${options.idPrefix ?? 'p'}-${options.seed}-${i}`,
      occurredAt: (options.startAt ?? 1_764_000_000_000) + i * 100,
      requestId: `${options.idPrefix ?? 'req'}-${options.seed}-${i}`,
      model: options.model,
      version: options.version,
      numericFeatures,
      categoricalFeatures,
      prediction: Math.round(score * 1e6) / 1e6,
      probabilities: null,
      latencyMs: 1 + rnd() * 10,
      error: null,
    });
  }
  return out;
}
