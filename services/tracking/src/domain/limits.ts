/** MLflow's limits (its users' expectations), enforced by the run decider and documented in docs/api.md. */
export const runLimits = {
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  tagsPerBatch: 100,
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 5000,
} as const;
