import { z } from 'zod';
import { loadConfig, type Env } from '@mlstream/kit';
import { configFor, defaultConfig, type DetectorConfig } from './domain/index.ts';

const share = (fallback: number) => z.coerce.number({ message: 'expected a share between 0 and 1' }).min(0, 'expected a share between 0 and 1').max(1, 'expected a share between 0 and 1').default(fallback);
const number = (fallback: number, what: string) => z.coerce.number({ message: `expected ${what}` }).positive(`expected ${what}`).default(fallback);

/** Detector settings from the environment; MLSTREAM_DRIFT_MODELS holds per-model overrides as JSON. */
export function loadDetectorConfig(env: Env = process.env): (model: string) => DetectorConfig {
  const c = loadConfig(
    z.object({
      MLSTREAM_DRIFT_WINDOW_KIND: z.enum(['COUNT', 'EVENT_TIME'], { message: 'expected COUNT or EVENT_TIME' }).default(defaultConfig.windowKind),
      MLSTREAM_DRIFT_WINDOW_SIZE: number(defaultConfig.windowSize, 'a number of predictions per window'),
      MLSTREAM_DRIFT_WINDOW_MS: number(defaultConfig.windowMs, 'milliseconds of event time per window'),
      MLSTREAM_DRIFT_CONSECUTIVE_WINDOWS: number(defaultConfig.consecutiveWindows, 'a number of windows'),
      MLSTREAM_DRIFT_COOLDOWN_MS: number(defaultConfig.cooldownMs, 'milliseconds of event time'),
      MLSTREAM_DRIFT_SHARE: number(defaultConfig.datasetDriftShare, 'a share between 0 and 1'),
      MLSTREAM_DRIFT_LABEL_HORIZON: number(defaultConfig.labelHorizon, 'a number of predictions'),
      MLSTREAM_DRIFT_DEDUPE_WINDOW: z.coerce.number({ message: 'expected a number of eventIds per model' }).int('expected a number of eventIds per model').min(0, 'expected 0 (off) or more').default(defaultConfig.dedupeWindow),
      MLSTREAM_DRIFT_MAX_SAMPLE: number(defaultConfig.maxWindowSample, 'a number of values per window series'),
      MLSTREAM_DRIFT_PSI_THRESHOLD: number(defaultConfig.psiThreshold, 'a PSI value such as 0.1'),
      MLSTREAM_DRIFT_MIN_LABELED: number(defaultConfig.minLabeled, 'a number of joined labels'),
      MLSTREAM_DRIFT_ACCURACY_DROP: number(defaultConfig.accuracyDrop, 'an accuracy difference such as 0.1'),
      MLSTREAM_DRIFT_ERROR_INCREASE: number(defaultConfig.errorIncrease, 'a fraction such as 0.25'),
      MLSTREAM_QUALITY: z.enum(['on', 'off'], { message: 'expected on or off' }).default(defaultConfig.quality ? 'on' : 'off'),
      MLSTREAM_QUALITY_ACTION: z.enum(['ALERT', 'RETRAIN'], { message: 'expected ALERT or RETRAIN' }).default(defaultConfig.qualityAction),
      MLSTREAM_QUALITY_MAX_MISSING_SHARE: share(defaultConfig.qualityMaxMissingShare),
      MLSTREAM_QUALITY_MAX_OUT_OF_RANGE_SHARE: share(defaultConfig.qualityMaxOutOfRangeShare),
      MLSTREAM_QUALITY_MAX_UNSEEN_SHARE: share(defaultConfig.qualityMaxUnseenShare),
      MLSTREAM_QUALITY_MIN_SCORE: share(defaultConfig.qualityMinScore),
      MLSTREAM_QUALITY_CONSECUTIVE_WINDOWS: number(defaultConfig.qualityConsecutiveWindows, 'a number of windows'),
      MLSTREAM_DRIFT_MODELS: z
        .string()
        .default('{}')
        .transform((text, ctx) => {
          try {
            return JSON.parse(text) as Record<string, Partial<DetectorConfig>>;
          } catch {
            ctx.addIssue({ code: 'custom', message: 'expected JSON such as {"churn":{"windowSize":500}}' });
            return z.NEVER;
          }
        }),
    }),
    env,
  );
  const base: DetectorConfig = {
    ...defaultConfig,
    windowKind: c.MLSTREAM_DRIFT_WINDOW_KIND,
    windowSize: c.MLSTREAM_DRIFT_WINDOW_SIZE,
    windowMs: c.MLSTREAM_DRIFT_WINDOW_MS,
    consecutiveWindows: c.MLSTREAM_DRIFT_CONSECUTIVE_WINDOWS,
    cooldownMs: c.MLSTREAM_DRIFT_COOLDOWN_MS,
    datasetDriftShare: c.MLSTREAM_DRIFT_SHARE,
    labelHorizon: c.MLSTREAM_DRIFT_LABEL_HORIZON,
    dedupeWindow: c.MLSTREAM_DRIFT_DEDUPE_WINDOW,
    maxWindowSample: c.MLSTREAM_DRIFT_MAX_SAMPLE,
    psiThreshold: c.MLSTREAM_DRIFT_PSI_THRESHOLD,
    minLabeled: c.MLSTREAM_DRIFT_MIN_LABELED,
    accuracyDrop: c.MLSTREAM_DRIFT_ACCURACY_DROP,
    errorIncrease: c.MLSTREAM_DRIFT_ERROR_INCREASE,
    quality: c.MLSTREAM_QUALITY === 'on',
    qualityAction: c.MLSTREAM_QUALITY_ACTION,
    qualityMaxMissingShare: c.MLSTREAM_QUALITY_MAX_MISSING_SHARE,
    qualityMaxOutOfRangeShare: c.MLSTREAM_QUALITY_MAX_OUT_OF_RANGE_SHARE,
    qualityMaxUnseenShare: c.MLSTREAM_QUALITY_MAX_UNSEEN_SHARE,
    qualityMinScore: c.MLSTREAM_QUALITY_MIN_SCORE,
    qualityConsecutiveWindows: c.MLSTREAM_QUALITY_CONSECUTIVE_WINDOWS,
  };
  const cache = new Map<string, DetectorConfig>();
  return (model) => {
    let config = cache.get(model);
    if (!config) cache.set(model, (config = configFor(model, base, c.MLSTREAM_DRIFT_MODELS)));
    return config;
  };
}
