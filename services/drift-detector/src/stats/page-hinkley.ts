/** Page-Hinkley change detector on an error stream; state is plain JSON so it can be snapshotted. */
export interface PageHinkleyState {
  n: number;
  mean: number;
  cumulative: number;
  minimum: number;
}

export const pageHinkleyInitial: PageHinkleyState = { n: 0, mean: 0, cumulative: 0, minimum: 0 };

/** Detects an increase of the mean; `delta` tolerates small changes, `lambda` is the alarm threshold. */
export function pageHinkley(state: PageHinkleyState, x: number, delta = 0.005, lambda = 50): { state: PageHinkleyState; drift: boolean } {
  const n = state.n + 1;
  const mean = state.mean + (x - state.mean) / n;
  const cumulative = state.cumulative + x - mean - delta;
  const minimum = Math.min(state.minimum, cumulative);
  if (cumulative - minimum > lambda) return { state: pageHinkleyInitial, drift: true };
  return { state: { n, mean, cumulative, minimum }, drift: false };
}
