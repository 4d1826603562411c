import { describe, expect, it } from 'vitest';
import { formatConsistency, parseConsistency } from './consistency.ts';

describe('X-Mlstream-Consistency', () => {
  it('round-trips positions, prefixed topic names included', () => {
    const positions = [
      { topic: 't-1.mlops.runs.v1', partition: 3, offset: 17 },
      { topic: 'mlops.registry.v1', partition: 0, offset: 0 },
    ];
    expect(parseConsistency(formatConsistency(positions))).toEqual(positions);
    expect(parseConsistency(['a:1:2', 'b:0:5'])).toEqual([
      { topic: 'a', partition: 1, offset: 2 },
      { topic: 'b', partition: 0, offset: 5 },
    ]);
    expect(parseConsistency(undefined)).toEqual([]);
    expect(parseConsistency(' ')).toEqual([]);
  });

  it('refuses anything else as INVALID_REQUEST', () => {
    for (const bad of ['a:b:c', 'a:1', 'a b:1:2', 'a:1:-2', 'a:1:99999999999999999', `a:1:1,`.repeat(1_001)]) {
      expect(() => parseConsistency(bad), bad).toThrow(/X-Mlstream-Consistency/);
    }
  });
});
