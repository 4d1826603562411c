import { chiSquareSf, kolmogorovSf } from './special.ts';

const sorted = (xs: readonly number[]) => Float64Array.from(xs).sort();

/** Two-sample KS statistic D = sup |F_a - F_b|, ties handled by advancing both samples past equal values. */
export function ksStatistic(a: readonly number[], b: readonly number[]): number {
  const x = sorted(a);
  const y = sorted(b);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === v) i++;
    while (j < y.length && y[j] === v) j++;
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  return d;
}

/**
 * Two-sample KS test, two-sided, asymptotic p-value with Stephens' small-sample
 * correction: p = Q_KS((√n_e + 0.12 + 0.11/√n_e) · D), n_e = nm/(n+m).
 */
export function ksTest(a: readonly number[], b: readonly number[]): { statistic: number; pValue: number } {
  const statistic = ksStatistic(a, b);
  const ne = Math.sqrt((a.length * b.length) / (a.length + b.length));
  return { statistic, pValue: kolmogorovSf((ne + 0.12 + 0.11 / ne) * statistic) };
}

/**
 * Two-sample chi-square test of homogeneity over the union of categories (a
 * 2×k contingency table, no continuity correction; scipy's
 * chi2_contingency(correction=False)). Unlike a goodness-of-fit test against
 * the reference proportions (Evidently's choice), it accounts for the
 * reference being a sample too: with a 1 000-row reference window the
 * goodness-of-fit form flagged about a third of drift-free windows.
 */
export function chiSquareTest(reference: Record<string, number>, current: Record<string, number>): { statistic: number; pValue: number } {
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

/** Jensen–Shannon distance with log base 2 (in [0, 1]); inputs are normalised first. */
export function jensenShannon(p: readonly number[], q: readonly number[]): number {
  const sp = p.reduce((s, v) => s + v, 0);
  const sq = q.reduce((s, v) => s + v, 0);
  let js = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sp;
    const qi = q[i]! / sq;
    const m = (pi + qi) / 2;
    if (pi > 0) js += 0.5 * pi * Math.log2(pi / m);
    if (qi > 0) js += 0.5 * qi * Math.log2(qi / m);
  }
  return Math.sqrt(Math.max(0, js));
}

/** Category counts → aligned probability vectors over the union of categories. */
export function aligned(reference: Record<string, number>, current: Record<string, number>): [number[], number[]] {
  const categories = [...new Set([...Object.keys(reference), ...Object.keys(current)])].sort();
  return [categories.map((c) => reference[c] ?? 0), categories.map((c) => current[c] ?? 0)];
}

/** Wasserstein-1 distance between two empirical samples divided by the reference's population standard deviation. */
export function wassersteinNormed(reference: readonly number[], current: readonly number[]): number {
  const x = sorted(reference);
  const y = sorted(current);
  const all = Float64Array.from([...x, ...y]).sort();
  let i = 0;
  let j = 0;
  let w = 0;
  for (let k = 0; k < all.length - 1; k++) {
    const v = all[k]!;
    while (i < x.length && x[i]! <= v) i++;
    while (j < y.length && y[j]! <= v) j++;
    w += Math.abs(i / x.length - j / y.length) * (all[k + 1]! - v);
  }
  const mean = x.reduce((s, v) => s + v, 0) / x.length;
  const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length);
  // A constant reference: any movement is infinite drift, none is zero.
  if (std === 0) return w === 0 ? 0 : Number.MAX_VALUE;
  return w / std;
}

/** Population Stability Index over aligned proportions; empty bins count as 0.0001 (Evidently's choice). */
export function psi(reference: readonly number[], current: readonly number[]): number {
  const sr = reference.reduce((s, v) => s + v, 0);
  const sc = current.reduce((s, v) => s + v, 0);
  let total = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = Math.max(reference[i]! / sr, 0.0001);
    const c = Math.max(current[i]! / sc, 0.0001);
    total += (c - r) * Math.log(c / r);
  }
  return total;
}
