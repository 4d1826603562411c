import { describe, expect, it } from 'vitest';
import type { DriftHistory, DriftPoint } from '../api-types.ts';
import { applyDriftEvent, driftMatrix, pointFromEvent, timelineMarks } from './matrix.ts';

const point = (i: number, features: Array<[string, number, boolean]>, version = 1): DriftPoint => ({
  version,
  windowId: `m/${version}/COUNT/${i}`,
  windowIndex: i,
  windowStart: i * 100,
  windowEnd: i * 100 + 99,
  count: 10,
  driftedShare: features.filter((f) => f[2]).length / features.length,
  datasetDrift: false,
  features: features.map(([feature, statistic, drifted]) => ({ feature, test: 'ks', statistic, pValue: null, drifted })),
  accuracy: null,
  mae: null,
  eventId: `e${version}-${i}`,
});
const event = (i: number, version = 1) => ({
  type: 'DriftMeasured',
  value: { eventId: `e${version}-${i}`, occurredAt: i * 100 + 99, model: 'm', version, window: { id: `m/${version}/COUNT/${i}`, index: i, kind: 'COUNT', start: i * 100, end: i * 100 + 99, count: 10 }, referenceId: 'r', features: [{ feature: 'a', kind: 'numeric', test: 'ks', statistic: 0.5, pValue: 0.01, threshold: 0.05, drifted: true }], driftedShare: 1, datasetDrift: true, performance: null },
});

describe('drift matrix', () => {
  it('lays windows out as columns and features as rows, unmeasured cells marked', () => {
    const m = driftMatrix([point(0, [['a', 0.1, false], ['b', 0.2, true]]), point(1, [['b', 0.3, false], ['c', 0.4, true]])]);
    expect(m.features).toEqual(['a', 'b', 'c']);
    expect([...m.statistic]).toEqual([0.1, NaN, 0.2, 0.3, NaN, 0.4]);
    expect([...m.drifted]).toEqual([0, 255, 1, 0, 255, 1]);
  });

  it('builds 200 windows × 50 features quickly', () => {
    const features = Array.from({ length: 50 }, (_, f) => [`f${f}`, f / 50, f % 7 === 0] as [string, number, boolean]);
    const windows = Array.from({ length: 200 }, (_, w) => point(w, features));
    const m = driftMatrix(windows);
    expect(m.statistic.length).toBe(10_000);
    expect(m.drifted[7 * 200 + 3]).toBe(1);
  });
});

describe('live drift events', () => {
  const empty: DriftHistory = { measurements: [], detections: [], retrains: [] };

  it('turns a DriftMeasured value into a point and folds it in once, in window order', () => {
    expect(pointFromEvent(event(3).value)).toMatchObject({ windowId: 'm/1/COUNT/3', windowIndex: 3, driftedShare: 1, datasetDrift: true, features: [{ feature: 'a', pValue: 0.01, drifted: true }] });
    expect(pointFromEvent({ nope: 1 })).toBeUndefined();
    let h = applyDriftEvent(empty, event(2));
    h = applyDriftEvent(h, event(1));
    h = applyDriftEvent(h, event(2));
    expect(h.measurements.map((m) => m.windowIndex)).toEqual([1, 2]);
    expect(applyDriftEvent(h, event(5, 2), 1)).toBe(h);
  });

  it('adds detections and retrain requests once', () => {
    const d = { type: 'DriftDetected', value: { eventId: 'd', occurredAt: 5, model: 'm', version: 1, windowId: 'm/1/COUNT/1', measurementIds: ['e1-1'], driftedFeatures: ['a'], reason: 'two windows' } };
    const r = { type: 'RetrainRequested', value: { eventId: 'r', occurredAt: 6, model: 'm', version: 1, idempotencyKey: 'k', reason: 'drift', requestedBy: 'policy', evidence: [{ eventId: 'e1-1', windowId: 'm/1/COUNT/1', driftedShare: 1, features: ['a'] }] } };
    let h = applyDriftEvent(applyDriftEvent(empty, d), d);
    h = applyDriftEvent(applyDriftEvent(h, r), r);
    expect(h.detections).toHaveLength(1);
    expect(h.retrains).toEqual([{ version: 1, at: 6, idempotencyKey: 'k', reason: 'drift', requestedBy: 'policy', evidenceEventIds: ['e1-1'] }]);
  });

  it('places detections at their window and retrain requests at their latest evidence', () => {
    const windows = [point(0, [['a', 1, true]]), point(1, [['a', 1, true]]), point(2, [['a', 1, true]])];
    const h: DriftHistory = {
      measurements: windows,
      detections: [{ version: 1, windowId: 'm/1/COUNT/1', at: 199, driftedFeatures: ['a'], measurementIds: ['e1-0', 'e1-1'], reason: 'streak' }],
      retrains: [
        { version: 1, at: 250, idempotencyKey: 'k', reason: 'drift', requestedBy: 'policy', evidenceEventIds: ['e1-0', 'e1-2'] },
        { version: 1, at: 150, idempotencyKey: 'k2', reason: '', requestedBy: 'alice', evidenceEventIds: [] },
      ],
    };
    expect(timelineMarks(h, windows).map((m) => [m.kind, m.column, m.label])).toEqual([
      ['retrain', 0, 'retrain requested by alice'],
      ['detection', 1, 'streak'],
      ['retrain', 2, 'drift'],
    ]);
  });
});
