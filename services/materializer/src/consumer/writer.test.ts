import { describe, expect, it } from 'vitest';
import type { DecodedEvent } from '@mlstream/kit';
import type { Row, TableName } from '../projections/index.ts';
import { combineWatermarks, resumeOffset, type Store } from './store.ts';
import { chunkAtEvents, writeBatch, writeBatchesTogether } from './writer.ts';

const prediction = (offset: number, partition = 0): DecodedEvent =>
  ({
    type: 'PredictionLogged',
    value: { eventId: `e${offset}`, occurredAt: 1_000, requestId: `r${offset}`, model: 'm', version: 1, prediction: 1, latencyMs: 1, error: null },
    schemaId: 1,
    topic: 't',
    partition,
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
    recordProgressMany: async () => {},
    settle: async () => ({ waitedMs: 0, killed: 0 }),
    recentEventIds: async () => new Map(),
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
    expect(result).toEqual({ rows: { predictions: 3 }, inserts: 1, repeats: 0, progress: true });
    expect(tables.get('predictions')!.map((r) => r._offset)).toEqual([0, 1, 2]);
    expect(marks).toEqual({ tables: new Map([['predictions', 2]]), progress: 2 });
    // A replay of the same batch (e.g. after a crash before the Kafka commit) adds nothing.
    expect((await writeBatch(store, ['predictions'], events, marks, 2, 't', 0)).inserts).toBe(0);
  });

  it('skips the progress hint when the tables cover the batch and it is not due, writes it when a table falls short', async () => {
    const { store } = memoryStore();
    let recorded = 0;
    store.recordProgress = async () => void (recorded += 1);
    const marks = { tables: new Map<TableName, number>([['predictions', -1]]), progress: -1 };
    const notDue = { progressDue: () => false };
    expect((await writeBatch(store, ['predictions'], [0, 1].map(prediction), marks, 1, 't', 0, notDue)).progress).toBeUndefined();
    expect(recorded).toBe(0);
    expect(resumeOffset(marks)).toBe(2); // the table's own watermark says it all
    // A dead-lettered record at offset 3 (no event, no row): the table stops at 2, the hint must say 3.
    await writeBatch(store, ['predictions'], [prediction(2)], marks, 3, 't', 0, notDue);
    expect(recorded).toBe(1);
    expect(resumeOffset(marks)).toBe(4);
    // Due (once a second, for dashboards): written although the table covers it.
    await writeBatch(store, ['predictions'], [prediction(4)], marks, 4, 't', 0, { progressDue: () => true });
    expect(recorded).toBe(2);
  });

  it('concurrent tables: a failed table leaves the others written, and the retry adds only its rows', async () => {
    const { store, tables } = memoryStore('labels');
    const label = (offset: number): DecodedEvent => ({ ...prediction(offset), type: 'LabelObserved', value: { eventId: `l${offset}`, occurredAt: 1_000, requestId: `r${offset}`, model: 'm', label: 'x' } }) as DecodedEvent;
    const events = [prediction(0), label(1), prediction(2)];
    const marks = { tables: new Map<TableName, number>([['predictions', -1], ['labels', -1]]), progress: -1 };
    await expect(writeBatch(store, ['predictions', 'labels'], events, marks, 2, 't', 0, { concurrentTables: true })).rejects.toThrow(/ECONNREFUSED/);
    expect(marks.tables).toEqual(new Map([['predictions', 2], ['labels', -1]]));
    expect(marks.progress).toBe(-1);
    expect((await writeBatch(store, ['predictions', 'labels'], events, marks, 2, 't', 0, { concurrentTables: true })).inserts).toBe(1);
    expect(tables.get('predictions')!.map((r) => r._offset)).toEqual([0, 2]);
    expect(tables.get('labels')!.map((r) => r._offset)).toEqual([1]);
    expect(marks.progress).toBe(2);
  });

  it('writes several partitions with one insert per table, each partition above its own watermark, and one progress write', async () => {
    const { store, tables } = memoryStore();
    const hints: Array<{ partition: number; offset: number }> = [];
    store.recordProgressMany = async (h) => void hints.push(...h.map(({ partition, offset }) => ({ partition, offset })));
    const p0 = { tables: new Map<TableName, number>([['predictions', 1]]), progress: -1 }; // rows 0..1 of partition 0 are in already
    const p1 = { tables: new Map<TableName, number>([['predictions', -1]]), progress: -1 };
    const batches = [
      { topic: 't', partition: 0, tables: ['predictions'] as const, events: [0, 1, 2].map((o) => prediction(o, 0)), watermarks: p0, lastOffset: 3 }, // 3: dead-lettered
      { topic: 't', partition: 1, tables: ['predictions'] as const, events: [0, 1].map((o) => prediction(o, 1)), watermarks: p1, lastOffset: 1 },
    ];
    const result = await writeBatchesTogether(store, batches, { progressDue: () => false });
    expect(result).toMatchObject({ inserts: 1, rows: { predictions: 3 }, progress: true });
    expect(tables.get('predictions')!.map((r) => `${r._partition}:${r._offset}`)).toEqual(['0:2', '1:0', '1:1']);
    expect([p0.tables.get('predictions'), p1.tables.get('predictions')]).toEqual([2, 1]);
    // Only partition 0 needs a hint: its table stops at 2, its batch at 3.
    expect(hints).toEqual([{ partition: 0, offset: 3 }]);
    expect(resumeOffset(p0)).toBe(4);
    expect(resumeOffset(p1)).toBe(2);
    // The same batches again (a re-run with --force) write nothing.
    expect((await writeBatchesTogether(store, batches)).inserts).toBe(0);
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

  it('a table new to a materialized topic is filled from the start; the old tables keep their hints', () => {
    const max = new Map<TableName, number>([['runs', 90], ['run_tags', 40]]);
    // Before per-table hints: only materializer_progress (99) for the topic; run_lifecycle is new.
    const upgraded = combineWatermarks(['runs', 'run_tags', 'run_lifecycle'], (t) => max.get(t) ?? -1, () => -1, 99);
    expect(upgraded).toEqual({ tables: new Map([['runs', 99], ['run_tags', 99], ['run_lifecycle', -1]]), progress: -1 });
    expect(resumeOffset(upgraded)).toBe(0);
    // Once per-table hints exist, they speak for every table, new ones included.
    const later = combineWatermarks(['runs', 'run_tags', 'run_lifecycle'], (t) => max.get(t) ?? -1, (t) => (t === 'run_lifecycle' ? 120 : 130), 130);
    expect(later).toEqual({ tables: new Map([['runs', 130], ['run_tags', 130], ['run_lifecycle', 120]]), progress: 120 });
    expect(resumeOffset(later)).toBe(121);
    // A new topic: nothing anywhere.
    expect(resumeOffset(combineWatermarks(['artifacts', 'logged_models'], () => -1, () => -1, -1))).toBe(0);
  });
});
