import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { decodePageToken, encodePageToken, likeToRegExp, searchRuns } from './search.ts';
import type { RunView } from './types.ts';

const run = (runId: string, startTime: number, over: Partial<RunView> = {}): RunView => ({
  runId,
  experimentId: '1',
  runName: `name-${runId}`,
  status: 'FINISHED',
  startTime,
  endTime: startTime + 10,
  lifecycleStage: 'active',
  userId: 'alice',
  artifactUri: `mlflow-artifacts:/1/${runId}/artifacts`,
  params: {},
  tags: {},
  latestMetrics: {},
  inputs: [],
  codeVersion: null,
  loggedModelIds: [],
  startedAt: { topic: 't', partition: 0, offset: 0 },
  version: 1,
  ...over,
});
const metric = (key: string, value: number) => ({ [key]: { key, value, step: 0, timestamp: 0 } });

// The reference: six runs whose expected answers were worked out by hand below.
const runs: RunView[] = [
  run('a', 100, { params: { lr: '0.1', opt: 'adam' }, latestMetrics: metric('acc', 0.9), tags: { team: 'ml' }, inputs: [{ datasetId: 'iris', version: 'd1', context: 'training' }] }),
  run('b', 300, { params: { lr: '0.01' }, latestMetrics: metric('acc', 0.7), tags: { team: 'ML-ops' }, userId: 'bob' }),
  run('c', 200, { latestMetrics: metric('acc', Number.NaN), status: 'RUNNING', endTime: null, runName: 'Special run' }),
  run('d', 200, { params: { lr: '0.1' }, latestMetrics: metric('loss', 1), inputs: [{ datasetId: 'wine', version: 'd2', context: 'eval' }] }),
  run('e', 400, { lifecycleStage: 'deleted', latestMetrics: metric('acc', 0.95) }),
  run('f', 50, { latestMetrics: metric('acc', 0.9), status: 'FAILED' }),
];
const ids = (filter?: string, orderBy?: string[], extra: object = {}) => searchRuns(runs, { filter, orderBy, ...extra }).runs.map((r) => r.runId);

