import { customerSource, predictChurn, type ChurnLabel, type Customer } from './data.ts';

/** One served request: what the model server logs now, and the label that may come later. */
export interface ServedRequest {
  index: number;
  requestId: string;
  features: Customer;
  prediction: ChurnLabel;
  probabilities: Record<ChurnLabel, number>;
  latencyMs: number;
  error: string | null;
  /** The ground truth, or null when it never arrives. */
  label: ChurnLabel | null;
  shifted: boolean;
}

export interface TrafficOptions {
  seed: number;
  /** Request ids are `<requestPrefix>-<index>`; make it unique per demo run. */
  requestPrefix: string;
  /** Requests before the shift. */
  shiftAt: number;
  /** Share of predictions whose label ever arrives; default 0.8. */
  labelShare?: number;
  /** Share of requests that fail (logged with an error); default 0.003. */
  errorShare?: number;
}

/** The serving traffic, request by request: a pure function of the seed and the index order. */
export function servingTraffic(options: TrafficOptions) {
  const source = customerSource(options.seed);
  const labelShare = options.labelShare ?? 0.8;
  const errorShare = options.errorShare ?? 0.003;
  let index = 0;
  return {
    next(): ServedRequest {
      const shifted = index >= options.shiftAt;
      const customer = source.next(shifted);
      const { prediction, probabilities } = predictChurn(customer);
      // Log-normal latency around 6 ms with a tail; a failed request times out.
      const u = source.uniform();
      const failed = source.uniform() < errorShare;
      const latencyMs = failed ? 250 : Math.round(Math.exp(1.8 + 0.35 * Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * source.uniform())) * 100) / 100;
      const labeled = source.uniform() < labelShare;
      const request: ServedRequest = {
        index,
        requestId: `${options.requestPrefix}-${index}`,
        features: { numericFeatures: customer.numericFeatures, categoricalFeatures: customer.categoricalFeatures },
        prediction,
        probabilities,
        latencyMs,
        error: failed ? 'upstream timeout' : null,
        label: labeled && !failed ? customer.label : null,
        shifted,
      };
      index += 1;
      return request;
    },
  };
}

export interface StreamPlan {
  /** Predictions per drift window (the running detector's). */
  windowSize: number;
  /** Drifted windows in a row before DriftDetected (the running detector's). */
  consecutiveWindows: number;
  /** Index of the first shifted request. */
  shiftAt: number;
  /** After this many predictions the detector should have requested retraining. */
  expectRetrainAfter: number;
  /** The demo stops here even if no retrain request arrived. */
  maxPredictions: number;
}

/**
 * How much to stream: `cleanWindows` full windows before the shift (the first
 * one is the reference when no training profile is used, so at least two),
 * then K shifted windows for the streak, plus slack for the detector to catch up.
 */
export function planStream(options: { windowSize: number; consecutiveWindows: number; cleanWindows: number; slackWindows?: number }): StreamPlan {
  const { windowSize, consecutiveWindows, cleanWindows } = options;
  if (!(Number.isInteger(windowSize) && windowSize >= 10)) throw new TypeError(`windowSize must be a whole number of at least 10, got ${windowSize}`);
  if (!(Number.isInteger(cleanWindows) && cleanWindows >= 2)) throw new TypeError(`cleanWindows must be at least 2 (a reference window and a clean one), got ${cleanWindows}`);
  const shiftAt = cleanWindows * windowSize;
  const expectRetrainAfter = shiftAt + consecutiveWindows * windowSize;
  return { windowSize, consecutiveWindows, shiftAt, expectRetrainAfter, maxPredictions: expectRetrainAfter + (options.slackWindows ?? 3) * windowSize };
}
