import { datasetsApi, feedbackApi, predictionsApi, type BatchingOptions } from './facts/index.ts';
import { createHttp, type HttpOptions } from './http/index.ts';
import { modelsApi } from './registry/index.ts';
import { expectationsApi } from './expectations/index.ts';
import { experimentsApi, runsApi } from './tracking/index.ts';

export interface ClientOptions extends HttpOptions {
  /** Batching of predictions and labels sent over HTTP. */
  batching?: BatchingOptions;
  /** How long `run.logMetric` buffers before sending, in ms; default 1 000. */
  metricLingerMs?: number;
}

/**
 * The mlstream client over the HTTP gateway:
 * `client.runs.start()` → run.logParams / logMetrics / setTags / logInputs / finish;
 * `client.runs.read / metricHistory / search`, `client.experiments.get / byName / list` (read-your-writes);
 * `client.models.register / transition / setAlias / deleteAlias`, `client.models.list / get / version / byAlias`;
 * `client.predictions.log()` and `client.feedback.log()` (batched in the background);
 * `client.datasets.publishVersion()`;
 * `client.expectations.declareForDataset / declareForModel / forDataset / forModel / validation` (and `validateRows` client-side).
 */
export function createClient(options: ClientOptions) {
  const http = createHttp(options);
  const predictions = predictionsApi(http, options.batching);
  const feedback = feedbackApi(http, options.batching);
  return {
    runs: runsApi(http, { metricLingerMs: options.metricLingerMs }),
    experiments: experimentsApi(http),
    models: modelsApi(http),
    datasets: datasetsApi(http),
    expectations: expectationsApi(http),
    predictions,
    feedback,
    /** Sends every buffered prediction and label. */
    flush: async () => void (await Promise.all([predictions.flush(), feedback.flush()])),
    /** Flushes and stops the background senders. */
    close: async () => void (await Promise.all([predictions.close(), feedback.close()])),
  };
}

export type MlstreamClient = ReturnType<typeof createClient>;
