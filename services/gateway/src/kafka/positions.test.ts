import { describe, expect, it } from 'vitest';
import { formatPositions, parsePositions, startPositions } from './positions.ts';

describe('stream positions (SSE ids)', () => {
  it('round-trips partition:offset lists in partition order', () => {
    const p = new Map([[2, 7n], [0, 15n], [1, 3n]]);
    expect(formatPositions(p)).toBe('0:15,1:3,2:7');
    expect(parsePositions('0:15,1:3,2:7')).toEqual(new Map([[0, 15n], [1, 3n], [2, 7n]]));
  });

  it('rejects anything else', () => {
    for (const bad of ['', 'x', '0:', ':1', '0:1,0:2', '0:-1', '0:1;1:2', '0:99999999999999999999', '1.5:2']) expect(parsePositions(bad), bad).toBeUndefined();
  });

  it('starts at the resume position, clamped to what the topic holds; partitions missing from it start at the beginning', () => {
    const offsets = [
      { partition: 0, low: '0', high: '20' },
      { partition: 1, low: '5', high: '9' },
      { partition: 2, low: '0', high: '4' },
    ];
    expect(startPositions(offsets, new Map([[0, 15n], [1, 2n]]), 'latest')).toEqual(new Map([[0, 15n], [1, 5n], [2, 0n]]));
    expect(startPositions(offsets, new Map([[0, 99n]]), 'latest').get(0)).toBe(20n);
    expect(startPositions(offsets, undefined, 'latest')).toEqual(new Map([[0, 20n], [1, 9n], [2, 4n]]));
    expect(startPositions(offsets, undefined, 'earliest')).toEqual(new Map([[0, 0n], [1, 5n], [2, 0n]]));
  });
});
