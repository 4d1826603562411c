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
}

export const defaultLimits: Limits = {
  bodyBytes: 1024 * 1024,
  batchItems: 1000,
  featuresPerPrediction: 1000,
  // The run decider's (MLflow's) limits, checked here too so a request is refused before it is queued.
  ...runLimits,
  stringLength: 1000,
};
