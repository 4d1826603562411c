import type { QualitySchema } from './schema.ts';

/** What the quality pass keeps of one numeric feature in a window: counts and extremes, never the values. */
export interface NumericQuality {
  /** Values carried (NaN and ±Infinity included). */
  n: number;
  /** Values that are NaN or infinite: counted as missing, like pandas counts NaN. */
  nonFinite: number;
  /** Finite values outside the schema's training range. */
  out: number;
  /** Smallest and largest finite value (null before the first). */
  min: number | null;
  max: number | null;
}

/**
 * The window's quality accumulator. Categorical features need nothing here:
 * the window's category counts (which drift keeps exactly anyway) answer
 * presence, unseen categories and constancy at close. So the per-prediction
 * cost is one record lookup and a few comparisons per numeric value.
 */
export interface QualityAcc {
  numeric: Record<string, NumericQuality>;
}

export const emptyQualityAcc = (): QualityAcc => ({ numeric: {} });

/** Counts one numeric value of a prediction; `schema` gives the training range (none for the reference window). */
export function observeNumeric(acc: QualityAcc, schema: QualitySchema | null, name: string, value: number): void {
  const q = (acc.numeric[name] ??= { n: 0, nonFinite: 0, out: 0, min: null, max: null });
  q.n += 1;
  if (!Number.isFinite(value)) {
    q.nonFinite += 1;
    return;
  }
  if (q.min === null || value < q.min) q.min = value;
  if (q.max === null || value > q.max) q.max = value;
  const range = schema?.numeric[name];
  if (range && (value < range[0] || value > range[1])) q.out += 1;
}
