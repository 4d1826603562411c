import { runLimits } from '@mlstream/tracking';

/**
 * What the gateway accepts, documented in docs/api.md. Batch and field limits
 * follow MLflow's (its users' expectations); every one is configurable.
 */
export interface Limits {
  bodyBytes: number;
  /** Items in one predictions or feedback batch. */
  batchItems: number;
  /** Numeric plus categorical features of one prediction. */
  featuresPerPrediction: number;
  metricsPerBatch: number;
  paramsPerBatch: number;
  tagsPerBatch: number;
  keyLength: number;
  paramValueLength: number;
  tagValueLength: number;
  /** Ids, names, URIs and other free strings. */
  stringLength: number;
  /** Earliest event time (occurredAt, metric timestamp) accepted, epoch ms; default 2000-01-01T00:00:00Z. */
  eventTimeMinMs: number;
  /** How far past the gateway's clock an event time may be, ms; default one day (clock skew, time zones). */
  eventTimeMaxAheadMs: number;
}

export const defaultLimits: Limits = {
  bodyBytes: 1024 * 1024,
  batchItems: 1000,
  featuresPerPrediction: 1000,
  // The run decider's (MLflow's) limits, checked here too so a request is refused before it is queued.
  ...runLimits,
  stringLength: 1000,
  eventTimeMinMs: Date.UTC(2000, 0, 1),
  eventTimeMaxAheadMs: 24 * 60 * 60 * 1000,
};
