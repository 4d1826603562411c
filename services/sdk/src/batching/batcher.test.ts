import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.ts';

const gate = () => {
  let open: () => void = () => {};
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
};

describe('batcher', () => {
  it('sends full batches at once and the rest after the linger time, in order', async () => {
    const sent: number[][] = [];
    const b = createBatcher<number>({ send: async (items) => void sent.push(items), maxBatch: 3, lingerMs: 30 });
    for (let i = 0; i < 7; i++) await b.add(i);
    await new Promise((r) => setTimeout(r, 5));
    expect(sent).toEqual([[0, 1, 2], [3, 4, 5]]);
    await new Promise((r) => setTimeout(r, 60));
    expect(sent).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('applies backpressure: add waits while maxQueued items are queued or in flight', async () => {
    const g = gate();
    const b = createBatcher<number>({ send: () => g.opened, maxBatch: 2, maxQueued: 2, lingerMs: 0 });
    await b.add(1);
    await b.add(2); // in flight, blocked on the gate
    let third = false;
    const adding = b.add(3).then(() => (third = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(third).toBe(false);
    expect(b.pending).toBe(2);
    g.open();
    await adding;
    expect(third).toBe(true);
    await b.close();
    expect(b.pending).toBe(0);
  });

  it('flush reports failed batches once, close flushes and refuses more', async () => {
    const seen: number[][] = [];
    const b = createBatcher<number>({ send: async (items) => (items.includes(2) ? Promise.reject(new Error('down')) : void seen.push(items)), maxBatch: 1, lingerMs: 1000, onError: (_e, items) => seen.push([-items[0]!]) });
    await b.add(1);
    await b.add(2);
    await expect(b.flush()).rejects.toThrow('down');
    await b.flush(); // the failure was reported once
    await b.add(3);
    await b.close();
    expect(seen).toEqual([[1], [-2], [3]]);
    await expect(b.add(4)).rejects.toThrow('closed');
    await b.close();
  });

  it('checks its options', () => {
    expect(() => createBatcher({ send: async () => {}, maxBatch: 0 })).toThrow('maxBatch');
    expect(() => createBatcher({ send: async () => {}, maxBatch: 10, maxQueued: 5 })).toThrow('maxQueued');
  });
});
