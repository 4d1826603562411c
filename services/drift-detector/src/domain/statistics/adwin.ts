import { StatisticsInputError } from './errors.ts';

/**
 * ADWIN (Bifet & Gavaldà 2007, the bucket-based ADWIN2) on an error stream:
 * keeps a window whose older and newer parts have equal means, dropping the
 * oldest values when some split shows a significant difference. Constants and
 * the cut test are River's (river.drift.ADWIN): at most 5 buckets per size,
 * cuts checked every 32 values once the window holds more than 10, each side
 * at least 5 values, and
 *   ε = sqrt(2 · m · σ²_W · δ') + 2/3 · δ' · m,  m = 1/(n0 - 4) + 1/(n1 - 4),
 *   δ' = ln(2 · ln|W| / δ).
 * Memory is O(maxBuckets · log2 |W|) numbers: buckets of 2^i values are merged
 * in pairs, so a year-long stream needs a few hundred numbers.
 * Every bucket boundary is a candidate cut (River skips the last bucket of
 * each size), so detections can come a few values apart from River's.
 */
export interface AdwinParameters {
  /** Confidence δ: lower means fewer false alarms and later detections. Default 0.002. */
  delta: number;
  /** Cuts are checked every `clock` values. Default 32. */
  clock: number;
  maxBuckets: number;
  minWindowLength: number;
  gracePeriod: number;
}

/** Sums of 2^row values each, oldest first, with their within-bucket variance (sum of squared deviations). */
export interface AdwinBucketRow {
  totals: number[];
  variances: number[];
}

/** Plain JSON: it is snapshotted to the changelog topic as is. */
export interface AdwinState {
  params: AdwinParameters;
  /** rows[i] holds buckets of 2^i values. */
  rows: AdwinBucketRow[];
  width: number;
  total: number;
  /** Sum of squared deviations from the window mean. */
  variance: number;
  tick: number;
}

export const ADWIN_DEFAULTS: AdwinParameters = { delta: 0.002, clock: 32, maxBuckets: 5, minWindowLength: 5, gracePeriod: 10 };

export function adwinInit(params: Partial<AdwinParameters> = {}): AdwinState {
  const p = { ...ADWIN_DEFAULTS, ...params };
  if (!(p.delta > 0 && p.delta < 1)) throw new StatisticsInputError(`ADWIN delta must be in (0, 1), got ${p.delta}`);
  for (const key of ['clock', 'maxBuckets', 'minWindowLength', 'gracePeriod'] as const) {
    if (!(Number.isInteger(p[key]) && p[key] >= 1)) throw new StatisticsInputError(`ADWIN ${key} must be a positive integer, got ${p[key]}`);
  }
  return { params: p, rows: [{ totals: [], variances: [] }], width: 0, total: 0, variance: 0, tick: 0 };
}

/** Mean of the current window (NaN when empty): the error level ADWIN believes in now. */
export const adwinMean = (state: AdwinState): number => state.total / state.width;

export function adwinUpdate(previous: AdwinState, x: number): { state: AdwinState; drift: boolean } {
  if (!Number.isFinite(x)) throw new StatisticsInputError(`ADWIN input must be finite, got ${x}`);
  const state: AdwinState = { ...previous, rows: previous.rows.map((r) => ({ totals: [...r.totals], variances: [...r.variances] })) };
  insert(state, x);
  state.tick += 1;
  let drift = false;
  if (state.tick % state.params.clock === 0 && state.width > state.params.gracePeriod) {
    while (state.width > 0 && hasSignificantCut(state)) {
      dropOldest(state);
      drift = true;
    }
  }
  return { state, drift };
}

function insert(state: AdwinState, x: number): void {
  state.width += 1;
  if (state.width > 1) {
    const previousMean = state.total / (state.width - 1);
    state.variance += ((state.width - 1) * (x - previousMean) * (x - previousMean)) / state.width;
  }
  state.total += x;
  state.rows[0]!.totals.push(x);
  state.rows[0]!.variances.push(0);
  // Merge the two oldest buckets of a full row into one bucket of the next size.
  for (let i = 0; i < state.rows.length; i++) {
    const row = state.rows[i]!;
    if (row.totals.length <= state.params.maxBuckets) break;
    const size = 2 ** i;
    const [t1, t2] = row.totals.splice(0, 2) as [number, number];
    const [v1, v2] = row.variances.splice(0, 2) as [number, number];
    const mu1 = t1 / size;
    const mu2 = t2 / size;
    if (i + 1 === state.rows.length) state.rows.push({ totals: [], variances: [] });
    state.rows[i + 1]!.totals.push(t1 + t2);
    state.rows[i + 1]!.variances.push(v1 + v2 + (size * size * (mu1 - mu2) * (mu1 - mu2)) / (2 * size));
  }
}

function hasSignificantCut(state: AdwinState): boolean {
  const { delta, minWindowLength } = state.params;
  const varianceInWindow = Math.max(0, state.variance / state.width);
  const deltaPrime = Math.log((2 * Math.log(state.width)) / delta);
  let n0 = 0;
  let u0 = 0;
  const bucketCount = state.rows.reduce((s, r) => s + r.totals.length, 0);
  let seen = 0;
  // Oldest first: the highest row holds the oldest buckets, each row is oldest-first.
  for (let i = state.rows.length - 1; i >= 0; i--) {
    const row = state.rows[i]!;
    for (let k = 0; k < row.totals.length; k++) {
      seen += 1;
      if (seen === bucketCount) return false;
      n0 += 2 ** i;
      u0 += row.totals[k]!;
      const n1 = state.width - n0;
      if (n0 < minWindowLength || n1 < minWindowLength) continue;
      const u1 = state.total - u0;
      const m = 1 / (n0 - minWindowLength + 1) + 1 / (n1 - minWindowLength + 1);
      const epsilon = Math.sqrt(2 * m * varianceInWindow * deltaPrime) + (2 / 3) * deltaPrime * m;
      if (Math.abs(u0 / n0 - u1 / n1) > epsilon) return true;
    }
  }
  return false;
}

function dropOldest(state: AdwinState): void {
  const last = state.rows.length - 1;
  const row = state.rows[last]!;
  const size = 2 ** last;
  const total = row.totals.shift()!;
  const variance = row.variances.shift()!;
  state.width -= size;
  state.total -= total;
  if (state.width === 0) {
    state.total = 0;
    state.variance = 0;
  } else {
    const mu = total / size;
    const muWindow = state.total / state.width;
    state.variance -= variance + (size * state.width * (mu - muWindow) * (mu - muWindow)) / (size + state.width);
  }
  if (row.totals.length === 0 && last > 0) state.rows.pop();
}
