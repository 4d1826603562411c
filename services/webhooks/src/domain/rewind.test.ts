import { describe, expect, it } from 'vitest';
import { rewindTargets } from './rewind.ts';

describe('redelivery targets', () => {
  const committed = new Map([
    [0, 100],
    [1, 50],
    [2, -1],
  ]);

  it('moves back to the first record at or after the time on every partition', () => {
    expect(rewindTargets(committed, new Map([[0, 40], [1, 10], [2, 0]]), [])).toEqual([
      { partition: 0, offset: 40 },
      { partition: 1, offset: 10 },
      { partition: 2, offset: 0 },
    ]);
  });

  it('never moves forward: a redelivery skips nothing not yet delivered', () => {
    expect(rewindTargets(committed, undefined, [{ partition: 1, offset: 70 }])).toEqual([{ partition: 1, offset: 50 }]);
  });

  it('takes the lower of a time and a named offset, and leaves other partitions alone', () => {
    expect(rewindTargets(committed, new Map([[0, 40]]), [{ partition: 0, offset: 20 }])).toEqual([{ partition: 0, offset: 20 }]);
    expect(rewindTargets(committed, undefined, [{ partition: 0, offset: 99 }])).toEqual([{ partition: 0, offset: 99 }]);
  });
});
