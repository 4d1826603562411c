import { createHash } from 'node:crypto';
import { prng } from '@mlstream/drift-detector';

/**
 * The demo's seeded world: customers of a subscription business and whether
 * they churn. Everything here is a pure function of the seed, so two demos
 * with the same seed train on the same rows and serve the same predictions.
 *
 * Four features, so that shifting two of them drifts exactly 50 % of the
 * features: the detector's default dataset-drift share (≥ 50 %) is met
 * without depending on a false alarm, and nothing else moves.
 */
export const demoFeatures = {
  numeric: ['monthly_charges', 'tenure_months'],
  categorical: ['plan', 'region'],
} as const;

/** The two features the shift moves, by two standard deviations each. */
export const shiftedFeatures = ['monthly_charges', 'tenure_months'] as const;

export type ChurnLabel = 'churn' | 'stay';

export interface Customer {
  numericFeatures: { tenure_months: number; monthly_charges: number };
  categoricalFeatures: { plan: string; region: string };
}

export interface LabeledCustomer extends Customer {
  label: ChurnLabel;
}

const TENURE = { mean: 40, std: 10 };
const CHARGES = { mean: 70, std: 15 };
const PLANS: Array<[string, number, number]> = [
  // name, share, churn log-odds effect
  ['basic', 0.5, 0.5],
  ['standard', 0.3, 0],
  ['premium', 0.2, -0.5],
];
const REGIONS: Array<[string, number]> = [
  ['east', 0.3],
  ['north', 0.25],
  ['south', 0.25],
  ['west', 0.2],
];

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Churn log-odds the deployed model learned (and that holds before the shift). */
function trainedLogit(c: Customer): number {
  const tenure = (c.numericFeatures.tenure_months - TENURE.mean) / TENURE.std;
  const charges = (c.numericFeatures.monthly_charges - CHARGES.mean) / CHARGES.std;
  const plan = PLANS.find(([name]) => name === c.categoricalFeatures.plan)?.[2] ?? 0;
  return -0.3 - 1.4 * tenure + 1.0 * charges + plan;
}

/**
 * After the shift the relation changes too (concept drift): long-standing
 * customers now leave for a competitor and price matters less, so the model's
 * learned relation no longer holds and its accuracy drops.
 */
function shiftedLogit(c: Customer): number {
  const tenure = (c.numericFeatures.tenure_months - TENURE.mean) / TENURE.std;
  const charges = (c.numericFeatures.monthly_charges - CHARGES.mean) / CHARGES.std;
  return -0.3 + 0.6 * tenure + 0.4 * charges;
}

/** A seeded source of customers; `shifted` moves tenure down and charges up by 2σ and changes the label relation. */
export function customerSource(seed: number) {
  const rnd = prng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const pick = <T extends [string, number, ...unknown[]]>(choices: T[]) => {
    let u = rnd();
    for (const choice of choices) if ((u -= choice[1]) < 0) return choice[0];
    return choices[choices.length - 1]![0];
  };
  return {
    next(shifted = false): LabeledCustomer {
      const shift = shifted ? 2 : 0;
      const customer: Customer = {
        numericFeatures: {
          tenure_months: round(TENURE.mean + TENURE.std * (normal() - shift), 1),
          monthly_charges: round(CHARGES.mean + CHARGES.std * (normal() + shift), 2),
        },
        categoricalFeatures: { plan: pick(PLANS), region: pick(REGIONS) },
      };
      const p = sigmoid(shifted ? shiftedLogit(customer) : trainedLogit(customer));
      return { ...customer, label: rnd() < p ? 'churn' : 'stay' };
    },
    /** A uniform draw from the same sequence (labels delayed or lost, errors, latency). */
    uniform: rnd,
  };
}

/** What the deployed model answers: its learned relation, thresholded at 0.5. */
export function predictChurn(c: Customer): { prediction: ChurnLabel; probabilities: Record<ChurnLabel, number> } {
  const p = round(sigmoid(trainedLogit(c)), 6);
  return { prediction: p >= 0.5 ? 'churn' : 'stay', probabilities: { churn: p, stay: round(1 - p, 6) } };
}

/** The training dataset: `rows` customers before any shift (seeded apart from the serving stream). */
export function trainingRows(seed: number, rows: number): LabeledCustomer[] {
  const source = customerSource(seed * 7919 + 1);
  return Array.from({ length: rows }, () => source.next(false));
}

/** SHA-256 of the rows as JSON lines: the dataset version's content hash. */
export function contentSha256(rows: readonly LabeledCustomer[]): string {
  const hash = createHash('sha256');
  for (const r of rows) hash.update(`${JSON.stringify([r.numericFeatures, r.categoricalFeatures, r.label])}\n`);
  return hash.digest('hex');
}

export interface TrialSpec {
  name: string;
  params: { learning_rate: number; max_depth: number; n_estimators: number };
  /** Validation AUC the curve converges to. */
  finalAuc: number;
  /** Share of a 30-epoch schedule it takes to get about 63 % of the way there (curves keep their shape with fewer epochs). */
  tau: number;
}

/** Three experiment runs; the second one converges best. */
export const trials: TrialSpec[] = [
  { name: 'gbm-fast', params: { learning_rate: 0.3, max_depth: 3, n_estimators: 100 }, finalAuc: 0.81, tau: 2 },
  { name: 'gbm-balanced', params: { learning_rate: 0.1, max_depth: 6, n_estimators: 300 }, finalAuc: 0.87, tau: 5 },
  { name: 'gbm-slow', params: { learning_rate: 0.03, max_depth: 8, n_estimators: 600 }, finalAuc: 0.84, tau: 12 },
];

export interface EpochMetrics {
  step: number;
  train_loss: number;
  val_loss: number;
  val_auc: number;
}

/** Seeded learning curves: AUC rises towards `finalAuc`, losses fall, with a little noise. */
export function learningCurve(seed: number, trial: TrialSpec, epochs: number): EpochMetrics[] {
  const rnd = prng(seed * 31 + trials.indexOf(trial) + 17);
  const noise = (scale: number) => (rnd() - 0.5) * 2 * scale;
  return Array.from({ length: epochs }, (_, i) => {
    const progress = 1 - Math.exp(-((i + 1) * 30) / (epochs * trial.tau));
    const valAuc = 0.5 + (trial.finalAuc - 0.5) * progress;
    return {
      step: i,
      train_loss: round(0.69 - 0.33 * progress * 1.08 + noise(0.005), 4),
      val_loss: round(0.69 - 0.3 * progress + noise(0.008), 4),
      // The last epoch carries the converged value exactly, so the gate reads a stable number.
      val_auc: round(i === epochs - 1 ? 0.5 + (trial.finalAuc - 0.5) * progress : valAuc + noise(0.004), 4),
    };
  });
}
