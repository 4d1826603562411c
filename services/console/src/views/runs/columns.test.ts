import { describe, expect, it } from 'vitest';
import type { Run } from '../../types.ts';
import { keysOf, shownColumns, upsertRun, valueOf } from './columns.ts';

const run = (runId: string, metrics: Record<string, number>, params: Record<string, string>): Run => ({
  runId,
  experimentId: '1',
  runName: `name-${runId}`,
  status: 'FINISHED',
  startTime: 1000,
  endTime: 4000,
  lifecycleStage: 'active',
  userId: 'u',
  artifactUri: '',
  params,
  tags: { team: 'ds' },
  latestMetrics: Object.fromEntries(Object.entries(metrics).map(([key, value]) => [key, { key, value, step: 1, timestamp: 1 }])),
  inputs: [],
  codeVersion: null,
  loggedModelIds: [],
  startedAt: { topic: 't', partition: 0, offset: 0 },
  version: 1,
});

describe('runs table columns', () => {
  const runs = [run('a', { acc: 0.9, loss: 0.1 }, { lr: '0.1' }), run('b', { f1: 0.5 }, { lr: '0.01', depth: '3' })];
  it('finds every metric and param key', () => {
    expect(keysOf(runs)).toEqual({ metrics: ['acc', 'f1', 'loss'], params: ['depth', 'lr'] });
  });
  it('shows the chosen columns, else metrics then params', () => {
    expect(shownColumns(keysOf(runs), [])).toEqual(['metrics.acc', 'metrics.f1', 'metrics.loss', 'params.depth', 'params.lr']);
    expect(shownColumns(keysOf(runs), ['params.lr'])).toEqual(['params.lr']);
  });
  it('reads values by column id', () => {
    expect(valueOf(runs[0]!, 'metrics.acc')).toBe(0.9);
    expect(valueOf(runs[0]!, 'metrics.f1')).toBeUndefined();
    expect(valueOf(runs[1]!, 'params.depth')).toBe('3');
    expect(valueOf(runs[1]!, 'tags.team')).toBe('ds');
    expect(valueOf(runs[1]!, 'attributes.duration')).toBe(3000);
    expect(valueOf(runs[1]!, 'attributes.run_name')).toBe('name-b');
  });
  it('upserts a run in place or first', () => {
    const updated = { ...runs[1]!, status: 'FAILED' as const };
    expect(upsertRun(runs, updated).map((r) => [r.runId, r.status])).toEqual([['a', 'FINISHED'], ['b', 'FAILED']]);
    expect(upsertRun(runs, run('c', {}, {})).map((r) => r.runId)).toEqual(['c', 'a', 'b']);
  });
});
