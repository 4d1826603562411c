import { mulberry32 } from './statistics/random.ts';

/**
 * Bounded window samples. A count window holds at most `windowSize` values
 * per series anyway; an event-time window can see any number of predictions,
 * so every numeric series (feature values, numeric predictions, numeric
 * labels) keeps at most `capacity` values: a uniform sample (Vitter's
 * algorithm R) drawn with a generator seeded by the window, so replaying the
 * same input keeps the same sample. Categorical series are counts and need no
 * sampling.
 */
export interface SampledSeries {
  /** Values offered so far, per series name. */
  seen: Record<string, number>;
  /** mulberry32 state of the window's generator. */
  rng: number;
}

/** The generator's start state for a window index (any fixed mixing of the index will do). */
export const seedFor = (index: number): number => (Math.imul(index + 1, 0x9e3779b1) ^ 0x5bd1e995) >>> 0;

/** Offers `value` to the series `name` (kept in `values`), keeping at most `capacity` values. */
export function offer(state: SampledSeries, name: string, values: number[], value: number, capacity: number): void {
  const seen = (state.seen[name] = (state.seen[name] ?? 0) + 1);
  if (values.length < capacity) {
    values.push(value);
    return;
  }
  const draw = mulberry32(state.rng);
  state.rng = draw.state;
  const slot = Math.floor(draw.value * seen);
  if (slot < capacity) values[slot] = value;
}
