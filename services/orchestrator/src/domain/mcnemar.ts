/** ln Γ(x) (Lanczos, g = 7), accurate to ~1e-13 for x > 0. */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * Exact one-sided McNemar test on the discordant pairs: b rows only the
 * challenger got right, c rows only the champion got right. Under "the
 * challenger is not better" each discordant row is a fair coin, so the
 * p-value is P(X ≥ b) for X ~ Binomial(b + c, 1/2). No discordant rows → 1.
 */
export function mcnemarOneSided(b: number, c: number): number {
  if (!(Number.isInteger(b) && Number.isInteger(c) && b >= 0 && c >= 0)) throw new TypeError(`mcnemarOneSided: counts must be whole numbers ≥ 0, got ${b}, ${c}`);
  const n = b + c;
  if (n === 0 || b === 0) return 1;
  const lnN = logGamma(n + 1) - n * Math.LN2;
  let p = 0;
  for (let k = b; k <= n; k++) p += Math.exp(lnN - logGamma(k + 1) - logGamma(n - k + 1));
  return Math.min(1, p);
}
