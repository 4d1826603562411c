import { describe, expect, it } from 'vitest';
import { apply, defaultConfig, emptyDetectorState, type DetectorOutput } from '@mlstream/drift-detector';
import type { DriftMeasured, PredictionLogged } from '@mlstream/kit';
import { contentSha256, learningCurve, trainingRows, trials } from './data.ts';
import { planStream, servingTraffic } from './traffic.ts';

/** The demo's traffic through the detector core, labels delivered `labelDelay` requests later. */
function detect(seed: number, windowSize: number, consecutiveWindows: number, cleanWindows: number) {
  const plan = planStream({ windowSize, consecutiveWindows, cleanWindows });
  const traffic = servingTraffic({ seed, requestPrefix: 'r', shiftAt: plan.shiftAt, nullFeature: plan.qualityIncident });
  const config = { ...defaultConfig, windowSize, consecutiveWindows };
  const state = emptyDetectorState();
  const outputs: DetectorOutput[] = [];
  const pendingLabels: Array<{ due: number; requestId: string; label: string }> = [];
  for (let i = 0; i < plan.expectRetrainAfter; i++) {
    const r = traffic.next();
    const value: PredictionLogged = { eventId: `e${i}`, occurredAt: 1_764_000_000_000 + i * 10, requestId: r.requestId, model: 'm', version: 1, ...r.features, prediction: r.prediction, probabilities: r.probabilities, latencyMs: r.latencyMs, error: r.error };
    outputs.push(...apply(state, { kind: 'prediction', value, topic: 'p', partition: 0, offset: i }, () => config));
    if (r.label) pendingLabels.push({ due: i + 100, requestId: r.requestId, label: r.label });
    while (pendingLabels[0] && pendingLabels[0].due <= i) {
      const l = pendingLabels.shift()!;
      apply(state, { kind: 'label', value: { eventId: `l${i}`, occurredAt: value.occurredAt, requestId: l.requestId, model: 'm', label: l.label }, topic: 'f', partition: 0, offset: i }, () => config);
    }
  }
  const measured = outputs.filter((o): o is { type: 'DriftMeasured'; value: DriftMeasured } => o.type === 'DriftMeasured').map((o) => o.value);
  return { plan, outputs, measured };
}

describe('the demo scenario', () => {
  it('is a pure function of the seed', () => {
    expect(contentSha256(trainingRows(7, 500))).toBe(contentSha256(trainingRows(7, 500)));
    expect(contentSha256(trainingRows(7, 500))).not.toBe(contentSha256(trainingRows(8, 500)));
    const a = servingTraffic({ seed: 7, requestPrefix: 'x', shiftAt: 10 });
    const b = servingTraffic({ seed: 7, requestPrefix: 'x', shiftAt: 10 });
    for (let i = 0; i < 50; i++) expect(a.next()).toEqual(b.next());
  });

  it('has three runs whose best converges above the promotion gate and the others below it', () => {
    const finals = trials.map((t) => learningCurve(42, t, 30).at(-1)!.val_auc);
    expect(finals[1]).toBeGreaterThan(0.85);
    expect(Math.max(finals[0]!, finals[2]!)).toBeLessThan(0.85);
    const short = trials.map((t) => learningCurve(42, t, 8).at(-1)!.val_auc);
    expect(short.indexOf(Math.max(...short))).toBe(1);
  });

  for (const [windowSize, k, clean] of [
    [1000, 3, 3],
    [200, 2, 2],
  ] as const) {
    it(`windows of ${windowSize}, K=${k}: clean windows stay clean, the shift drifts exactly the two shifted features, accuracy drops, retraining is requested on time`, () => {
      const { plan, outputs, measured } = detect(42, windowSize, k, clean);
      const shiftWindow = plan.shiftAt / windowSize;
      const before = measured.filter((m) => m.window.index > 0 && m.window.index < shiftWindow);
      const after = measured.filter((m) => m.window.index >= shiftWindow);
      expect(before.every((m) => !m.datasetDrift)).toBe(true);
      expect(after).toHaveLength(k);
      for (const m of after) {
        expect(m.datasetDrift).toBe(true);
        expect(m.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(expect.arrayContaining(['monthly_charges', 'tenure_months']));
      }
      const retrain = outputs.filter((o) => o.type === 'RetrainRequested');
      expect(retrain).toHaveLength(1);
      // The quality incident (region null in windows 1..K) fails those windows and raises one DataQualityFailed at
      // its last window; the only retrain request rests on shifted windows.
      // (The shifted windows may fail too: values beyond the training range are a quality finding of their own.)
      const quality = outputs.flatMap((o) => (o.type === 'DataQualityMeasured' ? [o.value] : [])).filter((q) => q.window.index < shiftWindow);
      expect(quality.map((q) => q.passed)).toEqual(quality.map((q) => q.window.index < 1 || q.window.index > 2));
      expect(quality[1]!.missingFeatures).toEqual(['region']);
      const failed = outputs.flatMap((o) => (o.type === 'DataQualityFailed' ? [o.value] : []));
      expect(failed.map((f) => [f.windowId, f.action])[0]).toEqual(['m/v1/count/2', 'ALERT']);
      const evidence = (retrain[0]!.value as { evidence: Array<{ windowId: string }> }).evidence.map((e) => Number(e.windowId.split('/').pop()));
      expect(Math.min(...evidence)).toBeGreaterThanOrEqual(shiftWindow);
      expect(outputs.filter((o) => o.type === 'DriftDetected')).toHaveLength(1);
      expect(measured).toHaveLength(plan.expectRetrainAfter / windowSize);
      const accuracy = (ms: DriftMeasured[]) => ms.map((m) => m.performance?.accuracy).filter((a): a is number => typeof a === 'number');
      expect(Math.min(...accuracy(before))).toBeGreaterThan(0.7);
      expect(Math.max(...accuracy(after.slice(1)))).toBeLessThan(0.55);
    });
  }
});
