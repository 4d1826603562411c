/** Detector settings; defaults follow Evidently's (DESIGN.md §8). Per-model overrides merge over them. */
export interface DetectorConfig {
  /** COUNT: a window every `windowSize` predictions; EVENT_TIME: tumbling windows of `windowMs` of event time. */
  windowKind: 'COUNT' | 'EVENT_TIME';
  /** Predictions per window (count windows). */
  windowSize: number;
  /** Window length in event-time ms (event-time windows); a window closes when a later window's first prediction arrives. */
  windowMs: number;
  /** Reference rows at or below which numeric features use KS and categorical chi-square (above: Wasserstein normed / Jensen–Shannon). */
  smallReferenceRows: number;
  /** p-value threshold of KS and chi-square: drifted when p < threshold. */
  pValueThreshold: number;
  /** Distance threshold of Wasserstein normed and Jensen–Shannon: drifted when distance >= threshold. */
  distanceThreshold: number;
  /** Share of drifted features that makes a window drifted. */
  datasetDriftShare: number;
  /** Drifted windows in a row before DriftDetected. */
  consecutiveWindows: number;
  /** Minimum event time between two RetrainRequested of one model. */
  cooldownMs: number;
  /** Predictions remembered for joining late labels (per model version). */
  labelHorizon: number;
  /** eventIds remembered per model (predictions and labels) to skip a repeated fact; 0 turns dedupe off. */
  dedupeWindow: number;
  /** Values kept per numeric series of a window (a seeded uniform sample beyond that): bounds event-time windows. */
  maxWindowSample: number;
  /** PSI threshold against a training-data profile's bins: drifted when PSI >= threshold. */
  psiThreshold: number;
  /** Joined labels a window needs before its performance counts (as the baseline, or against it). */
  minLabeled: number;
  /** Performance drop (classification): drifted when accuracy falls more than this below the baseline window's. */
  accuracyDrop: number;
  /** Performance drop (regression): drifted when MAE grows by more than this fraction over the baseline window's. */
  errorIncrease: number;
  /** Measure data quality in every window (docs/data-quality.md); false skips the quality pass entirely. */
  quality: boolean;
  /** A feature fails when more than this share of the window's rows lack it (absent from the maps, or NaN). */
  qualityMaxMissingShare: number;
  /** A numeric feature fails when more than this share of its values lies outside the training [min, max]. */
  qualityMaxOutOfRangeShare: number;
  /** A categorical feature fails when more than this share of its values is not among the training categories. */
  qualityMaxUnseenShare: number;
  /** A window fails when its quality score falls below this. */
  qualityMinScore: number;
  /** Failed windows in a row before DataQualityFailed (hysteresis, like consecutiveWindows for drift). */
  qualityConsecutiveWindows: number;
  /** ALERT: quality failures only raise DataQualityFailed; RETRAIN: a failed window also counts as drifted in the retrain policy. */
  qualityAction: 'ALERT' | 'RETRAIN';
}

export const defaultConfig: DetectorConfig = {
  windowKind: 'COUNT',
  windowSize: 1000,
  windowMs: 60 * 60 * 1000,
  smallReferenceRows: 1000,
  pValueThreshold: 0.05,
  distanceThreshold: 0.1,
  datasetDriftShare: 0.5,
  consecutiveWindows: 3,
  cooldownMs: 60 * 60 * 1000,
  labelHorizon: 5000,
  dedupeWindow: 5_000,
  maxWindowSample: 10_000,
  psiThreshold: 0.1,
  minLabeled: 30,
  accuracyDrop: 0.1,
  errorIncrease: 0.25,
  quality: true,
  qualityMaxMissingShare: 0.05,
  qualityMaxOutOfRangeShare: 0.05,
  qualityMaxUnseenShare: 0.05,
  qualityMinScore: 0.9,
  qualityConsecutiveWindows: 2,
  qualityAction: 'ALERT',
};

export function configFor(model: string, base: DetectorConfig, overrides: Record<string, Partial<DetectorConfig>> = {}): DetectorConfig {
  const merged = { ...base, ...overrides[model] };
  if (merged.windowKind !== 'COUNT' && merged.windowKind !== 'EVENT_TIME') throw new TypeError(`drift config for ${model}: windowKind must be COUNT or EVENT_TIME`);
  if (merged.windowKind === 'EVENT_TIME' && !(merged.windowMs >= 1000)) throw new TypeError(`drift config for ${model}: windowMs must be at least 1000`);
  if (!(merged.windowSize >= 10)) throw new TypeError(`drift config for ${model}: windowSize must be at least 10, got ${merged.windowSize}`);
  if (!(merged.consecutiveWindows >= 1)) throw new TypeError(`drift config for ${model}: consecutiveWindows must be at least 1`);
  if (!(merged.datasetDriftShare > 0 && merged.datasetDriftShare <= 1)) throw new TypeError(`drift config for ${model}: datasetDriftShare must be in (0, 1]`);
  if (!(Number.isInteger(merged.maxWindowSample) && merged.maxWindowSample >= 100)) throw new TypeError(`drift config for ${model}: maxWindowSample must be an integer of at least 100`);
  if (!(merged.psiThreshold > 0)) throw new TypeError(`drift config for ${model}: psiThreshold must be positive`);
  if (!(merged.minLabeled >= 1)) throw new TypeError(`drift config for ${model}: minLabeled must be at least 1`);
  if (!(merged.accuracyDrop > 0 && merged.accuracyDrop < 1)) throw new TypeError(`drift config for ${model}: accuracyDrop must be in (0, 1)`);
  if (!(merged.errorIncrease > 0)) throw new TypeError(`drift config for ${model}: errorIncrease must be positive`);
  const share = (v: number) => v >= 0 && v <= 1;
  if (typeof merged.quality !== 'boolean') throw new TypeError(`drift config for ${model}: quality must be true or false`);
  if (!share(merged.qualityMaxMissingShare) || !share(merged.qualityMaxOutOfRangeShare) || !share(merged.qualityMaxUnseenShare)) throw new TypeError(`drift config for ${model}: qualityMax*Share must be shares in [0, 1]`);
  if (!share(merged.qualityMinScore)) throw new TypeError(`drift config for ${model}: qualityMinScore must be in [0, 1]`);
  if (!(Number.isInteger(merged.qualityConsecutiveWindows) && merged.qualityConsecutiveWindows >= 1)) throw new TypeError(`drift config for ${model}: qualityConsecutiveWindows must be an integer of at least 1`);
  if (merged.qualityAction !== 'ALERT' && merged.qualityAction !== 'RETRAIN') throw new TypeError(`drift config for ${model}: qualityAction must be ALERT or RETRAIN`);
  return merged;
}