describe('searchRuns: MLflow semantics over the read view', () => {
  it('orders by start_time DESC then run_id by default and hides deleted runs', () => {
    expect(ids()).toEqual(['b', 'c', 'd', 'a', 'f']);
    expect(ids(undefined, undefined, { runViewType: 'DELETED_ONLY' })).toEqual(['e']);
    expect(ids(undefined, undefined, { runViewType: 'ALL' })).toEqual(['e', 'b', 'c', 'd', 'a', 'f']);
  });

  it('compares metrics as numbers; runs without the metric never match, not even !=', () => {
    expect(ids('metrics.acc > 0.8')).toEqual(['a', 'f']);
    expect(ids('metrics.acc != 0.9')).toEqual(['b', 'c']); // NaN != 0.9; d has no acc
    expect(ids('metrics.acc IN (0.7, 0.9)')).toEqual(['b', 'a', 'f']);
    expect(ids('metrics.acc IS NULL')).toEqual(['d']);
    expect(ids('metrics.acc IS NOT NULL and metrics.acc <= 0.9')).toEqual(['b', 'a', 'f']);
  });

  it('compares params and tags as text, LIKE case-sensitively and ILIKE not', () => {
    expect(ids("params.lr = '0.1'")).toEqual(['d', 'a']);
    expect(ids("params.lr != '0.1'")).toEqual(['b']);
    expect(ids("params.lr NOT IN ('0.1')")).toEqual(['b']);
    expect(ids('params.opt IS NULL')).toEqual(['b', 'c', 'd', 'f']);
    expect(ids("tags.team LIKE 'ML%'")).toEqual(['b']);
    expect(ids("tags.team ILIKE 'ml%'")).toEqual(['b', 'a']);
    expect(ids("tags.team LIKE 'm_'")).toEqual(['a']);
  });

  it('answers every MLflow attribute', () => {
    expect(ids("attributes.status = 'RUNNING'")).toEqual(['c']);
    expect(ids("attributes.run_name ILIKE 'special%'")).toEqual(['c']);
    expect(ids("attributes.`Run name` = 'name-a'")).toEqual(['a']);
    expect(ids("attributes.user_id = 'bob'")).toEqual(['b']);
    expect(ids("attributes.run_id IN ('a', 'f', 'zzz')")).toEqual(['a', 'f']);
    expect(ids('attributes.start_time >= 200')).toEqual(['b', 'c', 'd']);
    expect(ids('attributes.end_time IS NULL')).toEqual(['c']);
    expect(ids('attributes.end_time < 150')).toEqual(['a', 'f']);
    expect(ids("attributes.artifact_uri LIKE '%/d/artifacts'")).toEqual(['d']);
    expect(ids("attributes.lifecycle_stage = 'deleted'", undefined, { runViewType: 'ALL' })).toEqual(['e']);
    expect(ids('attributes.created < 100')).toEqual(['f']);
  });

  it('matches datasets by name (datasetId), digest (version) and context', () => {
    expect(ids("datasets.name = 'iris'")).toEqual(['a']);
    expect(ids("datasets.digest IN ('d1', 'd2')")).toEqual(['d', 'a']);
    expect(ids("datasets.context = 'eval'")).toEqual(['d']);
    expect(ids('datasets.name IS NULL')).toEqual(['b', 'c', 'f']);
    expect(ids("datasets.name LIKE 'w%' AND params.lr = '0.1'")).toEqual(['d']);
  });

  it('orders by metrics with missing values last in both directions and NaN above every number', () => {
    expect(ids(undefined, ['metrics.acc DESC'])).toEqual(['c', 'a', 'f', 'b', 'd']);
    expect(ids(undefined, ['metrics.acc ASC'])).toEqual(['b', 'a', 'f', 'c', 'd']);
    expect(ids(undefined, ['metrics.acc'])).toEqual(['b', 'a', 'f', 'c', 'd']);
  });

  it('orders by params, tags and attributes, ties broken by start_time DESC then run_id', () => {
    expect(ids(undefined, ['params.lr'])).toEqual(['b', 'd', 'a', 'c', 'f']);
    expect(ids(undefined, ['params.lr DESC', 'attributes.start_time ASC'])).toEqual(['a', 'd', 'b', 'f', 'c']); // no lr: f (50) before c (200)
    expect(ids(undefined, ['attributes.run_name DESC'])).toEqual(['f', 'd', 'b', 'a', 'c']);
    expect(ids(undefined, ['attributes.end_time'])).toEqual(['f', 'a', 'd', 'b', 'c']);
  });

  it('pages with max_results and opaque tokens until the last page, which has none', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = searchRuns(runs, { maxResults: 2, pageToken: token });
      seen.push(...page.runs.map((r) => r.runId));
      token = page.nextPageToken;
      pages += 1;
    } while (token);
    expect(seen).toEqual(['b', 'c', 'd', 'a', 'f']);
    expect(pages).toBe(3);
    expect(decodePageToken(encodePageToken(7))).toBe(7);
    expect(searchRuns(runs, { maxResults: 5 }).nextPageToken).toBeUndefined();
  });

  it('refuses bad tokens, sizes and filters with coded errors', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return (error as { code?: string }).code;
      }
      return 'none';
    };
    expect(code(() => searchRuns(runs, { pageToken: 'not-a-token' }))).toBe('INVALID_REQUEST');
    expect(code(() => searchRuns(runs, { pageToken: Buffer.from('{"offset":-1}').toString('base64') }))).toBe('INVALID_REQUEST');
    expect(code(() => searchRuns(runs, { maxResults: 0 }))).toBe('INVALID_REQUEST');
    expect(code(() => searchRuns(runs, { maxResults: 50_001 }))).toBe('INVALID_REQUEST');
    expect(code(() => searchRuns(runs, { filter: "metrics.acc > 'x'" }))).toBe('INVALID_FILTER');
    expect(code(() => searchRuns(runs, { filter: 'datasets.size = 1' }))).toBe('INVALID_FILTER');
    expect(isMlstreamError(new Error('x'))).toBe(false);
  });

  it('LIKE patterns are anchored and treat regex characters literally', () => {
    expect(likeToRegExp('a.c%', false).test('a.cdef')).toBe(true);
    expect(likeToRegExp('a.c%', false).test('abcdef')).toBe(false);
    expect(likeToRegExp('100\\%', false).test('100%')).toBe(true);
    expect(likeToRegExp('x_', false).test('xyz')).toBe(false);
  });
});
