import type { PredictionLogged } from '@mlstream/kit';
import { prng } from './generator.ts';

/** Data-quality faults to inject into a synthetic stream, each as a share of rows per feature. */
export interface QualityIncident {
  /** Feature removed from the prediction's maps (how a null arrives on the wire). */
  nulls?: Record<string, number>;
  /** Numeric feature set to `outOfRangeValue` (default 1000, far outside N(0,1)'s training range). */
  outOfRange?: Record<string, number>;
  /** Categorical feature set to a category the training data never had (`unseenCategory`, default "zz-unseen"). */
  unseen?: Record<string, number>;
  outOfRangeValue?: number;
  unseenCategory?: string;
}

/** A copy of `predictions` with the incident's faults, rows chosen by a generator seeded with `seed`. */
export function injectQualityIssues(predictions: readonly PredictionLogged[], incident: QualityIncident, seed: number): PredictionLogged[] {
  const rnd = prng(seed);
  return predictions.map((p) => {
    const numericFeatures = { ...p.numericFeatures };
    const categoricalFeatures = { ...p.categoricalFeatures };
    for (const [feature, share] of Object.entries(incident.nulls ?? {})) {
      if (rnd() < share) {
        delete numericFeatures[feature];
        delete categoricalFeatures[feature];
      }
    }
    for (const [feature, share] of Object.entries(incident.outOfRange ?? {})) if (feature in numericFeatures && rnd() < share) numericFeatures[feature] = incident.outOfRangeValue ?? 1000;
    for (const [feature, share] of Object.entries(incident.unseen ?? {})) if (feature in categoricalFeatures && rnd() < share) categoricalFeatures[feature] = incident.unseenCategory ?? 'zz-unseen';
    return { ...p, numericFeatures, categoricalFeatures };
  });
}
