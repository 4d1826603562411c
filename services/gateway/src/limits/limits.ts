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
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 5000,
  stringLength: 1000,
};
