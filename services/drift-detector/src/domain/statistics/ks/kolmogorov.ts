import { durbinMatrixCdf, pomeranzCdf } from './kolmogorov-exact.ts';
import { smirnovSf } from './smirnov.ts';

/**
 * Survival function of the two-sided one-sample KS statistic D_n
 * (scipy.stats.kstwo.sf(d, n)), with the algorithm choice of Simard & L'Ecuyer
 * (2011) exactly as scipy.stats._ksstats._kolmogn makes it, so that the
 * asymptotic two-sample p-value agrees with scipy.
 */
export function kolmogorovSf(d: number, n: number): number {
  if (!Number.isInteger(n) || n <= 0 || Number.isNaN(d)) return Number.NaN;
  if (d >= 1) return 0;
  if (d <= 0) return 1;
  const t = n * d;
  if (t <= 1) {
    // Ruben–Gambino: 1/(2n) <= d <= 1/n.
    if (t <= 0.5) return 1;
    return clip(1 - rubenGambinoLowCdf(n, t));
  }
  if (t >= n - 1) return clip(2 * Math.pow(1 - d, n));
  if (d >= 0.5) return clip(2 * smirnovSf(n, d));

  const nxSquared = t * d;
  if (n <= 140) {
    if (nxSquared <= 0.754693) return clip(1 - durbinMatrixCdf(n, d));
    if (nxSquared <= 4) return clip(1 - pomeranzCdf(n, d));
    return clip(2 * smirnovSf(n, d));
  }
  if (nxSquared >= 370) return 0;
  if (nxSquared >= 2.2) return clip(2 * smirnovSf(n, d));
  const cdf = n <= 100_000 && n * Math.pow(d, 1.5) <= 1.4 ? durbinMatrixCdf(n, d) : pelzGoodCdf(n, d);
  return clip(1 - clip(cdf));
}

const clip = (p: number): number => Math.min(1, Math.max(0, p));

// Stirling coefficients B_2j / (2j (2j-1)), highest power first, as scipy's _STIRLING_COEFFS.
const STIRLING = [-3617 / 122400, 1 / 156, -691 / 360360, 1 / 1188, -1 / 1680, 1 / 1260, -1 / 360, 1 / 12];

/** n!/n^n * (2t - 1)^n, the exact CDF for t = n·d in (1/2, 1]. */
function rubenGambinoLowCdf(n: number, t: number): number {
  if (n <= 140) {
    let p = 1;
    for (let i = 1; i <= n; i++) p *= i * (1 / n) * (2 * t - 1);
    return p;
  }
  const rn = 1 / n;
  let poly = 0;
  for (const c of STIRLING) poly = poly * (rn / n) + c;
  const logFactorialOverPower = Math.log(n) / 2 - n + Math.log(2 * Math.PI) / 2 + rn * poly;
  return Math.exp(logFactorialOverPower + n * Math.log(2 * t - 1));
}

const PI2 = Math.PI ** 2;
const PI4 = Math.PI ** 4;
const PI6 = Math.PI ** 6;
const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Pelz–Good asymptotic expansion of P(D_n <= d), to order n^-3/2 (Pelz & Good 1976). */
function pelzGoodCdf(n: number, d: number): number {
  if (d <= 0) return 0;
  if (d >= 1) return 1;
  const z = Math.sqrt(n) * d;
  const z2 = z ** 2;
  const z3 = z ** 3;
  const z4 = z ** 4;
  const z6 = z ** 6;
  const qlog = -PI2 / 8 / z2;
  if (qlog < -708) return 0;
  let q = Math.exp(qlog);

  const k1a = -z2;
  const k1b = PI2 / 4;
  const k2a = 6 * z6 + 2 * z4;
  const k2b = ((2 * z4 - 5 * z2) * PI2) / 4;
  const k2c = (PI4 * (1 - 2 * z2)) / 16;
  const k3d = (PI6 * (5 - 30 * z2)) / 64;
  const k3c = (PI4 * (-60 * z2 + 212 * z4)) / 16;
  const k3b = (PI2 * (135 * z4 - 96 * z6)) / 4;
  const k3a = -30 * z6 - 90 * z ** 8;

  // Horner scheme over odd m = 2k - 1 of c_i q^(m^2).
  const sums = [0, 0, 0, 0];
  const maxk = Math.ceil((16 * z) / Math.PI);
  for (let k = maxk; k > 0; k--) {
    const m = 2 * k - 1;
    const m2 = m ** 2;
    const m4 = m ** 4;
    const m6 = m ** 6;
    const qpower = Math.pow(q, 8 * k);
    const coeffs = [1, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6];
    for (let i = 0; i < 4; i++) sums[i] = sums[i]! * qpower + coeffs[i]!;
  }
  const divisors = [z, 6 * z4, 72 * z ** 7, 6480 * z ** 10];
  for (let i = 0; i < 4; i++) sums[i] = (sums[i]! * q * SQRT_2PI) / divisors[i]!;

  // The remaining sums over all k of (π²k²) q^(k²) for K2 and K3.
  q = Math.exp(-PI2 / 2 / z2);
  let k2extra = 0;
  let k3extra = 0;
  const sqrt3z = Math.sqrt(3) * z;
  for (let k = maxk; k > 0; k--) {
    const k2 = k ** 2;
    const qpower = q ** k2;
    k2extra += k2 * qpower;
    const kpi = Math.PI * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qpower;
  }
  sums[2] = sums[2]! + (k2extra * PI2 * SQRT_2PI) / (-36 * z3);
  sums[3] = sums[3]! + (k3extra * PI2 * SQRT_2PI) / (216 * z6);
  let cdf = 0;
  for (let i = 0; i < 4; i++) cdf += sums[i]! / Math.pow(n, i / 2);
  return cdf;
}
