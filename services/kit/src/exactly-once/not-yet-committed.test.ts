import { describe, expect, it } from 'vitest';
import { notYetCommitted } from './exactly-once.ts';

const batch = (...offsets: number[]) => offsets.map((o) => ({ offset: String(o) }));

describe('notYetCommitted: what a new owner may still process after the fence', () => {
  it('keeps the whole batch when nothing or an earlier offset was committed', () => {
    expect(notYetCommitted(batch(4, 5, 6), -1)).toEqual(batch(4, 5, 6));
    expect(notYetCommitted(batch(4, 5, 6), 4)).toEqual(batch(4, 5, 6));
    expect(notYetCommitted(batch(4, 5, 6), 2)).toEqual(batch(4, 5, 6));
  });

  it('drops the head the previous owner committed after our offset was read', () => {
    expect(notYetCommitted(batch(4, 5, 6, 7), 6)).toEqual(batch(6, 7));
  });

  it('drops everything when the committed offset is past the batch', () => {
    expect(notYetCommitted(batch(4, 5), 9)).toEqual([]);
    expect(notYetCommitted([], 9)).toEqual([]);
  });
});
