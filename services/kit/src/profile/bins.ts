// Quantile bins as numpy computes them: a dataset profile's reference bins,
// and the bins the drift detector counts each window over.

const sortedCopy = (values: readonly number[]): Float64Array => Float64Array.from(values).sort();

/**
 * Bin edges at the reference's quantiles 0, 1/bins, …, 1, computed like
 * np.quantile(reference, np.linspace(0, 1, bins + 1)) (linear interpolation,
 * same floating-point steps, so values lying on an edge land in the same bin as
 * with numpy). With many ties several edges can coincide; histogram() accepts that.
 */
export function quantileBinEdges(reference: readonly number[], bins = 10): number[] {
  if (reference.length === 0) throw new RangeError('reference must not be empty');
  for (const v of reference) if (!Number.isFinite(v)) throw new RangeError(`reference must contain finite numbers only, got ${v}`);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const sorted = sortedCopy(reference);
  const n = sorted.length;
  const step = 1 / bins;
  const edges: number[] = [];
  for (let i = 0; i <= bins; i++) {
    const q = i === bins ? 1 : i * step;
    const virtualIndex = n * q + (1 + q * -1) - 1;
    if (virtualIndex >= n - 1) {
      edges.push(sorted[n - 1]!);
      continue;
    }
    const below = Math.max(Math.floor(virtualIndex), 0);
    const gamma = virtualIndex - below;
    const a = sorted[below]!;
    const b = sorted[below + 1]!;
    const diff = b - a;
    edges.push(gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma);
  }
  return edges;
}

export interface HistogramOptions {
  /**
   * Values outside [edges[0], edges[last]]: 'drop' ignores them (np.histogram),
   * 'clamp' counts them in the first or last bin, so a current window that moves
   * beyond the reference's range still shows up in PSI and Jensen–Shannon.
   */
  outside?: 'drop' | 'clamp';
}

/**
 * Counts per bin with np.histogram's convention: bins are [e_i, e_i+1) and the
 * last one is closed [e_n-1, e_n]; a zero-width bin (repeated edge) is empty
 * unless it is the last one.
 */
export function histogram(values: readonly number[], edges: readonly number[], options: HistogramOptions = {}): number[] {
  if (edges.length < 2) throw new RangeError('a histogram needs at least two edges');
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! >= edges[i - 1]!)) throw new RangeError('histogram edges must be non-decreasing');
  }
  for (const v of values) if (Number.isNaN(v)) throw new RangeError('histogram values must not be NaN');
  const low = edges[0]!;
  const high = edges[edges.length - 1]!;
  const clamp = (options.outside ?? 'drop') === 'clamp';
  const sorted = sortedCopy(clamp ? values.map((v) => Math.min(high, Math.max(low, v))) : values);
  // Cumulative counts: values < e_i for every edge but the last, values <= e_last for the last.
  const cumulative = edges.map((e, i) => (i === edges.length - 1 ? upperBound(sorted, e) : lowerBound(sorted, e)));
  return cumulative.slice(1).map((c, i) => c - cumulative[i]!);
}

/** In ascending `sorted`, how many values are < v (binary search). */
export function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** In ascending `sorted`, how many values are <= v (binary search). */
export function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
