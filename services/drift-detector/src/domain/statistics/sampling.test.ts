import { describe, expect, it } from 'vitest';
import { nextFloat, nextInt, nextUint32, reservoirAdd, reservoirAddAll, reservoirInit, seedRandom, type RandomState } from './index.ts';

describe('xoshiro128**', () => {
  it('matches the reference implementation from state {1, 2, 3, 4}', () => {
    let state: RandomState = { s: [1, 2, 3, 4] };
    const values: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = nextUint32(state);
      values.push(r.value);
      state = r.state;
    }
    expect(values).toEqual([11520, 0, 5927040]);
  });

  it('is a pure function of the seed and leaves its input state alone', () => {
    const state = seedRandom(42);
    const copy = structuredClone(state);
    expect(nextFloat(state)).toEqual(nextFloat(seedRandom(42)));
    expect(state).toEqual(copy);
    expect(nextUint32(seedRandom(42)).value).not.toBe(nextUint32(seedRandom(43)).value);
  });

  it('draws roughly uniform integers below a bound', () => {
    let state = seedRandom(9);
    const counts = [0, 0, 0, 0, 0, 0];
    for (let i = 0; i < 60_000; i++) {
      const r = nextInt(state, 6);
      counts[r.value]!++;
      state = r.state;
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
  });
});

describe('reservoir sampler', () => {
  it('keeps every value until full, then exactly `capacity` values', () => {
    const partial = reservoirAddAll(reservoirInit(5, 1), [1, 2, 3]);
    expect(partial.items).toEqual([1, 2, 3]);
    const full = reservoirAddAll(reservoirInit(5, 1), Array.from({ length: 1000 }, (_, i) => i));
    expect(full.items).toHaveLength(5);
    expect(full.seen).toBe(1000);
  });

  it('is reproducible from its seed, also across a JSON snapshot', () => {
    const values = Array.from({ length: 5000 }, (_, i) => i);
    const direct = reservoirAddAll(reservoirInit(50, 7), values);
    const resumed = reservoirAddAll(JSON.parse(JSON.stringify(reservoirAddAll(reservoirInit(50, 7), values.slice(0, 2500)))), values.slice(2500));
    expect(resumed).toEqual(direct);
    expect(reservoirAddAll(reservoirInit(50, 8), values).items).not.toEqual(direct.items);
  });

  it('samples uniformly: each position is kept with probability capacity / n', () => {
    const kept = new Array<number>(100).fill(0);
    for (let seed = 0; seed < 2000; seed++) {
      for (const v of reservoirAddAll(reservoirInit(10, seed), Array.from({ length: 100 }, (_, i) => i)).items) kept[v]!++;
    }
    // Expected 200 per value (2000 runs × 10/100); binomial sd ≈ 13.4.
    for (const k of kept) expect(Math.abs(k - 200)).toBeLessThan(60);
  });

  it('does not modify the state it is given', () => {
    const state = reservoirAddAll(reservoirInit(3, 2), [1, 2, 3, 4]);
    const copy = structuredClone(state);
    reservoirAdd(state, 99);
    expect(state).toEqual(copy);
  });
});
