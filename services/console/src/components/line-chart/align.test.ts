import { describe, expect, it } from 'vitest';
import { alignSeries } from './align.ts';

describe('line chart alignment', () => {
  it('aligns series on the union of their xs with nulls for gaps', () => {
    expect(
      alignSeries([
        { label: 'a', points: [[0, 1], [2, 3]] },
        { label: 'b', points: [[1, 5], [2, 6], [2, 7]] },
      ]),
    ).toEqual([[0, 1, 2], [1, null, 3], [null, 5, 7]]);
  });
  it('handles no series and empty series', () => {
    expect(alignSeries([])).toEqual([[]]);
    expect(alignSeries([{ label: 'a', points: [] }])).toEqual([[], []]);
  });
});
