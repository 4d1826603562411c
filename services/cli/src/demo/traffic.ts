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
  /** A data-quality incident: `feature` arrives null (absent from the request) for requests [from, to). */
  nullFeature?: QualityIncident;
}

/** A feature that arrives null for a while: a broken upstream feed, not a reason to retrain. */
export interface QualityIncident {
  feature: 'region';
  from: number;
  to: number;
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
      const broken = options.nullFeature && index >= options.nullFeature.from && index < options.nullFeature.to ? options.nullFeature.feature : null;
      const categoricalFeatures: Partial<Customer['categoricalFeatures']> = { ...customer.categoricalFeatures };
      if (broken) delete categoricalFeatures[broken];
      const request: ServedRequest = {
        index,
        requestId: `${options.requestPrefix}-${index}`,
        features: { numericFeatures: customer.numericFeatures, categoricalFeatures: categoricalFeatures as Customer['categoricalFeatures'] },
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
  /** The data-quality incident: `region` null in windows 1..qualityWindows (before the shift). */
  qualityIncident: QualityIncident;
}

/**
 * How much to stream: `cleanWindows` full windows before the shift (the first
 * one is the reference when no training profile is used, so at least two),
 * then K shifted windows for the streak, plus slack for the detector to catch up.
 */
export function planStream(options: { windowSize: number; consecutiveWindows: number; cleanWindows: number; slackWindows?: number; qualityWindows?: number }): StreamPlan {
  const { windowSize, consecutiveWindows } = options;
  const qualityWindows = options.qualityWindows ?? 2;
  if (!(Number.isInteger(windowSize) && windowSize >= 10)) throw new TypeError(`windowSize must be a whole number of at least 10, got ${windowSize}`);
  if (!(Number.isInteger(options.cleanWindows) && options.cleanWindows >= 2)) throw new TypeError(`cleanWindows must be at least 2 (a reference window and a clean one), got ${options.cleanWindows}`);
  if (!(Number.isInteger(qualityWindows) && qualityWindows >= 1)) throw new TypeError(`qualityWindows must be a whole number of at least 1, got ${qualityWindows}`);
  // The quality incident (region null) fills windows 1..qualityWindows, all before the shift: the detector's K failed windows in a row.
  const cleanWindows = Math.max(options.cleanWindows, 1 + qualityWindows);
  const shiftAt = cleanWindows * windowSize;
  const expectRetrainAfter = shiftAt + consecutiveWindows * windowSize;
  const qualityIncident: QualityIncident = { feature: 'region', from: windowSize, to: (1 + qualityWindows) * windowSize };
  return { windowSize, consecutiveWindows, shiftAt, expectRetrainAfter, maxPredictions: expectRetrainAfter + (options.slackWindows ?? 3) * windowSize, qualityIncident };
}
