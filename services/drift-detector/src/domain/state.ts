import { deleteOldest } from './fifo.ts';
import { adwinInit, pageHinkleyInit, type AdwinState, type PageHinkleyState } from './statistics/index.ts';
import type { ProfileReference } from './reference.ts';
import { seedFor, type SampledSeries } from './sample.ts';
import { emptyQualityAcc, schemaFromProfile, schemaFromSample, type QualityAcc, type QualitySchema } from './quality/index.ts';
import type { UnreportedDrops } from './label-drops.ts';

/** Values of one window (or of the reference), bounded by the window size. */
export interface Sample {
  count: number;
  numeric: Record<string, number[]>;
  categorical: Record<string, Record<string, number>>;
  predictionNumeric: number[];
  predictionCategorical: Record<string, number>;
}

export interface WindowState extends Sample, SampledSeries {
  index: number;
  start: number;
  end: number;
  partition: number;
  firstOffset: number;
  lastOffset: number;
  /** Labels joined to this version's predictions while this window was open. */
  performance: PerformanceAcc;
  /** The label values joined while this window was open (for label drift). */
  labelsNumeric: number[];
  labelsCategorical: Record<string, number>;
  /** The quality pass's counts of this window (numeric features; categorical ones are read from `categorical`). */
  quality: QualityAcc;
}

export interface PerformanceAcc {
  labeled: number;
  correct: number;
  absError: number;
  squaredError: number;
  /** Per class: [truePositives, falsePositives, falseNegatives], for macro F1. */
  classes: Record<string, [number, number, number]>;
  conceptDrift: boolean;
}

export interface Evidence {
  eventId: string;
  windowId: string;
  driftedShare: number;
  features: string[];
}

/** Detector state of one (model, version): plain JSON, so it can be snapshotted and restored exactly. */
export interface StreamState {
  model: string;
  version: number;
  /** Training-data profile the features are tested against; null: the first full window is the reference. */
  profile: ProfileReference | null;
  /** The first full window: reference of features (without a profile), of predictions and of labels. */
  reference: (Sample & { id: string; labelsNumeric: number[]; labelsCategorical: Record<string, number> }) | null;
  /** The first window with enough joined labels: the performance later windows are held to. */
  performanceBaseline: { metric: 'accuracy' | 'mae'; value: number; windowId: string } | null;
  window: WindowState;
  streak: Evidence[];
  pageHinkley: PageHinkleyState;
  adwin: AdwinState;
  /** The training schema windows are held to (from the profile, else the reference window); null until there is one. */
  qualitySchema: QualitySchema | null;
  /** DataQualityMeasured ids of the current streak of failed windows. */
  qualityStreak: string[];
}

/** Per model: delayed-label join and retrain cooldown. */
export interface ModelState {
  /** requestId → [version, prediction], oldest first (Map keeps insertion order), at most labelHorizon entries. */
  pending: Map<string, [number, number | string]>;
  /** Labels that arrived before their prediction, oldest first, at most labelHorizon entries. */
  early: Map<string, number | string>;
  /**
   * Labels consumed since the model's last window close, in offset order, at
   * most labelHorizon. They are joined when the next window of the model
   * closes, so what a window's performance holds depends only on which labels
   * had been consumed by then: DriftMeasured.sources records that range and
   * the audit replays it.
   */
  arrived: Array<[string, number | string]>;
  arrivedRange: { topic: string; partition: number; fromOffset: number; toOffset: number } | null;
  /** Labels that left the bounded buffers without being joined (too many waiting, or their prediction never came). */
  labelsDropped: number;
  /**
   * Label accounting, cumulative for the model in this input partition:
   * every accepted label (a LabelObserved whose eventId is not a repeat) is
   * joined to exactly one window, dropped, or still pending (`arrived` +
   * `early`): accepted = joined + dropped + pending (labelAccounting()).
   */
  labelsAccepted: number;
  labelsJoined: number;
  /** Drops not yet reported by a LabelsDropped (the next window close of the model reports them). */
  unreportedDrops: UnreportedDrops;
  /**
   * eventIds of the model's last `dedupeWindow` predictions and labels, oldest
   * first (the value is the offset): a fact retried after a gateway restart
   * is in Kafka twice and must not be counted twice.
   */
  recentEventIds: Map<string, number>;
  /** Inputs skipped as repeats of an eventId in `recentEventIds`. */
  repeats: number;
  lastRetrainAt: number | null;
}

export interface DetectorState {
  streams: Record<string, StreamState>;
  models: Record<string, ModelState>;
}

