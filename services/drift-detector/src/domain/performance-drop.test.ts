import { describe, expect, it } from 'vitest';
import type { PredictionLogged } from '@mlstream/kit';
import { apply } from './window.ts';
import type { DetectorOutput } from './records.ts';
import { defaultConfig, type DetectorConfig } from './config.ts';
import { emptyDetectorState } from './state.ts';

type Measured = Extract<DetectorOutput, { type: 'DriftMeasured' }>['value'];
const WINDOW = 100;

/**
 * Three count windows of one version, no features (so only performance can
 * drift). Labels of window w arrive before window w+1's predictions and are
 * joined when w+1 closes: window 1 scores `baseline`, window 2 scores `current`.
 * Returns window 2's performanceDrop.
 */
function dropAt(baseline: Array<[number | string, number | string]>, current: Array<[number | string, number | string]>, config: DetectorConfig = defaultConfig) {
  const cfg = { ...config, windowSize: WINDOW };
  const state = emptyDetectorState();
  const outputs: DetectorOutput[] = [];
  let offset = 0;
  const prediction = (window: number, i: number, value: number | string): PredictionLogged => ({
    eventId: `p-${window}-${i}`,
    occurredAt: 1_764_000_000_000 + window * 1000 + i,
    requestId: `r-${window}-${i}`,
    model: 'm',
    version: 1,
    numericFeatures: {},
    categoricalFeatures: {},
    prediction: value,
    probabilities: null,
    latencyMs: 1,
    error: null,
  });
  const windows = [baseline, current, baseline];
  windows.forEach((pairs, w) => {
    if (w > 0) {
      windows[w - 1]!.forEach(([, label], i) => {
        outputs.push(...apply(state, { kind: 'label', value: { eventId: `l-${w - 1}-${i}`, occurredAt: 1, requestId: `r-${w - 1}-${i}`, model: 'm', label }, topic: 'f', partition: 0, offset: offset++ }, () => cfg));
      });
    }
    pairs.forEach(([p], i) => outputs.push(...apply(state, { kind: 'prediction', value: prediction(w, i, p), topic: 'p', partition: 0, offset: offset++ }, () => cfg)));
  });
  const measured = outputs.filter((o) => o.type === 'DriftMeasured').map((o) => o.value as Measured);
  expect(measured).toHaveLength(3);
  expect(measured[1]!.performance?.labeled).toBe(WINDOW);
  expect(measured[1]!.performanceDrop).toBeNull(); // the baseline window
  expect(measured[2]!.performance?.labeled).toBe(WINDOW);
  return measured[2]!.performanceDrop;
}

/** WINDOW classifications, `correct` of them right. */
const classified = (correct: number): Array<[string, string]> => Array.from({ length: WINDOW }, (_, i) => ['yes', i < correct ? 'yes' : 'no']);
/** WINDOW regressions, each off by `error`. */
const regressed = (error: number): Array<[number, number]> => Array.from({ length: WINDOW }, (_, i) => [i, i + error]);

describe('performance drop (accuracy): drifted when accuracy falls more than accuracyDrop below the baseline', () => {
  it('default 0.1: 0.90 → 0.81 is no drop, 0.90 → 0.79 is', () => {
    expect(defaultConfig.accuracyDrop).toBe(0.1);
    expect(dropAt(classified(90), classified(81))).toBeNull();
    expect(dropAt(classified(90), classified(79))).toEqual({ metric: 'accuracy', baseline: 0.9, current: 0.79, threshold: 0.1, baselineWindowId: 'm/v1/count/1' });
  });

  it('a fall of exactly accuracyDrop is not a drop (1.00 → 0.90)', () => {
    expect(dropAt(classified(100), classified(90))).toBeNull();
    expect(dropAt(classified(100), classified(89))).toMatchObject({ metric: 'accuracy', current: 0.89 });
  });

  it('follows a configured threshold', () => {
    const tight = { ...defaultConfig, accuracyDrop: 0.05 };
    expect(dropAt(classified(90), classified(86), tight)).toBeNull();
    expect(dropAt(classified(90), classified(84), tight)).toMatchObject({ threshold: 0.05, current: 0.84 });
    const loose = { ...defaultConfig, accuracyDrop: 0.3 };
    expect(dropAt(classified(90), classified(61), loose)).toBeNull();
    expect(dropAt(classified(90), classified(59), loose)).toMatchObject({ threshold: 0.3 });
  });

  it('a better window is never a drop', () => {
    expect(dropAt(classified(50), classified(100))).toBeNull();
  });
});

describe('performance drop (MAE): drifted when MAE grows by more than errorIncrease over the baseline', () => {
  it('default 0.25: MAE 2 → 2.375 is no drop, 2 → 2.625 is', () => {
    expect(defaultConfig.errorIncrease).toBe(0.25);
    expect(dropAt(regressed(2), regressed(2.375))).toBeNull();
    expect(dropAt(regressed(2), regressed(2.625))).toEqual({ metric: 'mae', baseline: 2, current: 2.625, threshold: 0.25, baselineWindowId: 'm/v1/count/1' });
  });

  it('a rise of exactly errorIncrease is not a drop (MAE 2 → 2.5)', () => {
    expect(dropAt(regressed(2), regressed(2.5))).toBeNull();
    expect(dropAt(regressed(2), regressed(2.52))).toMatchObject({ metric: 'mae' });
  });

  it('follows a configured threshold', () => {
    const tight = { ...defaultConfig, errorIncrease: 0.1 };
    expect(dropAt(regressed(2), regressed(2.18), tight)).toBeNull();
    expect(dropAt(regressed(2), regressed(2.22), tight)).toMatchObject({ threshold: 0.1 });
  });

  it('a smaller error is never a drop', () => {
    expect(dropAt(regressed(2), regressed(0.5))).toBeNull();
  });
});
