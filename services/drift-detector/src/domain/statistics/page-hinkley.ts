import { StatisticsInputError } from './errors.ts';

/**
 * Page-Hinkley test for an increase of the mean of an error stream, River's
 * definition (river.drift.PageHinkley): with the running mean x̄_t,
 *   m_t = max(0, α·m_{t-1} + x_t - x̄_t - δ),
 * drift when m_t >= λ after at least `minInstances` values; the detector then
 * starts afresh. δ tolerates small increases, λ trades detection delay for false
 * alarms, α < 1 slowly forgets old deviations. (River allows the first alarm
 * one value earlier, at n = minInstances - 1; here it is at n = minInstances.)
 */
export interface PageHinkleyParameters {
  /** Tolerated change of the mean. Default 0.005. */
  delta: number;
  /** Alarm threshold λ. Default 50. */
  lambda: number;
  /** Forgetting factor α in (0, 1]. Default 1 - 0.0001. */
  alpha: number;
  /** No alarm before this many values. Default 30. */
  minInstances: number;
}

/** Plain JSON: it is snapshotted to the changelog topic as is. */
export interface PageHinkleyState {
  params: PageHinkleyParameters;
  /** Values seen since the last reset. */
  n: number;
  mean: number;
  sum: number;
}

export const PAGE_HINKLEY_DEFAULTS: PageHinkleyParameters = { delta: 0.005, lambda: 50, alpha: 1 - 0.0001, minInstances: 30 };

export function pageHinkleyInit(params: Partial<PageHinkleyParameters> = {}): PageHinkleyState {
  const p = { ...PAGE_HINKLEY_DEFAULTS, ...params };
  if (!(p.delta >= 0)) throw new StatisticsInputError(`Page-Hinkley delta must be >= 0, got ${p.delta}`);
  if (!(p.lambda > 0)) throw new StatisticsInputError(`Page-Hinkley lambda must be > 0, got ${p.lambda}`);
  if (!(p.alpha > 0 && p.alpha <= 1)) throw new StatisticsInputError(`Page-Hinkley alpha must be in (0, 1], got ${p.alpha}`);
  if (!(Number.isInteger(p.minInstances) && p.minInstances >= 1)) throw new StatisticsInputError(`Page-Hinkley minInstances must be a positive integer, got ${p.minInstances}`);
  return { params: p, n: 0, mean: 0, sum: 0 };
}

export function pageHinkleyUpdate(state: PageHinkleyState, x: number): { state: PageHinkleyState; drift: boolean } {
  if (!Number.isFinite(x)) throw new StatisticsInputError(`Page-Hinkley input must be finite, got ${x}`);
  const { params } = state;
  const n = state.n + 1;
  const mean = state.mean + (x - state.mean) / n;
  const sum = Math.max(0, params.alpha * state.sum + (x - mean - params.delta));
  if (n >= params.minInstances && sum >= params.lambda) return { state: { params, n: 0, mean: 0, sum: 0 }, drift: true };
  return { state: { params, n, mean, sum }, drift: false };
}
