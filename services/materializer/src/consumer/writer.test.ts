import { describe, expect, it } from 'vitest';
import type { DecodedEvent } from '@mlstream/kit';
import type { Row, TableName } from '../projections/index.ts';
import { resumeOffset, type Store } from './store.ts';
import { chunkAtEvents, writeBatch } from './writer.ts';

const prediction = (offset: number): DecodedEvent =>
  ({
    type: 'PredictionLogged',
    value: { eventId: `e${offset}`, occurredAt: 1_000, requestId: `r${offset}`, model: 'm', version: 1, prediction: 1, latencyMs: 1, error: null },
    schemaId: 1,
    topic: 't',
    partition: 0,
    offset: String(offset),
    key: null,
    headers: {},
  }) as DecodedEvent;

/** An in-memory store whose insert can be told to fail once, like a ClickHouse outage. */
function memoryStore(failOn?: TableName) {
  const tables = new Map<string, Row[]>();
  let fail = failOn;
  const store: Store = {
    watermarks: async () => ({ tables: new Map(), progress: -1 }),
    runStarts: async () => new Map(),
    async insert(table, rows) {
      if (table === fail) {
        fail = undefined;
        throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
      }
      tables.set(table, [...(tables.get(table) ?? []), ...rows]);
    },
    recordProgress: async () => {},
  };
  return { store, tables };
}

describe('writeBatch', () => {
  it('retrying after a failed insert writes every row exactly once', async () => {
    const { store, tables } = memoryStore('predictions');
    const events = [0, 1, 2].map(prediction);
    const marks = { tables: new Map<TableName, number>([['predictions', -1]]), progress: -1 };
    await expect(writeBatch(store, ['predictions'], events, marks, 2, 't', 0)).rejects.toThrow(/ECONNREFUSED/);
    expect(marks.progress).toBe(-1);
    const result = await writeBatch(store, ['predictions'], events, marks, 2, 't', 0);
    expect(result).toEqual({ rows: { predictions: 3 }, inserts: 1 });
    expect(tables.get('predictions')!.map((r) => r._offset)).toEqual([0, 1, 2]);
    expect(marks).toEqual({ tables: new Map([['predictions', 2]]), progress: 2 });
    // A replay of the same batch (e.g. after a crash before the Kafka commit) adds nothing.
    expect((await writeBatch(store, ['predictions'], events, marks, 2, 't', 0)).inserts).toBe(0);
  });

  it('chunks never split the rows of one event', () => {
    const rows = [0, 0, 0, 1, 1, 2].map((o) => ({ _offset: o }));
    expect(chunkAtEvents(rows, 2).map((c) => c.map((r) => r._offset))).toEqual([[0, 0, 0], [1, 1], [2]]);
  });

  it('resumes after the last offset every table holds, helped by the progress hint', () => {
    expect(resumeOffset({ tables: new Map([['runs', 10], ['run_tags', 7]]), progress: -1 })).toBe(8);
    expect(resumeOffset({ tables: new Map([['runs', 10], ['run_tags', 7]]), progress: 12 })).toBe(13);
    expect(resumeOffset({ tables: new Map([['labels', -1]]), progress: -1 })).toBe(0);
  });
});
