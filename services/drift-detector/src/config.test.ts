import { describe, expect, it } from 'vitest';
import { loadDetectorConfig } from './config.ts';
import { configFor, defaultConfig } from './domain/index.ts';

describe('drift detector settings', () => {
  it('reads every MLSTREAM_DRIFT_* variable, and per-model overrides over them', () => {
    const configOf = loadDetectorConfig({
      MLSTREAM_DRIFT_WINDOW_SIZE: '500',
      MLSTREAM_DRIFT_CONSECUTIVE_WINDOWS: '2',
      MLSTREAM_DRIFT_MAX_SAMPLE: '2000',
      MLSTREAM_DRIFT_PSI_THRESHOLD: '0.2',
      MLSTREAM_DRIFT_MIN_LABELED: '50',
      MLSTREAM_DRIFT_ACCURACY_DROP: '0.05',
      MLSTREAM_DRIFT_ERROR_INCREASE: '0.5',
      MLSTREAM_DRIFT_MODELS: '{"fraud":{"windowSize":200,"psiThreshold":0.3}}',
    });
    expect(configOf('churn')).toMatchObject({ windowSize: 500, consecutiveWindows: 2, maxWindowSample: 2000, psiThreshold: 0.2, minLabeled: 50, accuracyDrop: 0.05, errorIncrease: 0.5 });
    expect(configOf('fraud')).toMatchObject({ windowSize: 200, psiThreshold: 0.3, consecutiveWindows: 2 });
    expect(loadDetectorConfig({})('any')).toEqual(defaultConfig);
  });

  it('names the variable and what it expects when a value is wrong', () => {
    expect(() => loadDetectorConfig({ MLSTREAM_DRIFT_PSI_THRESHOLD: 'high' })).toThrow(/MLSTREAM_DRIFT_PSI_THRESHOLD/);
    expect(() => loadDetectorConfig({ MLSTREAM_DRIFT_MODELS: '{churn:' })).toThrow(/MLSTREAM_DRIFT_MODELS/);
  });

  it('refuses settings the detector cannot honour, per model', () => {
    expect(() => configFor('m', defaultConfig, { m: { maxWindowSample: 50 } })).toThrow(/maxWindowSample/);
    expect(() => configFor('m', defaultConfig, { m: { accuracyDrop: 1.5 } })).toThrow(/accuracyDrop/);
    expect(() => configFor('m', defaultConfig, { m: { windowKind: 'HOURLY' as never } })).toThrow(/windowKind/);
    expect(() => configFor('m', defaultConfig, { m: { minLabeled: 0 } })).toThrow(/minLabeled/);
  });
});

describe('data quality settings', () => {
  it('reads every MLSTREAM_QUALITY_* variable; quality failures only alert unless asked to count in the retrain policy', () => {
    expect(defaultConfig).toMatchObject({ quality: true, qualityAction: 'ALERT' });
    const configOf = loadDetectorConfig({
      MLSTREAM_QUALITY: 'on',
      MLSTREAM_QUALITY_ACTION: 'RETRAIN',
      MLSTREAM_QUALITY_MAX_MISSING_SHARE: '0.2',
      MLSTREAM_QUALITY_MAX_OUT_OF_RANGE_SHARE: '0.01',
      MLSTREAM_QUALITY_MAX_UNSEEN_SHARE: '0',
      MLSTREAM_QUALITY_MIN_SCORE: '0.5',
      MLSTREAM_QUALITY_CONSECUTIVE_WINDOWS: '3',
      MLSTREAM_DRIFT_MODELS: '{"fraud":{"qualityAction":"ALERT","quality":false}}',
    });
    expect(configOf('churn')).toMatchObject({ quality: true, qualityAction: 'RETRAIN', qualityMaxMissingShare: 0.2, qualityMaxOutOfRangeShare: 0.01, qualityMaxUnseenShare: 0, qualityMinScore: 0.5, qualityConsecutiveWindows: 3 });
    expect(configOf('fraud')).toMatchObject({ quality: false, qualityAction: 'ALERT' });
    expect(loadDetectorConfig({ MLSTREAM_QUALITY: 'off' })('m').quality).toBe(false);
  });

  it('refuses quality settings it cannot honour', () => {
    expect(() => loadDetectorConfig({ MLSTREAM_QUALITY_MAX_MISSING_SHARE: '1.5' })).toThrow(/MLSTREAM_QUALITY_MAX_MISSING_SHARE/);
    expect(() => loadDetectorConfig({ MLSTREAM_QUALITY_ACTION: 'PAGE' })).toThrow(/MLSTREAM_QUALITY_ACTION/);
    expect(() => configFor('m', defaultConfig, { m: { qualityAction: 'PAGE' as never } })).toThrow(/qualityAction/);
    expect(() => configFor('m', defaultConfig, { m: { qualityConsecutiveWindows: 0 } })).toThrow(/qualityConsecutiveWindows/);
  });
});
