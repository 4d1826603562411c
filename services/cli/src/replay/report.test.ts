import { describe, expect, it } from 'vitest';
import { differingTables } from './compare.ts';
import { defaultReplayDatabase, type ReplayReport } from './replay.ts';
import { formatProgress, formatReport } from './report.ts';
import { progressOf } from './run.ts';

const report = (tables: ReplayReport['tables']): ReplayReport => ({
  database: 'mlstream_replay_x',
  created: true,
  dropped: false,
  compareWith: 'mlstream',
  range: { from: null, to: '2026-11-27T10:00:00Z', partitions: [{ topic: 'a', partition: 0, start: 0, end: 10 }, { topic: 'b', partition: 0, start: 0, end: 5 }] },
  read: { records: 15, events: 14, undecodable: [{ topic: 'a', partition: 0, offset: 3, code: 'CORRUPT_MESSAGE' }], seconds: 2, eventsPerSecond: 7, inserts: 3, rows: {} },
  liveBehind: [],
  tables,
  differences: differingTables(tables),
});

describe('replay progress and report', () => {
  it('estimates the time left from the average rate so far', () => {
    expect(progressOf(250, 1000, 240, 5_000)).toEqual({ done: 250, total: 1000, events: 240, elapsedMs: 5_000, perSecond: 48, etaSeconds: 15 });
    expect(progressOf(0, 1000, 0, 0).etaSeconds).toBeNull();
    expect(formatProgress(progressOf(250, 1000, 240, 5_000))).toBe('replay: 250 / 1,000 offsets (25%), 240 events, 48 events/s, ETA 15 s');
    expect(formatProgress(progressOf(1, 1_000_000, 1, 1_000))).toBe('replay: 1 / 1,000,000 offsets (0%), 1 events, 1 events/s, ETA 277 h 47 min');
  });

  it('lists every table with both counts and says which differ, and how', () => {
    const text = formatReport(
      report([
        { table: 'predictions', topic: 'a', replayed: { rows: 10, checksum: '1' }, live: { rows: 10, checksum: '1' }, equal: true },
        { table: 'labels', topic: 'b', replayed: { rows: 4, checksum: '2' }, live: { rows: 4, checksum: '3' }, equal: false },
        { table: 'runs', topic: 'b', replayed: { rows: 4, checksum: '2' }, live: { rows: 5, checksum: '2' }, equal: false },
        { table: 'model_metrics_1m (finalized)', topic: null, replayed: null, live: null, equal: null, note: 'not compared: …' },
      ]),
    );
    expect(text).toContain('replayed into mlstream_replay_x (created): 2 topic(s), 2 partition(s), from the log start to 2026-11-27T10:00:00Z');
    expect(text).toContain('1 undecodable skipped');
    expect(text).toMatch(/predictions\s+10\s+10 {2}equal/);
    expect(text).toMatch(/labels\s+4\s+4 {2}DIFFERENT \(same count, other values\)/);
    expect(text).toMatch(/runs\s+4\s+5 {2}DIFFERENT\n/);
    expect(text).toMatch(/model_metrics_1m \(finalized\)\s+-\s+- {2}not compared/);
    expect(text).toContain('2 table(s) differ from mlstream: labels, runs');
  });

  it('names a fresh database after the UTC time', () => {
    expect(defaultReplayDatabase(new Date(Date.UTC(2026, 10, 27, 9, 5, 7, 123)))).toBe('mlstream_replay_20261127_090507');
  });
});
