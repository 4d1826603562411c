import { assertCounts, StatisticsInputError } from './errors.ts';

/**
 * Jensen–Shannon distance, as scipy.spatial.distance.jensenshannon(p, q, base):
 * both inputs are normalised to sum 1 (counts are fine), then
 * sqrt((KL(p‖m) + KL(q‖m)) / 2) with m = (p + q) / 2 and logarithms in `base`.
 * With the default base 2 the distance lies in [0, 1]; Evidently's default
 * drift threshold is distance >= 0.1. Empty bins need no filling (0·log 0 = 0).
 * A sum that rounds below zero for identical inputs gives 0 (scipy gives NaN).
 */
export function jensenShannon(p: readonly number[], q: readonly number[], base = 2): number {
  if (p.length !== q.length) throw new StatisticsInputError(`Jensen–Shannon needs aligned bins, got ${p.length} and ${q.length}`);
  assertCounts(p, 'p');
  assertCounts(q, 'q');
  if (!(base > 0 && base !== 1)) throw new StatisticsInputError(`logarithm base must be > 0 and ≠ 1, got ${base}`);
  const sumP = p.reduce((s, v) => s + v, 0);
  const sumQ = q.reduce((s, v) => s + v, 0);
  if (!(sumP > 0 && sumQ > 0)) throw new StatisticsInputError('Jensen–Shannon needs a positive total on each side');
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]! / sumP;
    const qi = q[i]! / sumQ;
    const m = (pi + qi) / 2;
    if (pi > 0) left += pi * Math.log(pi / m);
    if (qi > 0) right += qi * Math.log(qi / m);
  }
  const js = (left + right) / Math.log(base);
  return Math.sqrt(Math.max(0, js / 2));
}
