/**
 * Exact algorithms for P(D_n <= d) used by kolmogorovSf where scipy uses them:
 * Durbin's matrix method (Marsaglia, Tsang & Wang 2003) and Pomeranz's
 * recursion (1974). Both keep a separate binary exponent to avoid underflow.
 */

const SCALE_EXPONENT = 128;
const SCALE = 2 ** SCALE_EXPONENT;
const INVERSE_SCALE = 2 ** -SCALE_EXPONENT;

/** x · 2^exponent without overflowing the intermediate power of two. */
function ldexp(x: number, exponent: number): number {
  let result = x;
  let e = exponent;
  while (e > 1000) {
    result *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    result *= 2 ** -1000;
    e += 1000;
  }
  return result * 2 ** e;
}

function multiply(a: Float64Array, b: Float64Array, size: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    for (let k = 0; k < size; k++) {
      const aik = a[i * size + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < size; j++) out[i * size + j]! += aik * b[k * size + j]!;
    }
  }
  return out;
}

/** P(D_n <= d) by the k-th diagonal element of (n!/n^n) H^n, H of size 2k - 1 where k = ceil(n·d). */
export function durbinMatrixCdf(n: number, d: number): number {
  if (d >= 1) return 1;
  const nd = n * d;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;

  const v = new Float64Array(m);
  const w = new Float64Array(m);
  let factorial = 1;
  for (let j = 1; j <= m; j++) {
    w[j - 1] = factorial;
    factorial /= j;
    v[j - 1] = (1 - h ** j) * factorial;
  }
  const tt = Math.max(2 * h - 1, 0) ** m - 2 * h ** m;
  v[m - 1] = (1 + tt) * factorial;

  let H = new Float64Array(m * m);
  for (let i = 1; i < m; i++) for (let r = i - 1; r < m; r++) H[r * m + i] = w[r - i + 1]!;
  for (let r = 0; r < m; r++) H[r * m] = v[r]!;
  for (let c = 0; c < m; c++) H[(m - 1) * m + c] = v[m - 1 - c]!;

  let power = new Float64Array(m * m);
  for (let i = 0; i < m; i++) power[i * m + i] = 1;
  let exponent = 0;
  let hExponent = 0;
  for (let remaining = n; remaining > 0; remaining = Math.floor(remaining / 2)) {
    if (remaining % 2 === 1) {
      power = multiply(power, H, m);
      exponent += hExponent;
    }
    H = multiply(H, H, m);
    hExponent *= 2;
    if (Math.abs(H[(k - 1) * m + (k - 1)]!) > SCALE) {
      for (let i = 0; i < H.length; i++) H[i] = H[i]! / SCALE;
      hExponent += SCALE_EXPONENT;
    }
  }

  let p = power[(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < INVERSE_SCALE) {
      p *= SCALE;
      exponent -= SCALE_EXPONENT;
    }
  }
  return ldexp(p, exponent);
}

function pomeranzBounds(i: number, n: number, ll: number, ceilF: number, roundF: number): [number, number] {
  let j1: number;
  let j2: number;
  if (i === 0) {
    j1 = -ll - ceilF - 1;
    j2 = ll + ceilF - 1;
  } else {
    const half = Math.floor((i + 1) / 2);
    if ((i + 1) % 2 === 0) {
      if (half === n + 1) {
        j1 = n - ll - ceilF - 1;
        j2 = n + ll + ceilF - 1;
      } else {
        j1 = half - 1 - ll - roundF - 1;
        j2 = half + ll - 1 + ceilF - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundF - 1;
    }
  }
  return [Math.max(j1 + 2, 0), Math.min(j2, n)];
}

/** P(D_n <= d) by Pomeranz's recursion: rows are convolutions with (almost) Poisson weights. */
export function pomeranzCdf(n: number, d: number): number {
  const t = n * d;
  const ll = Math.floor(t);
  const f = t - ll;
  const g = Math.min(f, 1 - f);
  const ceilF = f > 0 ? 1 : 0;
  const roundF = f > 0.5 ? 1 : 0;
  const size = 2 * (ll + 1);

  const gPower = new Float64Array(size);
  const twoGPower = new Float64Array(size);
  const oneMinusTwoGPower = new Float64Array(size);
  gPower[0] = twoGPower[0] = oneMinusTwoGPower[0] = 1;
  for (let m = 1; m < size; m++) {
    gPower[m] = (gPower[m - 1]! * (g / n)) / m;
    twoGPower[m] = (twoGPower[m - 1]! * ((2 * g) / n)) / m;
    oneMinusTwoGPower[m] = (oneMinusTwoGPower[m - 1]! * ((1 - 2 * g) / n)) / m;
  }

  let previous = new Float64Array(size);
  let current = new Float64Array(size);
  current[0] = 1;
  let previousStart = 0;
  let currentStart = 0;
  let exponent = 0;
  let [j1, j2] = pomeranzBounds(0, n, ll, ceilF, roundF);
  for (let i = 1; i < 2 * n + 2; i++) {
    const k1 = j1;
    [previous, current] = [current, previous];
    [previousStart, currentStart] = [currentStart, previousStart];
    current.fill(0);
    [j1, j2] = pomeranzBounds(i, n, ll, ceilF, roundF);
    const powers = i === 1 || i === 2 * n + 1 ? gPower : i % 2 === 1 ? twoGPower : oneMinusTwoGPower;
    const length = j2 - k1 + 1;
    if (length <= 0) continue;
    const offset = k1 - previousStart;
    const from = j1 - k1;
    const count = j2 - j1 + 1;
    let maximum = 0;
    for (let out = 0; out < count; out++) {
      // Entry `from + out` of the full convolution of previous[offset .. offset+length) with powers[0 .. length).
      const index = from + out;
      let sum = 0;
      for (let a = Math.max(0, index - length + 1); a <= Math.min(index, length - 1); a++) {
        sum += (previous[offset + a] ?? 0) * (powers[index - a] ?? 0);
      }
      current[out] = sum;
      if (sum > maximum) maximum = sum;
    }
    if (maximum > 0 && maximum < INVERSE_SCALE) {
      for (let out = 0; out < count; out++) current[out] = current[out]! * SCALE;
      exponent -= SCALE_EXPONENT;
    }
    currentStart = previousStart + j1 - k1;
  }

  let answer = current[n - currentStart]!;
  for (let m = 1; m <= n; m++) {
    if (Math.abs(answer) > SCALE) {
      answer *= INVERSE_SCALE;
      exponent += SCALE_EXPONENT;
    }
    answer *= m;
  }
  return ldexp(answer, exponent);
}
