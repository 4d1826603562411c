import { describe, expect, it } from 'vitest';
import { profileDataset, type DecodedEvent } from '@mlstream/kit';
import { syntheticPredictions } from '../synthetic/index.ts';
import { apply, defaultConfig, emptyDetectorState, PERFORMANCE, type DetectorInput, type DetectorOutput } from './index.ts';
import { createLineage, referenceFromProfile } from './reference.ts';

const shape = { numeric: 20, categorical: 5 };
const asInputs = (predictions: ReturnType<typeof syntheticPredictions>, offset = 0): DetectorInput[] =>
  predictions.map((value, i) => ({ kind: 'prediction', value, topic: 'p', partition: 0, offset: offset + i }));
const training = syntheticPredictions({ seed: 100, model: 'train', version: 1, count: 20_000, shape });
const { features, profile } = profileDataset(training);
const reference = referenceFromProfile('churn-train', '2026-11', training.length, profile);
type Measured = Extract<DetectorOutput, { type: 'DriftMeasured' }>['value'];

describe('dataset profiles', () => {
  it('profiles numeric features by their quantile bins and categorical ones by their counts', () => {
    expect(features).toHaveLength(25);
    const n0 = profile.find((f) => f.name === 'n0')!;
    expect(n0.count).toBe(20_000);
    expect(n0.numeric!.binEdges).toHaveLength(11);
    expect(n0.numeric!.binCounts.reduce((s, c) => s + c, 0)).toBe(20_000);
    // Quantile bins hold a tenth of the rows each.
    for (const c of n0.numeric!.binCounts) expect(Math.abs(c - 2000)).toBeLessThanOrEqual(1);
    expect(Math.abs(n0.numeric!.mean)).toBeLessThan(0.05);
    const c0 = profile.find((f) => f.name === 'c0')!;
    expect(Object.keys(c0.categorical!.counts).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(c0.categorical!.otherCount).toBe(0);
    expect(profileDataset(training, { topK: 2 }).profile.find((f) => f.name === 'c0')!.categorical!.otherCount).toBeGreaterThan(0);
  });
});

describe('training-profile references', () => {
  const run = (predictions: ReturnType<typeof syntheticPredictions>) =>
    asInputs(predictions).flatMap((input) => apply(state, input, () => defaultConfig, () => reference));
  let state = emptyDetectorState();

  it('measures the first window against the profile, with PSI and Jensen–Shannon, and stays quiet without drift', () => {
    state = emptyDetectorState();
    const outputs = run(syntheticPredictions({ seed: 101, model: 'm', version: 1, count: 50_000, shape }));
    const measured = outputs.filter((o) => o.type === 'DriftMeasured').map((o) => o.value as Measured);
    expect(measured).toHaveLength(50);
    expect(measured[0]!.referenceId).toBe('dataset:churn-train@2026-11');
    expect(measured[0]!.features).toHaveLength(25);
    expect(new Set(measured[0]!.features.map((f) => `${f.kind}:${f.test}`))).toEqual(new Set(['numeric:psi', 'categorical:jensenshannon']));
    expect(measured[0]!.predictionDrift).toBeNull(); // the training data has no predictions: the first window is their baseline
    expect(measured[1]!.predictionDrift).not.toBeNull();
    expect(measured.filter((m) => m.datasetDrift)).toEqual([]);
    // Clean data: every window's quality is measured and none fails.
    expect(outputs.filter((o) => o.type === 'DataQualityMeasured')).toHaveLength(50);
    expect(outputs.filter((o) => o.type !== 'DriftMeasured' && o.type !== 'DataQualityMeasured')).toEqual([]);
  });

  it('flags a shift already in the first window of a version', () => {
    state = emptyDetectorState();
    const shift = Object.fromEntries(Array.from({ length: 13 }, (_, i) => [i, 0.5]));
    const outputs = run(syntheticPredictions({ seed: 102, model: 'm', version: 1, count: 3000, shape: { ...shape, shift } }));
    const measured = outputs.filter((o) => o.type === 'DriftMeasured').map((o) => o.value as Measured);
    expect(measured.map((m) => m.datasetDrift)).toEqual([true, true, true]);
    expect(outputs.map((o) => o.type)).toContain('RetrainRequested');
    const drifted = measured[0]!.features.filter((f) => f.drifted).map((f) => f.feature);
    expect(drifted).toEqual(expect.arrayContaining(['n0', 'n1', 'n12']));
    expect(drifted).not.toContain('n19');
  });
});

describe('performance drop', () => {
  it('counts a window as drifted when accuracy falls below the baseline, and says so in the retrain evidence', () => {
    const config = { ...defaultConfig, windowSize: 200, consecutiveWindows: 2 };
    const predictions = syntheticPredictions({ seed: 5, model: 'm', version: 1, count: 2000, shape: { numeric: 3, categorical: 0 } }).map((p) => ({ ...p, prediction: 'yes' }));
    const state = emptyDetectorState();
    const outputs: DetectorOutput[] = [];
    predictions.forEach((p, i) => {
      outputs.push(...apply(state, { kind: 'prediction', value: p, topic: 'p', partition: 0, offset: i }, () => config));
      // Each prediction is labelled right away; accuracy 0.9 for the first 1 000, then 0.5.
      const correct = i < 1000 ? i % 10 !== 0 : i % 2 === 0;
      outputs.push(...apply(state, { kind: 'label', value: { eventId: `l${i}`, occurredAt: p.occurredAt, requestId: p.requestId, model: 'm', label: correct ? 'yes' : 'no' }, topic: 'f', partition: 0, offset: i }, () => config));
    });
    const measured = outputs.filter((o) => o.type === 'DriftMeasured').map((o) => o.value as Measured);
    expect(measured.map((m) => m.datasetDrift)).toEqual(measured.map(() => false));
    expect(measured.slice(0, 5).map((m) => m.performanceDrop)).toEqual([null, null, null, null, null]);
    expect(measured[6]!.performanceDrop).toMatchObject({ metric: 'accuracy', baselineWindowId: 'm/v1/count/0', threshold: 0.1 });
    expect(measured[6]!.performanceDrop!.current).toBeCloseTo(0.5, 1);
    const retrain = outputs.find((o) => o.type === 'RetrainRequested')!.value as { evidence: Array<{ features: string[] }> };
    expect(retrain.evidence.every((e) => e.features.includes(PERFORMANCE))).toBe(true);
  });
});

describe('lineage', () => {
  const at = 1_800_000_000_000;
  const event = (type: string, value: object) => ({ type, value }) as unknown as DecodedEvent;
  const lineage = createLineage();
  lineage.add(event('DatasetVersionIngested', { occurredAt: at, datasetId: 'churn-train', version: '2026-11', rowCount: 20_000, profile }));
  lineage.add(event('InputsLogged', { occurredAt: at + 10, runId: 'r1', inputs: [{ datasetId: 'eval', version: '1', context: 'validation' }, { datasetId: 'churn-train', version: '2026-11', context: 'training' }] }));
  lineage.add(event('ModelVersionRegistered', { occurredAt: at + 20, model: 'churn', version: 3, runId: 'r1' }));

  it('follows model version → run → training input → dataset profile', () => {
    expect(lineage.referenceFor('churn', 3, at + 30)).toEqual(reference);
    expect(lineage.referenceFor('churn', 4, at + 30)).toBeUndefined();
  });

  it('uses only facts that happened by the first prediction, so a replay picks the same reference', () => {
    expect(lineage.referenceFor('churn', 3, at + 19)).toBeUndefined();
  });
});
