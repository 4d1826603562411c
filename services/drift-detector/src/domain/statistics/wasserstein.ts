import { assertFiniteSample } from './errors.ts';
import { compensatedSum, finiteSortedCopy } from './numeric.ts';

/** Wasserstein-1 distance between two empirical distributions (scipy.stats.wasserstein_distance): ∫ |F_u - F_v|. */
export function wassersteinDistance(u: readonly number[], v: readonly number[]): number {
  const x = finiteSortedCopy(u, 'first sample');
  const y = finiteSortedCopy(v, 'second sample');
  const parts: number[] = [];
  let i = 0;
  let j = 0;
  let value = Math.min(x[0]!, y[0]!);
  while (i < x.length || j < y.length) {
    while (i < x.length && x[i]! <= value) i++;
    while (j < y.length && y[j]! <= value) j++;
    const next = Math.min(x[i] ?? Number.POSITIVE_INFINITY, y[j] ?? Number.POSITIVE_INFINITY);
    if (next === Number.POSITIVE_INFINITY) break;
    parts.push(Math.abs(i / x.length - j / y.length) * (next - value));
    value = next;
  }
  return compensatedSum(parts);
}

/** Population standard deviation (ddof = 0, as np.std), two-pass. */
export function populationStd(values: readonly number[]): number {
  assertFiniteSample(values, 'sample');
  const mean = compensatedSum(values) / values.length;
  return Math.sqrt(compensatedSum(values.map((v) => (v - mean) ** 2)) / values.length);
}

/** Evidently's floor on the reference std: a constant reference still gives a finite distance. */
export const WASSERSTEIN_MIN_STD = 0.001;

/**
 * Wasserstein-1 distance divided by the reference's population std, as
 * Evidently's wasserstein_distance_norm: W1(ref, cur) / max(std(ref), 0.001).
 * For a constant reference (std 0) the divisor is the floor 0.001, so any shift
 * of the current values by more than 0.0001 counts as drift at the default 0.1
 * threshold, and no shift gives 0. Unitless; default drift threshold >= 0.1.
 */
export function wassersteinNormed(ref: readonly number[], cur: readonly number[], minStd = WASSERSTEIN_MIN_STD): number {
  return wassersteinDistance(ref, cur) / Math.max(populationStd(ref), minStd);
}
