import { describe, expect, it } from 'vitest';
import { deleteOldest } from './fifo.ts';
import { mulberry32 } from './statistics/random.ts';

describe('deleteOldest', () => {
  it('deletes what map.delete(map.keys().next().value) would, under any mix of inserts, moves, deletes and clears', () => {
    const fast = new Map<string, number>();
    const slow = new Map<string, number>();
    let rng = 42;
    const draw = (n: number) => {
      const d = mulberry32(rng);
      rng = d.state;
      return Math.floor(d.value * n);
    };
    for (let i = 0; i < 50_000; i++) {
      const op = draw(100);
      const key = `k${draw(3000)}`;
      if (op < 55) {
        // insert, or move to the back (delete then set), as rememberPrediction does
        for (const m of [fast, slow]) {
          m.delete(key);
          m.set(key, i);
        }
      } else if (op < 70) {
        for (const m of [fast, slow]) m.delete(key);
      } else if (op < 99) {
        const expected = slow.keys().next().value;
        if (expected !== undefined) slow.delete(expected);
        expect(deleteOldest(fast)).toBe(expected);
      } else if (draw(50) === 0) {
        fast.clear();
        slow.clear();
      }
      // bound to a limit, as the buffers do
      while (slow.size > 1000) slow.delete(slow.keys().next().value!);
      while (fast.size > 1000) deleteOldest(fast);
      expect(fast.size).toBe(slow.size);
    }
    expect([...fast]).toEqual([...slow]);
    expect(deleteOldest(new Map())).toBeUndefined();
  });
});
