/** Special functions for p-values (Numerical-Recipes-style algorithms, written here). */

// logGamma, the regularized incomplete gamma and the chi-square survival
// function live in the scipy-checked library; this module only adds the
// Kolmogorov limit distribution used by its asymptotic KS form.
export { chiSquareSf, gammaQ, logGamma } from '../domain/statistics/special.ts';

/** Kolmogorov distribution survival function Q_KS(λ) = 2 Σ (-1)^(j-1) exp(-2 j² λ²). */
export function kolmogorovSf(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  let sign = 1;
  for (let j = 1; j <= 200; j++) {
    const term = sign * Math.exp(-2 * j * j * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-17) break;
    sign = -sign;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}
