import { StatisticsInputError } from './errors.ts';

/**
 * xoshiro128** (Blackman & Vigna), a 32-bit generator whose whole state is four
 * uint32 words: plain JSON, so a window's sampler can be snapshotted and resumed
 * to produce exactly the same draws after a restart.
 */
export interface RandomState {
  s: [number, number, number, number];
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** splitmix32 spreads any 32-bit seed over the four state words (all-zero state is forbidden). */
export function seedRandom(seed: number): RandomState {
  if (!Number.isInteger(seed)) throw new StatisticsInputError(`seed must be an integer, got ${seed}`);
  let z = seed >>> 0;
  const next = (): number => {
    z = (z + 0x9e3779b9) >>> 0;
    let t = z;
    t = Math.imul(t ^ (t >>> 16), 0x85ebca6b) >>> 0;
    t = Math.imul(t ^ (t >>> 13), 0xc2b2ae35) >>> 0;
    return (t ^ (t >>> 16)) >>> 0;
  };
  return { s: [next(), next(), next(), next()] };
}

/** Next uint32 and the advanced state; the input state is not modified. */
export function nextUint32(state: RandomState): { state: RandomState; value: number } {
  const [s0, s1, s2, s3] = state.s;
  const value = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
  const t = (s1 << 9) >>> 0;
  let n2 = (s2 ^ s0) >>> 0;
  let n3 = (s3 ^ s1) >>> 0;
  const n1 = (s1 ^ n2) >>> 0;
  const n0 = (s0 ^ n3) >>> 0;
  n2 = (n2 ^ t) >>> 0;
  n3 = rotl(n3, 11);
  return { state: { s: [n0, n1, n2, n3] }, value };
}

/** Uniform float in [0, 1) with 32 random bits. */
export function nextFloat(state: RandomState): { state: RandomState; value: number } {
  const r = nextUint32(state);
  return { state: r.state, value: r.value / 2 ** 32 };
}

/** Uniform integer in [0, bound), unbiased (rejection of the short last cycle). */
export function nextInt(state: RandomState, bound: number): { state: RandomState; value: number } {
  if (!(Number.isInteger(bound) && bound >= 1 && bound <= 2 ** 32)) throw new StatisticsInputError(`bound must be an integer in [1, 2^32], got ${bound}`);
  const limit = 2 ** 32 - (2 ** 32 % bound);
  let current = state;
  for (;;) {
    const r = nextUint32(current);
    current = r.state;
    if (r.value < limit) return { state: current, value: r.value % bound };
  }
}
