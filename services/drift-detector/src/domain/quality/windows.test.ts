import { describe, expect, it } from 'vitest';
import { profileDataset } from '@mlstream/kit/profile';
import type { DataQualityFailed, DataQualityMeasured } from '@mlstream/kit';
import { injectQualityIssues, syntheticPredictions } from '../../synthetic/index.ts';
import { defaultConfig, type DetectorConfig } from '../config.ts';
import { referenceFromProfile } from '../reference.ts';
import { deserializeState, emptyDetectorState, serializeState, type DetectorState } from '../state.ts';
import { apply } from '../window.ts';
import type { DetectorOutput } from '../records.ts';
import { QUALITY } from './policy.ts';
import type { SuiteLookup } from './suite.ts';
import type { Expectation } from '@mlstream/kit/expectations';

const shape = { numeric: 5, categorical: 2 };
const training = syntheticPredictions({ seed: 500, model: 'train', version: 1, count: 5000, shape });
const profile = referenceFromProfile('train', '1', training.length, profileDataset(training).profile);
const config: DetectorConfig = { ...defaultConfig, windowSize: 500 };

/** Windows 0-1 clean, 2-4 with the incident (n1 null in 40 %, n2 out of range in 10 %, c0 unseen in 10 %), 5-7 clean. */
function stream() {
  const clean = (seed: number, n: number, at: number) => syntheticPredictions({ seed, model: 'm', version: 1, count: n, startAt: at, shape });
  const broken = injectQualityIssues(clean(2, 1500, 1_764_000_100_000), { nulls: { n1: 0.4 }, outOfRange: { n2: 0.1 }, unseen: { c0: 0.1 } }, 7);
  return [...clean(1, 1000, 1_764_000_000_000), ...broken, ...clean(3, 1500, 1_764_000_300_000)];
}

const run = (cfg: DetectorConfig, state: DetectorState = emptyDetectorState(), from = 0, to?: number, suites: SuiteLookup = () => undefined) =>
  stream()
    .slice(from, to)
    .flatMap((value, i) => apply(state, { kind: 'prediction', value, topic: 't', partition: 0, offset: from + i }, () => cfg, () => profile, suites));

const ofType = <T extends DetectorOutput['type']>(outputs: DetectorOutput[], type: T) => outputs.filter((o) => o.type === type).map((o) => o.value) as Array<Extract<DetectorOutput, { type: T }>['value']>;

