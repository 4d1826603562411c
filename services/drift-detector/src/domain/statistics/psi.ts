import { assertCounts, StatisticsInputError } from './errors.ts';

/**
 * Evidently's replacement for empty bins before taking logarithms: a zero
 * proportion becomes 0.0001, or, when some non-zero proportion is itself at most
 * 0.0001, that smallest non-zero proportion / 10^6 (so the filler stays smaller
 * than every real bin). Applied to each side separately, as Evidently's
 * get_binned_data(feel_zeroes=True).
 */
export function fillEmptyBins(p: readonly number[]): number[] {
  let smallest = Number.POSITIVE_INFINITY;
  for (const v of p) if (v !== 0 && v < smallest) smallest = v;
  if (smallest === Number.POSITIVE_INFINITY) throw new StatisticsInputError('PSI needs at least one non-empty bin on each side');
  const filler = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001;
  return p.map((v) => (v === 0 ? filler : v));
}

/**
 * Population Stability Index Σ (r_i - c_i) · ln(r_i / c_i) over aligned bins or
 * categories, as Evidently's `psi` stattest. Inputs are proportions and are NOT
 * renormalised: with binning that drops out-of-range values they sum to less
 * than 1, as in Evidently. Empty bins are filled by fillEmptyBins first.
 * Default drift threshold: PSI >= 0.1.
 */
export function psi(refProportions: readonly number[], curProportions: readonly number[]): number {
  if (refProportions.length !== curProportions.length) {
    throw new StatisticsInputError(`PSI needs aligned bins, got ${refProportions.length} and ${curProportions.length}`);
  }
  assertCounts(refProportions, 'reference proportions');
  assertCounts(curProportions, 'current proportions');
  const r = fillEmptyBins(refProportions);
  const c = fillEmptyBins(curProportions);
  let total = 0;
  for (let i = 0; i < r.length; i++) total += (r[i]! - c[i]!) * Math.log(r[i]! / c[i]!);
  return total;
}
