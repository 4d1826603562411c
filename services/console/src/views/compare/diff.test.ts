import { describe, expect, it } from 'vitest';
import type { Run } from '../../types.ts';
import { diffRuns } from './diff.ts';

const run = (params: Record<string, string>, metrics: Record<string, number>) =>
  ({ params, latestMetrics: Object.fromEntries(Object.entries(metrics).map(([key, value]) => [key, { key, value, step: 0, timestamp: 0 }])) }) as unknown as Run;

describe('compare diff', () => {
  it('lists params then metrics, marking keys whose values differ or are missing in some run', () => {
    expect(diffRuns([run({ lr: '0.1', depth: '3' }, { acc: 0.9 }), run({ lr: '0.1' }, { acc: 0.8, loss: 1 })])).toEqual([
      { kind: 'param', key: 'depth', values: ['3', undefined], differs: true },
      { kind: 'param', key: 'lr', values: ['0.1', '0.1'], differs: false },
      { kind: 'metric', key: 'acc', values: [0.9, 0.8], differs: true },
      { kind: 'metric', key: 'loss', values: [undefined, 1], differs: true },
    ]);
  });
});
