import { describe, expect, it } from 'vitest';
import { syntheticPredictions } from '../synthetic/index.ts';
import { apply } from './window.ts';
import type { DetectorInput, DetectorOutput } from './records.ts';
import { defaultConfig, type DetectorConfig } from './config.ts';
import { deserializeState, emptyDetectorState, serializeState } from './state.ts';
import type { DetectorState } from './state.ts';

// Drift specs: the quality records of the same windows are specified in quality/*.test.ts.
const feed = (state: DetectorState, inputs: DetectorInput[], config: DetectorConfig = defaultConfig): DetectorOutput[] =>
  inputs.flatMap((input) => apply(state, input, () => config)).filter((o) => o.type !== 'DataQualityMeasured' && o.type !== 'DataQualityFailed');
const asInputs = (predictions: ReturnType<typeof syntheticPredictions>, offset = 0): DetectorInput[] =>
  predictions.map((value, i) => ({ kind: 'prediction', value, topic: 'mlops.predictions.v1', partition: 0, offset: offset + i }));
const shape = { numeric: 20, categorical: 5 };

describe('drift detector core', () => {
  it('measures every window; the first full window is the reference', () => {
    const outputs = feed(emptyDetectorState(), asInputs(syntheticPredictions({ seed: 1, model: 'm', version: 1, count: 3000, shape })));
    expect(outputs.map((o) => o.type)).toEqual(['DriftMeasured', 'DriftMeasured', 'DriftMeasured']);
    const [baseline, second] = outputs.map((o) => o.value as Extract<DetectorOutput, { type: 'DriftMeasured' }>['value']);
    expect(baseline!.features).toEqual([]);
    expect(second!.referenceId).toBe('m/v1/count/0');
    expect(second!.features).toHaveLength(25);
    expect(second!.features.filter((f) => f.kind === 'numeric').every((f) => f.test === 'ks')).toBe(true);
    expect(second!.features.filter((f) => f.kind === 'categorical').every((f) => f.test === 'chisquare')).toBe(true);
    expect(second!.sources).toEqual([{ topic: 'mlops.predictions.v1', partition: 0, fromOffset: 1000, toOffset: 1999 }]);
    expect(second!.window).toMatchObject({ id: 'm/v1/count/1', index: 1, kind: 'COUNT', count: 1000 });
  });

  it('raises no retrain request on a drift-free stream and flags few windows', () => {
    const outputs = feed(emptyDetectorState(), asInputs(syntheticPredictions({ seed: 7, model: 'm', version: 1, count: 101_000, shape })));
    const measured = outputs.filter((o) => o.type === 'DriftMeasured').map((o) => o.value as { datasetDrift: boolean });
    expect(measured).toHaveLength(101);
    expect(measured.filter((m) => m.datasetDrift).length).toBeLessThanOrEqual(1);
    expect(outputs.filter((o) => o.type !== 'DriftMeasured')).toEqual([]);
  });

  it('detects a dataset shift after K windows, requests retraining once, then respects the cooldown', () => {
    const state = emptyDetectorState();
    const before = syntheticPredictions({ seed: 3, model: 'm', version: 1, count: 2000, shape });
    const shifted = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [i, 1]));
    const after = syntheticPredictions({ seed: 4, model: 'm', version: 1, count: 8000, startAt: 1_764_000_200_000, shape: { ...shape, shift: shifted } });
    const outputs = feed(state, asInputs([...before, ...after]), { ...defaultConfig, consecutiveWindows: 3 });
    const types = outputs.map((o) => o.type);
    // windows 0 (reference), 1 (clean), then 2, 3, 4 drifted → detected at window 4; 5, 6, 7 → detected again within cooldown.
    expect(types.filter((t) => t === 'DriftDetected')).toHaveLength(2);
    expect(types.filter((t) => t === 'RetrainRequested')).toHaveLength(1);
    const retrain = outputs.find((o) => o.type === 'RetrainRequested')!.value as { evidence: Array<{ windowId: string }>; idempotencyKey: string; occurredAt: number };
    expect(retrain.evidence.map((e) => e.windowId)).toEqual(['m/v1/count/2', 'm/v1/count/3', 'm/v1/count/4', 'm/v1/count/4']);
    const detected = outputs.find((o) => o.type === 'DriftDetected')!.value as { driftedFeatures: string[] };
    expect(detected.driftedFeatures).toEqual(expect.arrayContaining(['n0', 'n5', 'n12']));
    expect(detected.driftedFeatures).not.toContain('n19');
  });

  it('is deterministic: the same input twice, and across a snapshot/restore, gives byte-identical outputs', () => {
    const inputs = asInputs(syntheticPredictions({ seed: 11, model: 'm', version: 2, count: 6000, shape: { ...shape, shift: { 0: 2, 1: 2, 2: 2 } } }));
    const once = JSON.stringify(feed(emptyDetectorState(), inputs));
    const twice = JSON.stringify(feed(emptyDetectorState(), inputs));
    expect(twice).toBe(once);
    const state = emptyDetectorState();
    const first = feed(state, inputs.slice(0, 3500));
    const restored = deserializeState(serializeState(state));
    const rest = feed(restored, inputs.slice(3500));
    expect(JSON.stringify([...first, ...rest])).toBe(once);
  });

  it('joins labels that arrive after and before their prediction, within a bounded horizon', () => {
    const config = { ...defaultConfig, windowSize: 10, labelHorizon: 15 };
    const state = emptyDetectorState();
    const predictions = syntheticPredictions({ seed: 5, model: 'm', version: 1, count: 20, shape: { numeric: 1, categorical: 0 } }).map((p, i) => ({ ...p, prediction: i % 2 ? 'yes' : 'no' }));
    const label = (i: number, value: string): DetectorInput => ({ kind: 'label', value: { eventId: `l${i}`, occurredAt: 1, requestId: predictions[i]!.requestId, model: 'm', label: value }, topic: 'mlops.feedback.v1', partition: 0, offset: i });
    const inputs: DetectorInput[] = [label(12, 'yes'), ...asInputs(predictions.slice(0, 10)), label(9, 'yes'), label(8, 'yes'), label(0, 'no'), ...asInputs(predictions.slice(10), 10)];
    const outputs = feed(state, inputs, config);
    const performance = outputs.map((o) => (o.value as { performance: unknown }).performance);
    // Labels are joined when a window of the model closes. Window 0: label 12 has no prediction yet and
    // waits among early labels. Window 1: prediction 12 meets its early label (wrong); at the close,
    // label 9 (correct) and label 8 (wrong) join; label 0 fell out of the 15-prediction horizon and waits.
    expect(performance[0]).toBeNull();
    expect(performance[1]).toMatchObject({ labeled: 3, accuracy: 1 / 3, mae: null });
    expect(state.models.m!.pending.size).toBe(13);
    expect([...state.models.m!.early.keys()]).toEqual([predictions[0]!.requestId]);
    expect(state.models.m!.labelsDropped).toBe(0);
    // The labels each window joined are named by their feedback offsets.
    expect((outputs[1]!.value as { sources: unknown[] }).sources[1]).toEqual({ topic: 'mlops.feedback.v1', partition: 0, fromOffset: 0, toOffset: 9 });
  });

  it('counts the labels that leave the bounded buffers unjoined', () => {
    const config = { ...defaultConfig, windowSize: 10, labelHorizon: 4 };
    const state = emptyDetectorState();
    const labels: DetectorInput[] = Array.from({ length: 7 }, (_, i) => ({ kind: 'label', value: { eventId: `l${i}`, occurredAt: 1, requestId: `nobody-${i}`, model: 'm', label: 'yes' }, topic: 'f', partition: 0, offset: i }));
    feed(state, [...labels, ...asInputs(syntheticPredictions({ seed: 2, model: 'm', version: 1, count: 10, shape: { numeric: 1, categorical: 0 } }))], config);
    // 7 labels: 3 pushed out of the arrival buffer of 4; at the window close the 4 left wait among early labels (at most 4).
    expect(state.models.m!.labelsDropped).toBe(3);
    expect(state.models.m!.early.size).toBe(4);
  });

  it('gives the same outputs wherever a label falls between two window closes', () => {
    const config = { ...defaultConfig, windowSize: 50, minLabeled: 5 };
    const predictions = syntheticPredictions({ seed: 21, model: 'm', version: 1, count: 200, shape: { numeric: 2, categorical: 0 } }).map((p, i) => ({ ...p, prediction: i % 3 ? 'a' : 'b' }));
    const label = (i: number, offset: number): DetectorInput => ({ kind: 'label', value: { eventId: `l${i}`, occurredAt: 1, requestId: predictions[i]!.requestId, model: 'm', label: i % 4 ? 'a' : 'b' }, topic: 'f', partition: 0, offset });
    // Labels of window k's predictions arrive during window k+1: early in it, or just before it closes.
    const early: DetectorInput[] = [];
    const late: DetectorInput[] = [];
    for (let w = 0; w < 4; w++) {
      const preds = asInputs(predictions.slice(w * 50, w * 50 + 50), w * 50);
      const labels = w === 0 ? [] : Array.from({ length: 50 }, (_, j) => label((w - 1) * 50 + j, (w - 1) * 50 + j));
      early.push(...preds.slice(0, 1), ...labels, ...preds.slice(1));
      late.push(...preds.slice(0, 49), ...labels, ...preds.slice(49));
    }
    const a = feed(emptyDetectorState(), early, config);
    const b = feed(emptyDetectorState(), late, config);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect((a[2]!.value as { performance: { labeled: number } }).performance.labeled).toBe(50);
  });

  it('tests label drift against the labels joined during the reference window', () => {
    const config = { ...defaultConfig, windowSize: 50 };
    const predictions = syntheticPredictions({ seed: 8, model: 'm', version: 1, count: 150, shape: { numeric: 1, categorical: 0 } }).map((p) => ({ ...p, prediction: 'yes' }));
    const inputs: DetectorInput[] = predictions.flatMap((p, i) => [
      { kind: 'prediction' as const, value: p, topic: 'p', partition: 0, offset: i },
      // Window 0 and 1: labels mostly "yes"; window 2: mostly "no".
      { kind: 'label' as const, value: { eventId: `l${i}`, occurredAt: 1, requestId: p.requestId, model: 'm', label: (i < 100 ? i % 10 !== 0 : i % 10 === 0) ? 'yes' : 'no' }, topic: 'f', partition: 0, offset: i },
    ]);
    const measured = feed(emptyDetectorState(), inputs, config).map((o) => o.value as { labelDrift: { test: string; drifted: boolean } | null });
    expect(measured[0]!.labelDrift).toBeNull();
    expect(measured[1]!.labelDrift).toMatchObject({ test: 'chisquare', drifted: false });
    expect(measured[2]!.labelDrift).toMatchObject({ test: 'chisquare', drifted: true });
  });

  it('cuts tumbling event-time windows when configured', () => {
    const config = { ...defaultConfig, windowKind: 'EVENT_TIME' as const, windowMs: 10_000 };
    // 100 ms apart: 100 predictions per 10 s window.
    const predictions = syntheticPredictions({ seed: 9, model: 'm', version: 1, count: 350, startAt: 1_800_000_000_000, shape: { numeric: 2, categorical: 1 } });
    const late = { ...predictions[50]!, requestId: 'late', eventId: 'late' };
    const outputs = feed(emptyDetectorState(), [...asInputs(predictions.slice(0, 250)), ...asInputs([late], 250), ...asInputs(predictions.slice(250), 251)], config);
    const windows = outputs.map((o) => (o.value as { window: { id: string; kind: string; count: number; start: number } }).window);
    expect(windows.map((w) => [w.id, w.kind, w.count])).toEqual([
      ['m/v1/time/180000000', 'EVENT_TIME', 100],
      ['m/v1/time/180000001', 'EVENT_TIME', 100],
      ['m/v1/time/180000002', 'EVENT_TIME', 101], // the late prediction joins the open window
    ]);
  });
});
