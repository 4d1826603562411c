import { describe, expect, it } from 'vitest';
import { buildSnapshot, type SnapshotLabel, type SnapshotPrediction } from './snapshot.ts';

const prediction = (i: number): SnapshotPrediction => ({ topic: 'p', partition: 1, offset: 100 + i, requestId: `r${i}`, version: 1, occurredAt: 1_000 + i, numericFeatures: { b: i, a: 1 }, categoricalFeatures: { plan: i % 2 ? 'x' : 'y' }, prediction: 'stay' });
const label = (i: number, at: number, value: string, offset = 10 + i): SnapshotLabel => ({ topic: 'f', partition: 1, offset, requestId: `r${i}`, occurredAt: at, label: value });

describe('buildSnapshot', () => {
  it('joins only labels known by the cut-off, the last one per request, and names the source ranges', () => {
    const predictions = Array.from({ length: 4 }, (_, i) => prediction(i));
    const labels = [label(0, 2_000, 'churn'), label(1, 2_000, 'stay'), label(1, 2_500, 'churn', 40), label(2, 9_000, 'churn'), label(3, 2_900, 'stay')];
    const s = buildSnapshot(predictions, labels, { labelCutoffMs: 3_000, minRows: 1 });
    expect(s.rows.map((r) => [r.requestId, r.label])).toEqual([
      ['r0', 'churn'],
      ['r1', 'churn'],
      ['r3', 'stay'],
    ]);
    expect(s.sources).toEqual([
      { topic: 'p', partition: 1, fromOffset: 100, toOffset: 103 },
      { topic: 'f', partition: 1, fromOffset: 10, toOffset: 40 },
    ]);
    expect(Object.keys(s.rows[0]!.numericFeatures)).toEqual(['a', 'b']);
  });
  it('is deterministic whatever the input order: same bytes, same sha256', () => {
    const predictions = Array.from({ length: 50 }, (_, i) => prediction(i));
    const labels = predictions.map((_, i) => label(i, 2_000, i % 3 ? 'stay' : 'churn'));
    const a = buildSnapshot(predictions, labels, { labelCutoffMs: 3_000 });
    const b = buildSnapshot([...predictions].reverse(), [...labels].reverse(), { labelCutoffMs: 3_000 });
    expect(b.sha256).toBe(a.sha256);
    expect(a.rows).toHaveLength(50);
    expect(a.validation.passed).toBe(true);
    expect(a.holdoutRows).toBeGreaterThan(0);
  });
  it('fails validation with too few rows', () => {
    expect(buildSnapshot([prediction(0)], [label(0, 1, 'churn')], { labelCutoffMs: 5 }).validation.checks.find((c) => c.name === 'min_rows')!.passed).toBe(false);
  });
});