export const emptySample = (): Sample => ({ count: 0, numeric: {}, categorical: {}, predictionNumeric: [], predictionCategorical: {} });

export const emptyPerformance = (): PerformanceAcc => ({ labeled: 0, correct: 0, absError: 0, squaredError: 0, classes: {}, conceptDrift: false });

export const emptyWindow = (index: number): WindowState => ({
  ...emptySample(),
  index,
  start: 0,
  end: 0,
  partition: -1,
  firstOffset: -1,
  lastOffset: -1,
  performance: emptyPerformance(),
  labelsNumeric: [],
  labelsCategorical: {},
  seen: {},
  rng: seedFor(index),
  quality: emptyQualityAcc(),
});

export const newStream = (model: string, version: number, profile: ProfileReference | null = null): StreamState => ({
  model,
  version,
  profile,
  reference: null,
  performanceBaseline: null,
  window: emptyWindow(0),
  streak: [],
  pageHinkley: pageHinkleyInit(),
  adwin: adwinInit(),
  qualitySchema: profile ? schemaFromProfile(profile) : null,
  qualityStreak: [],
});

export const streamKey = (model: string, version: number) => `${model}|${version}`;

export const emptyDetectorState = (): DetectorState => ({ streams: {}, models: {} });

export const newModelState = (): ModelState => ({
  pending: new Map(),
  early: new Map(),
  arrived: [],
  arrivedRange: null,
  labelsDropped: 0,
  labelsAccepted: 0,
  labelsJoined: 0,
  unreportedDrops: {},
  recentEventIds: new Map(),
  repeats: 0,
  lastRetrainAt: null,
});

/** The label accounting of one model: accepted = joined + dropped + pending holds after every input. */
export const labelAccounting = (m: ModelState) => ({ accepted: m.labelsAccepted, joined: m.labelsJoined, dropped: m.labelsDropped, pending: m.arrived.length + m.early.size });

/**
 * True when `eventId` is among the model's last `window` eventIds (a repeated
 * fact: skip it); otherwise remembers it, evicting the oldest beyond `window`.
 */
export function isRepeat(m: ModelState, eventId: string, offset: number, window: number): boolean {
  if (window <= 0) return false;
  if (m.recentEventIds.has(eventId)) {
    m.repeats += 1;
    return true;
  }
  m.recentEventIds.set(eventId, offset);
  while (m.recentEventIds.size > window) deleteOldest(m.recentEventIds);
  return false;
}

/** State as JSON text (Maps as entry arrays, which keep their order): what the changelog topic stores. */
export function serializeState(state: DetectorState): string {
  return JSON.stringify(state, (_key, value: unknown) => (value instanceof Map ? { __map: [...value.entries()] } : value));
}

export function deserializeState(text: string): DetectorState {
  const state = JSON.parse(text, (_key, value: unknown) =>
    value && typeof value === 'object' && '__map' in value ? new Map((value as { __map: Array<[string, unknown]> }).__map) : value,
  ) as DetectorState;
  // Snapshots written before profiles, deferred labels and ADWIN: fill the new fields.
  for (const m of Object.values(state.models)) {
    m.arrived ??= [];
    m.arrivedRange ??= null;
    m.labelsDropped ??= 0;
    // Snapshots written before label accounting and eventId dedupe: labels accepted earlier are not
    // counted; the invariant holds for what follows (accepted starts at joined + dropped + pending).
    m.labelsJoined ??= 0;
    m.labelsAccepted ??= m.labelsJoined + m.labelsDropped + m.arrived.length + m.early.size;
    m.recentEventIds ??= new Map();
    m.repeats ??= 0;
    // Snapshots written before LabelsDropped: their drops were counted but are not reported again.
    m.unreportedDrops ??= {};
  }
  for (const s of Object.values(state.streams)) {
    s.profile ??= null;
    s.performanceBaseline ??= null;
    s.adwin ??= adwinInit();
    s.window.seen ??= {};
    s.window.rng ??= seedFor(s.window.index);
    // Snapshots written before the quality pass: the schema follows from the reference.
    s.window.quality ??= emptyQualityAcc();
    s.qualityStreak ??= [];
    if (s.qualitySchema === undefined) s.qualitySchema = s.profile ? schemaFromProfile(s.profile) : s.reference ? schemaFromSample(s.reference.id, s.reference) : null;
    if (!('params' in s.pageHinkley)) s.pageHinkley = pageHinkleyInit(); // the earlier Page-Hinkley without parameters
  }
  return state;
}
