/**
 * Exact null distribution of the two-sided two-sample KS statistic, counting
 * lattice paths (Hodges 1958), in the forms scipy uses: for n = m the
 * alternating binomial sum in Horner form; otherwise the "inside" recursion for
 * 1 - p directly (Viehmann 2021, arXiv:2102.08037), which stays in [0, 1] and
 * needs no binomial coefficients.
 */

/** P(D_{n,n} >= h/n). */
export function probabilityOutsideSquare(n: number, h: number): number {
  // 2 Σ_k (-1)^(k+1) C(2n, n - k·h) / C(2n, n) as 2·A1(1 - A2(1 - A3(…))).
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * P(D_{m,n} >= h / lcm(m, n)) for m ≠ n: the share of monotone lattice paths from
 * (0, 0) to (m, n) that touch |x/m - y/n| >= h / lcm. One column of the path-count
 * table is kept, and only the window of cells strictly inside the band; cells
 * outside count as 1 (every path through them has left the band).
 */
export function probabilityOutsideDiagonals(m0: number, n0: number, g: number, h: number): number {
  const m = Math.max(m0, n0);
  const n = Math.min(m0, n0);
  const mg = m / g;
  const ng = n / g;
  let minJ = 0;
  let maxJ = Math.min(Math.ceil(h / mg), n + 1);
  let currentLength = maxJ - minJ;
  const column = new Float64Array(Math.min(2 * maxJ + 2, n + 1)).fill(1);
  column.fill(0, minJ, maxJ);
  for (let i = 1; i <= m; i++) {
    const lastMinJ = minJ;
    const lastLength = currentLength;
    minJ = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    maxJ = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (maxJ <= minJ) return 1;
    let value = minJ === 0 ? 0 : 1;
    for (let jj = 0; jj < maxJ - minJ; jj++) {
      const j = jj + minJ;
      value = ((column[jj + minJ - lastMinJ] ?? 1) * i + value * j) / (i + j);
      column[jj] = value;
    }
    currentLength = maxJ - minJ;
    if (lastLength > currentLength) column.fill(1, maxJ - minJ, maxJ - minJ + (lastLength - currentLength));
  }
  return column[maxJ - minJ - 1]!;
}