describe('data quality in every window of the detector', () => {
  it('measures every window beside drift, fails the incident windows, and alerts after K in a row without requesting retraining', () => {
    const outputs = run(config);
    const measured = ofType(outputs, 'DataQualityMeasured') as DataQualityMeasured[];
    const drift = ofType(outputs, 'DriftMeasured');
    expect(measured.map((m) => m.window.id)).toEqual(drift.map((d) => d.window.id));
    expect(measured.map((m) => m.driftMeasurementId)).toEqual(drift.map((d) => d.eventId));
    expect(measured.map((m) => m.passed)).toEqual([true, true, false, false, false, true, true, true]);
    expect(measured[0]!.referenceId).toBe('dataset:train@1');
    const failed = ofType(outputs, 'DataQualityFailed') as DataQualityFailed[];
    // K = 2: the second failed window (index 3) completes the streak; window 4 starts a new one that window 5 breaks.
    expect(failed.map((f) => f.windowId)).toEqual(['m/v1/count/3']);
    expect(failed[0]!.measurementIds).toEqual([measured[2]!.eventId, measured[3]!.eventId]);
    expect(failed[0]!.action).toBe('ALERT');
    expect(new Set(failed[0]!.failures.map((f) => `${f.feature}:${f.check}`))).toEqual(new Set(['n1:missing_share', 'n2:out_of_range_share', 'c0:unseen_share']));
    expect(ofType(outputs, 'RetrainRequested')).toEqual([]);
    const w2 = measured[2]!.features;
    expect(w2.find((f) => f.feature === 'n1')!.missingShare).toBeGreaterThan(0.3);
    expect(w2.find((f) => f.feature === 'n2')!.outOfRangeShare).toBeGreaterThan(0.05);
    expect(w2.find((f) => f.feature === 'c0')!.unseenShare).toBeGreaterThan(0.05);
    expect(measured[2]!.score).toBeLessThan(measured[1]!.score!);
  });

  it('with action RETRAIN, failed windows count in the retrain policy', () => {
    const outputs = run({ ...config, qualityAction: 'RETRAIN', consecutiveWindows: 3 });
    const retrain = ofType(outputs, 'RetrainRequested');
    expect(retrain).toHaveLength(1);
    expect(retrain[0]!.evidence.at(-1)!.features).toContain(QUALITY);
    expect(ofType(outputs, 'DataQualityFailed')[0]!.action).toBe('RETRAIN');
  });

  it('quality off: no quality records, and drift outputs unchanged', () => {
    const off = run({ ...config, quality: false });
    expect(off.filter((o) => o.type.startsWith('DataQuality'))).toEqual([]);
    expect(off).toEqual(run(config).filter((o) => !o.type.startsWith('DataQuality')));
  });

  it('a restart from a snapshot taken mid-window gives the same records as an uninterrupted run', () => {
    const whole = run(config);
    const state = emptyDetectorState();
    const first = run(config, state, 0, 1234);
    const restored = deserializeState(serializeState(state));
    const rest = run(config, restored, 1234);
    expect([...first, ...rest]).toEqual(whole);
  });

  it('restores a snapshot written before the quality pass: the schema follows from the reference', () => {
    const state = emptyDetectorState();
    run(config, state, 0, 700);
    const old = JSON.parse(serializeState(state));
    for (const s of Object.values(old.streams) as Array<Record<string, unknown>>) {
      delete s.qualitySchema;
      delete s.qualityStreak;
      delete (s.window as Record<string, unknown>).quality;
    }
    const restored = deserializeState(JSON.stringify(old));
    const stream = Object.values(restored.streams)[0]!;
    expect(stream.qualitySchema?.id).toBe('dataset:train@1');
    expect(stream.qualityStreak).toEqual([]);
    expect(ofType(run(config, restored, 700), 'DataQualityMeasured')).toHaveLength(7);
  });

  it("evaluates the model's suite in force in every window, beside the built-in checks", () => {
    const expectations: Expectation[] = [
      { kind: 'null_share_at_most', column: 'n1', max: 0.1 },
      { kind: 'within_training_range', column: 'n2', margin: 0 },
      { kind: 'unseen_share_at_most', column: 'c0', max: 0.05 },
      { kind: 'mean_between', column: 'n0', min: -0.5, max: 0.5 },
      { kind: 'column_present', column: 'n3' },
      { kind: 'values_in_set', column: 'n0', values: ['a'] },
    ];
    // Version 1 from the start; version 2 (n1 may be null in up to half the rows) from window 3's end on.
    const suites: SuiteLookup = (model, asOf) => (model !== 'm' ? undefined : asOf >= 1_764_000_100_000 + 999 * 100 ? { version: 2, expectations: [{ kind: 'null_share_at_most', column: 'n1', max: 0.5 }] } : { version: 1, expectations });
    const measured = ofType(run(config, emptyDetectorState(), 0, undefined, suites), 'DataQualityMeasured') as DataQualityMeasured[];
    expect(measured.map((m) => m.suiteVersion)).toEqual([1, 1, 1, 2, 2, 2, 2, 2]);
    const clean = measured[0]!.expectations!;
    expect(clean.map((e) => [e.kind, e.passed, e.evaluable])).toEqual([
      ['null_share_at_most', true, true],
      ['within_training_range', true, true],
      ['unseen_share_at_most', true, true],
      ['mean_between', true, true],
      ['column_present', true, true],
      ['values_in_set', false, false],
    ]);
    const broken = measured[2]!;
    expect(broken.expectations!.filter((e) => e.evaluable && !e.passed).map((e) => e.kind)).toEqual(['null_share_at_most', 'within_training_range', 'unseen_share_at_most']);
    expect(broken.failures.filter((f) => f.check.startsWith('expectation:')).map((f) => f.feature)).toEqual(['n1', 'n2', 'c0']);
    expect(broken.expectations![0]!.observedValue).toBe(broken.features.find((f) => f.feature === 'n1')!.missingShare);
    // A clean window whose suite passes still passes; a non-evaluable expectation is no failure.
    expect(measured[0]!.passed).toBe(true);
    expect(measured[5]!.passed).toBe(true);
  });
});
