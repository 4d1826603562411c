import { assertCounts, StatisticsInputError } from '../errors.ts';
import { probabilityOutsideDiagonals, probabilityOutsideSquare } from './ks-exact.ts';
import { kolmogorovSf } from './kolmogorov.ts';
import { finiteSortedCopy, roundHalfEven } from '../numeric.ts';

export interface KsResult {
  /** sup |F_a - F_b| over all observed values. */
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** Above this sample size scipy's method='auto' stops attempting the exact p-value. */
export const KS_MAX_EXACT_N = 10_000;

/** Two-sample KS statistic; ties are handled by evaluating both ECDFs after all equal values. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  return ksStatisticOfSorted(finiteSortedCopy(a, 'KS sample a'), finiteSortedCopy(b, 'KS sample b'));
}

/** ksStatistic of two samples already checked finite and sorted ascending (finiteSortedCopy), e.g. a reference sorted once. */
export function ksStatisticOfSorted(x: Float64Array, y: Float64Array): number {
  const nx = x.length;
  const ny = y.length;
  let i = 0;
  let j = 0;
  let maxDiff = 0;
  let minDiff = 0;
  while (i < nx || j < ny) {
    const v = Math.min(i < nx ? x[i]! : Number.POSITIVE_INFINITY, j < ny ? y[j]! : Number.POSITIVE_INFINITY);
    while (i < nx && x[i] === v) i++;
    while (j < ny && y[j] === v) j++;
    const diff = i / nx - j / ny;
    if (diff > maxDiff) maxDiff = diff;
    if (diff < minDiff) minDiff = diff;
  }
  return Math.max(maxDiff, -minDiff);
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/**
 * Two-sided two-sample Kolmogorov–Smirnov test, as
 * scipy.stats.ks_2samp(a, b, alternative='two-sided', method='auto'):
 * exact p-value (Hodges' lattice-path count) when both samples have at most
 * 10 000 values, else the one-sample KS distribution kstwo at the effective
 * size round(n·m / (n + m)). When the exact value is used, the statistic is
 * snapped to the lattice h / lcm(n, m), as scipy reports it.
 */
export function ksTwoSample(a: readonly number[], b: readonly number[]): KsResult {
  return ksTwoSampleOfSorted(finiteSortedCopy(a, 'KS sample a'), finiteSortedCopy(b, 'KS sample b'));
}

/** ksTwoSample of two samples already checked finite and sorted ascending (finiteSortedCopy). */
export function ksTwoSampleOfSorted(x: Float64Array, y: Float64Array): KsResult {
  const d = ksStatisticOfSorted(x, y);
  const n1 = x.length;
  const n2 = y.length;
  if (Math.max(n1, n2) <= KS_MAX_EXACT_N) {
    const { statistic, pValue } = exactPValue(n1, n2, d);
    if (pValue !== undefined) return { statistic, pValue, method: 'exact' };
    return { statistic, pValue: asymptoticPValue(n1, n2, statistic), method: 'asymptotic' };
  }
  return { statistic: d, pValue: asymptoticPValue(n1, n2, d), method: 'asymptotic' };
}

function exactPValue(n1: number, n2: number, d: number): { statistic: number; pValue: number | undefined } {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const p = n1 === n2 ? probabilityOutsideSquare(n1, h) : probabilityOutsideDiagonals(n1, n2, g, h);
  // scipy falls back to the asymptotic form when the recursion leaves [0, 1] (floating-point trouble).
  return { statistic, pValue: p >= 0 && p <= 1 ? p : undefined };
}

function asymptoticPValue(n1: number, n2: number, d: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const effectiveN = (m * n) / (m + n);
  return Math.min(1, Math.max(0, kolmogorovSf(d, roundHalfEven(effectiveN))));
}

/**
 * KS test on two histograms over the same bins, for windows that keep fixed bins
 * instead of raw values (bounded state).
 *
 * An approximation: the statistic is the largest ECDF gap at the bin edges only,
 * so it is at most the statistic on the raw values (equal when the raw gap peaks
 * at an edge), and the p-value is always the asymptotic kstwo form with the
 * effective size, never the exact one, because ties within a bin make the exact
 * null distribution of the raw test inapplicable.
 */
export function ksFromHistograms(edges: readonly number[], countsRef: readonly number[], countsCur: readonly number[]): { statistic: number; pValue: number; method: 'asymptotic' } {
  if (countsRef.length !== countsCur.length || edges.length !== countsRef.length + 1) {
    throw new StatisticsInputError(`histograms need edges.length = counts.length + 1, got ${edges.length} edges, ${countsRef.length} and ${countsCur.length} counts`);
  }
  assertCounts(countsRef, 'reference counts');
  assertCounts(countsCur, 'current counts');
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! >= edges[i - 1]!)) throw new StatisticsInputError('histogram edges must be non-decreasing');
  }
  const totalRef = countsRef.reduce((s, c) => s + c, 0);
  const totalCur = countsCur.reduce((s, c) => s + c, 0);
  if (totalRef === 0 || totalCur === 0) throw new StatisticsInputError('both histograms need at least one count');
  let cumRef = 0;
  let cumCur = 0;
  let statistic = 0;
  for (let i = 0; i < countsRef.length; i++) {
    cumRef += countsRef[i]!;
    cumCur += countsCur[i]!;
    statistic = Math.max(statistic, Math.abs(cumRef / totalRef - cumCur / totalCur));
  }
  return { statistic, pValue: asymptoticPValue(totalRef, totalCur, statistic), method: 'asymptotic' };
}
