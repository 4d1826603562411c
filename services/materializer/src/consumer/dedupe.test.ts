import { describe, expect, it } from 'vitest';
import type { DecodedEvent } from '@mlstream/kit';
import type { Row, TableName } from '../projections/index.ts';
import { EventIdWindow, dropRepeats } from './dedupe.ts';
import type { Store } from './store.ts';
import { writeBatch } from './writer.ts';

const prediction = (offset: number, eventId = `e${offset}`): DecodedEvent =>
  ({
    type: 'PredictionLogged',
    value: { eventId, occurredAt: 1_000, requestId: `r${offset}`, model: 'm', version: 1, prediction: 1, latencyMs: 1, error: null },
    schemaId: 1,
    topic: 't',
    partition: 0,
    offset: String(offset),
    key: null,
    headers: {},
  }) as DecodedEvent;

describe('EventIdWindow', () => {
  it('given a kept eventId, when it repeats within the window, then the repeat is dropped; beyond it, kept', () => {
    const w = new EventIdWindow(10);
    expect(w.isRepeat('a', 5)).toBe(false);
    expect(w.isRepeat('a', 9)).toBe(true);
    expect(w.isRepeat('a', 15)).toBe(true); // 15 − 5 = 10: still inside
    expect(w.isRepeat('a', 16)).toBe(false); // outside: kept, and the new reference copy
    expect(w.isRepeat('a', 20)).toBe(true);
  });

  it('replaying the same offsets (a retried batch) gives the same answers', () => {
    const w = new EventIdWindow(100);
    const first = [1, 2, 3].map((o) => w.isRepeat(o === 3 ? 'x1' : `x${o}`, o));
    const again = [1, 2, 3].map((o) => w.isRepeat(o === 3 ? 'x1' : `x${o}`, o));
    expect(first).toEqual([false, false, true]);
    expect(again).toEqual(first);
  });

  it('a window seeded from the table decides as the window that saw the stream', () => {
    const live = new EventIdWindow(50);
    const stream = Array.from({ length: 200 }, (_, o) => [`id${o % 37}`, o] as const);
    const kept = stream.filter(([id, o]) => !live.isRepeat(id, o));
    // Restart at offset 120: seed with the kept rows at offsets >= 120 − 50.
    const seeded = new EventIdWindow(50).seed(kept.filter(([, o]) => o >= 70 && o < 120));
    const replay = stream.slice(120).filter(([id, o]) => !seeded.isRepeat(id, o));
    expect(replay).toEqual(kept.filter(([, o]) => o >= 120));
  });

  it('stays bounded: entries far behind the newest offset are evicted', () => {
    const w = new EventIdWindow(1_000);
    for (let o = 0; o < 10_000; o++) w.isRepeat(`u${o}`, o);
    expect(w.entries).toBeLessThanOrEqual(2_001);
  });

  it('refuses a window of no size', () => {
    expect(() => new EventIdWindow(0)).toThrow(/positive integer/);
  });
});

describe('writeBatch with a dedupe window', () => {
  it('writes a fact sent twice with the same eventId once, also when the batch is retried', async () => {
    const rows: Row[] = [];
    let fail = true;
    const store: Store = {
      watermarks: async () => ({ tables: new Map(), progress: -1 }),
      runStarts: async () => new Map(),
      async insert(_table, r) {
        if (fail) {
          fail = false;
          throw new Error('ECONNRESET');
        }
        rows.push(...r);
      },
      recordProgress: async () => {},
      recordProgressMany: async () => {},
      settle: async () => ({ waitedMs: 0, killed: 0 }),
      recentEventIds: async () => new Map(),
    };
    const events = [prediction(0), prediction(1), prediction(2, 'e0'), prediction(3)];
    const marks = { tables: new Map<TableName, number>([['predictions', -1]]), progress: -1 };
    const window = new EventIdWindow(100);
    await expect(writeBatch(store, ['predictions'], events, marks, 3, 't', 0, { window })).rejects.toThrow(/ECONNRESET/);
    const result = await writeBatch(store, ['predictions'], events, marks, 3, 't', 0, { window });
    expect(result.repeats).toBe(1);
    expect(rows.map((r) => [r._offset, r.event_id])).toEqual([[0, 'e0'], [1, 'e1'], [3, 'e3']]);
    expect(dropRepeats(events, undefined).kept).toHaveLength(4);
  });

  it('refuses to insert once the group lease lapsed, before touching the table', async () => {
    const rows: Row[] = [];
    const store = { insert: async (_t: TableName, r: Row[]) => void rows.push(...r), runStarts: async () => new Map() } as unknown as Store;
    const marks = { tables: new Map<TableName, number>([['predictions', -1]]), progress: -1 };
    await expect(writeBatch(store, ['predictions'], [prediction(0)], marks, 0, 't', 0, { stillOwner: () => false })).rejects.toThrow(/lease/);
    expect(rows).toEqual([]);
  });
});
