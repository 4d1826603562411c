import { describe, expect, it } from 'vitest';
import { isMlstreamError, resolveCatalog } from '@mlstream/kit';
import { offsetsOf, parseBound, planRanges, selectTopics, totalOffsets, type Bound, type PartitionExtent } from './range.ts';

const catalog = resolveCatalog('p.');
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return isMlstreamError(error) ? error.code : String(error);
  }
  return 'no error';
};

describe('replay range parsing', () => {
  it('reads times as ISO-8601 or epoch ms, and offsets as partition:offset or topic:partition:offset', () => {
    expect(parseBound('2026-11-27T10:00:00Z', '--from')).toEqual({ kind: 'time', ms: Date.UTC(2026, 10, 27, 10), text: '2026-11-27T10:00:00Z' });
    expect(parseBound('1795000000000', '--to')).toEqual({ kind: 'time', ms: 1_795_000_000_000, text: '1795000000000' });
    expect(parseBound('0:10, runs:2:5,p.mlops.runs.v1:3:7', '--from')).toEqual({
      kind: 'offsets',
      text: '0:10, runs:2:5,p.mlops.runs.v1:3:7',
      offsets: [
        { partition: 0, offset: 10 },
        { topic: 'runs', partition: 2, offset: 5 },
        { topic: 'p.mlops.runs.v1', partition: 3, offset: 7 },
      ],
    });
  });

  it('refuses what it cannot read, naming the accepted forms', () => {
    expect(code(() => parseBound('yesterday', '--from'))).toBe('INVALID_REPLAY_OPTION');
    expect(code(() => parseBound('2026-13-45', '--from'))).toBe('INVALID_REPLAY_OPTION');
    expect(code(() => parseBound('0:x', '--to'))).toBe('INVALID_REPLAY_OPTION');
    expect(() => parseBound('-1:3', '--to')).toThrow(/partition:offset/);
  });

  it('selects every materialized topic by default, or the named ones by stream id or topic name', () => {
    const all = selectTopics(catalog);
    expect(all.map((t) => t.stream)).toContain('predictions');
    expect(all.map((t) => t.topic)).not.toContain('p.mlops.runs.commands.v1');
    expect(all.map((t) => t.stream)).toEqual(expect.arrayContaining(['experiments', 'artifacts']));
    expect(selectTopics(catalog, 'runs,p.mlops.predictions.v1')).toEqual([
      { stream: 'runs', topic: 'p.mlops.runs.v1', tables: ['runs', 'run_params', 'run_metrics', 'run_tags', 'run_inputs', 'run_artifacts', 'run_lifecycle', 'run_tag_deletions'] },
      { stream: 'predictions', topic: 'p.mlops.predictions.v1', tables: ['predictions'] },
    ]);
    expect(code(() => selectTopics(catalog, 'runs.commands'))).toBe('INVALID_REPLAY_OPTION');
  });
});

describe('replay range planning', () => {
  const topics = selectTopics(catalog, 'runs,predictions');
  const extents: PartitionExtent[] = [
    { topic: 'p.mlops.runs.v1', partition: 0, low: 0, high: 100 },
    { topic: 'p.mlops.runs.v1', partition: 1, low: 10, high: 20 },
    { topic: 'p.mlops.predictions.v1', partition: 0, low: 0, high: 50 },
  ];
  const offsets = (text: string) => parseBound(text, '--x') as Extract<Bound, { kind: 'offsets' }>;

  it('defaults to the whole log up to the end captured at the start', () => {
    expect(planRanges(extents)).toEqual([
      { topic: 'p.mlops.runs.v1', partition: 0, start: 0, end: 100 },
      { topic: 'p.mlops.runs.v1', partition: 1, start: 10, end: 20 },
      { topic: 'p.mlops.predictions.v1', partition: 0, start: 0, end: 50 },
    ]);
    expect(totalOffsets(planRanges(extents))).toBe(160);
  });

  it('applies an unqualified partition to every topic, a qualified one to its topic, both inclusive', () => {
    const from = offsetsOf(offsets('0:5'), topics, extents, '--from', false);
    const to = offsetsOf(offsets('runs:0:9,predictions:0:1000'), topics, extents, '--to', true);
    expect(planRanges(extents, from, to)).toEqual([
      { topic: 'p.mlops.runs.v1', partition: 0, start: 5, end: 10 },
      { topic: 'p.mlops.runs.v1', partition: 1, start: 10, end: 20 },
      { topic: 'p.mlops.predictions.v1', partition: 0, start: 5, end: 50 }, // clamped to the captured end
    ]);
  });

  it('clamps a start below the log start (deleted records) and refuses from after to', () => {
    expect(planRanges(extents, () => 0)[1]).toEqual({ topic: 'p.mlops.runs.v1', partition: 1, start: 10, end: 20 });
    const from = offsetsOf(offsets('runs:0:50'), topics, extents, '--from', false);
    const to = offsetsOf(offsets('runs:0:10'), topics, extents, '--to', true);
    expect(code(() => planRanges(extents, from, to))).toBe('INVALID_REPLAY_OPTION');
    // Past the end of the log: an empty range, not an error (one offset list over topics of different sizes).
    expect(planRanges(extents, offsetsOf(offsets('0:75'), topics, extents, '--from', false))[2]).toEqual({ topic: 'p.mlops.predictions.v1', partition: 0, start: 50, end: 50 });
  });

  it('refuses offsets of a topic or partition that is not replayed', () => {
    expect(code(() => offsetsOf(offsets('labels:0:1'), topics, extents, '--from', false))).toBe('INVALID_REPLAY_OPTION');
    expect(code(() => offsetsOf(offsets('predictions:1:1'), topics, extents, '--from', false))).toBe('INVALID_REPLAY_OPTION');
    expect(code(() => offsetsOf(offsets('7:1'), topics, extents, '--from', false))).toBe('INVALID_REPLAY_OPTION');
    // Unqualified: every topic that has the partition.
    expect(offsetsOf(offsets('1:12'), topics, extents, '--from', false)('p.mlops.runs.v1', 1)).toBe(12);
    expect(offsetsOf(offsets('1:12'), topics, extents, '--from', false)('p.mlops.predictions.v1', 1)).toBeUndefined();
  });
});
