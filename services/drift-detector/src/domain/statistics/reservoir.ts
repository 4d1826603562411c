import { StatisticsInputError } from './errors.ts';
import { nextInt, seedRandom, type RandomState } from './random.ts';

/**
 * Fixed-size uniform sample of a stream (Vitter's algorithm R) with a seeded
 * generator: a window's raw values for KS / Wasserstein are kept in bounded
 * memory, and replaying the same input gives the same sample.
 */
export interface ReservoirState {
  capacity: number;
  /** Values offered so far. */
  seen: number;
  items: number[];
  random: RandomState;
}

export function reservoirInit(capacity: number, seed: number): ReservoirState {
  if (!(Number.isInteger(capacity) && capacity >= 1)) throw new StatisticsInputError(`reservoir capacity must be a positive integer, got ${capacity}`);
  return { capacity, seen: 0, items: [], random: seedRandom(seed) };
}

/** Offers one value; the input state is not modified. */
export function reservoirAdd(state: ReservoirState, value: number): ReservoirState {
  const seen = state.seen + 1;
  if (state.items.length < state.capacity) return { ...state, seen, items: [...state.items, value] };
  // Keep the new value with probability capacity / seen, in a uniformly chosen slot.
  const draw = nextInt(state.random, seen);
  if (draw.value >= state.capacity) return { ...state, seen, random: draw.state };
  const items = [...state.items];
  items[draw.value] = value;
  return { ...state, seen, items, random: draw.state };
}

export function reservoirAddAll(state: ReservoirState, values: Iterable<number>): ReservoirState {
  let current = state;
  for (const v of values) current = reservoirAdd(current, v);
  return current;
}
