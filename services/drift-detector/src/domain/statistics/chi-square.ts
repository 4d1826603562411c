import { alignCategories } from './binning.ts';
import { assertCounts, StatisticsInputError } from './errors.ts';
import { chiSquareSf } from './special.ts';

export interface ChiSquareOptions {
  /**
   * Reference count given to a category the reference never saw (count 0 or
   * missing) but the current window did. Default 0.5, half an observation: the
   * reference could have held it less than once. The statistic stays finite and
   * a handful of new values is drift (5 of 1 000 against a 1 000-row reference:
   * p ≈ 8e-9), while a single new value alone is not (p ≈ 0.92). Pass 0 for Evidently's
   * literal behaviour: expected 0, statistic Infinity, p-value 0.
   */
  unseenReferenceCount?: number;
}

export const CHI_SQUARE_UNSEEN_REFERENCE_COUNT = 0.5;

/**
 * Chi-square goodness-of-fit of the current category counts against the
 * reference proportions, Evidently's `chisquare` stattest:
 * scipy.stats.chisquare(f_obs = current counts, f_exp = reference proportions ×
 * current total) over the union of categories, df = categories - 1.
 * Categories with zero count on both sides are left out (they carry no evidence
 * and would be 0/0). With a single category the statistic is 0 and p = 1.
 */
export function chiSquare(refCounts: Readonly<Record<string, number>>, curCounts: Readonly<Record<string, number>>, options: ChiSquareOptions = {}): { statistic: number; pValue: number; df: number } {
  const unseen = options.unseenReferenceCount ?? CHI_SQUARE_UNSEEN_REFERENCE_COUNT;
  if (!(unseen >= 0) || !Number.isFinite(unseen)) throw new StatisticsInputError(`unseenReferenceCount must be finite and >= 0, got ${unseen}`);
  const aligned = alignCategories(refCounts, curCounts);
  assertCounts(aligned.reference, 'reference counts');
  assertCounts(aligned.current, 'current counts');
  const reference: number[] = [];
  const observed: number[] = [];
  aligned.categories.forEach((_, i) => {
    const r = aligned.reference[i]!;
    const c = aligned.current[i]!;
    if (r + c === 0) return;
    reference.push(r > 0 ? r : unseen);
    observed.push(c);
  });
  const refTotal = reference.reduce((s, v) => s + v, 0);
  const curTotal = observed.reduce((s, v) => s + v, 0);
  if (!(refTotal > 0) || !(curTotal > 0)) throw new StatisticsInputError('chi-square needs a positive total on each side');
  let statistic = 0;
  for (let i = 0; i < observed.length; i++) {
    const expected = (reference[i]! / refTotal) * curTotal;
    const o = observed[i]!;
    statistic += expected === 0 ? (o === 0 ? 0 : Number.POSITIVE_INFINITY) : (o - expected) ** 2 / expected;
  }
  const df = observed.length - 1;
  if (df === 0) return { statistic: 0, pValue: 1, df };
  return { statistic, pValue: chiSquareSf(statistic, df), df };
}

/**
 * Two-sample chi-square test of homogeneity over the union of categories (a
 * 2×k contingency table, no continuity correction; scipy's
 * chi2_contingency(correction=False)). Unlike a goodness-of-fit test against
 * the reference proportions (Evidently's choice), it accounts for the
 * reference being a sample too: with a 1 000-row reference window the
 * goodness-of-fit form flagged about a third of drift-free windows.
 */
export function chiSquareHomogeneity(reference: Readonly<Record<string, number>>, current: Readonly<Record<string, number>>): { statistic: number; pValue: number } {
  const categories = [...new Set([...Object.keys(reference), ...Object.keys(current)])].sort();
  // One category on both sides: nothing can differ (and chi-square has no degree of freedom).
  if (categories.length < 2) return { statistic: 0, pValue: 1 };
  const refTotal = categories.reduce((s, c) => s + (reference[c] ?? 0), 0);
  const curTotal = categories.reduce((s, c) => s + (current[c] ?? 0), 0);
  const total = refTotal + curTotal;
  let statistic = 0;
  for (const c of categories) {
    const column = (reference[c] ?? 0) + (current[c] ?? 0);
    const expectedRef = (refTotal * column) / total;
    const expectedCur = (curTotal * column) / total;
    statistic += ((reference[c] ?? 0) - expectedRef) ** 2 / expectedRef + ((current[c] ?? 0) - expectedCur) ** 2 / expectedCur;
  }
  return { statistic, pValue: chiSquareSf(statistic, categories.length - 1) };
}
