import { compensatedSum } from '../numeric.ts';

/**
 * One-sided Smirnov survival function P(D_n^+ >= x), as scipy.special.smirnov.
 * It is exact (the Birnbaum–Tingey sum) for n <= 10^6, with scipy's special
 * cases; scipy sums in double-double, here every term is computed in log space
 * with compensated sums, which agrees to ~1e-12 relative.
 */
export function smirnovSf(n: number, x: number): number {
  if (!(n > 0 && x >= 0 && x <= 1)) return Number.NaN;
  if (n === 1) return 1 - x;
  if (x === 0) return 1;
  if (x === 1) return 0;

  const [nx, nxLow] = twoProduct(n, x);
  let nxFloor = Math.floor(nx);
  let alpha = nx - nxFloor + nxLow;
  if (alpha < 0) {
    nxFloor -= 1;
    alpha += 1;
  }
  if (alpha >= 1) {
    nxFloor += 1;
    alpha -= 1;
  }

  // x <= 1/n: a single term.
  if (nxFloor === 0 || (nxFloor === 1 && alpha === 0)) return 1 - x * Math.pow(1 + x, n - 1);
  // The survival function underflows (cephes MINLOG).
  if (-2 * n * x * x < Math.log(2 ** -1022)) return 0;
  if (nxFloor >= n - 1) return Math.pow(1 - x, n);
  if (n > 1_000_000) return Math.exp(-Math.pow(6 * n * x + 1, 2) / 18 / n);

  // sf = x · Σ_{j=0}^{last} C(n, j) (1 - x - j/n)^(n-j) (x + j/n)^(j-1); when n·x is an
  // integer the last term is zero and left out, as scipy does.
  const last = n - nxFloor - 1 - (alpha === 0 ? 1 : 0);
  const terms: number[] = [];
  let logBinomial = 0;
  let logBinomialCompensation = 0;
  let total = 0;
  for (let j = 0; j <= last; j++) {
    if (j > 0) {
      // log C(n, j) accumulated with compensation: n reaches 10^4 and more.
      const step = Math.log((n - j + 1) / j);
      const t = logBinomial + step;
      logBinomialCompensation += Math.abs(logBinomial) >= Math.abs(step) ? logBinomial - t + step : step - t + logBinomial;
      logBinomial = t;
    }
    // 1 - x - j/n and x + j/n from the exact n·x, so that neither loses digits.
    const remaining = (n - j - nx - nxLow) / n;
    const reached = (j + nx + nxLow) / n;
    const logRemaining = remaining > 0.5 ? Math.log1p(-reached) : Math.log(remaining);
    const logTerm = logBinomial + logBinomialCompensation + (n - j) * logRemaining + (j - 1) * Math.log(reached);
    const term = Math.exp(logTerm);
    terms.push(term);
    total += term;
    if (term !== 0 && 4 * (last + 1 - j) * term < Number.EPSILON * total && j !== last) break;
    if (term === 0 && j > n / 2) break;
  }
  return Math.min(1, Math.max(0, x * compensatedSum(terms)));
}

/** a·b as an unevaluated sum hi + lo (Dekker's product with Veltkamp splitting). */
function twoProduct(a: number, b: number): [number, number] {
  const hi = a * b;
  const [aHi, aLo] = split(a);
  const [bHi, bLo] = split(b);
  const lo = aHi * bHi - hi + aHi * bLo + aLo * bHi + aLo * bLo;
  return [hi, lo];
}

function split(a: number): [number, number] {
  const c = 134217729 * a; // 2^27 + 1
  const hi = c - (c - a);
  return [hi, a - hi];
}
