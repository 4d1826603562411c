import { assertFiniteSample } from './errors.ts';

/** Sorted copy as a Float64Array (numeric order, unlike Array.prototype.sort). */
export const sortedCopy = (values: readonly number[]): Float64Array => Float64Array.from(values).sort();

/** `sortedCopy` of a sample checked first: not empty, finite numbers only (StatisticsInputError naming `what`). */
export function finiteSortedCopy(values: readonly number[], what: string): Float64Array {
  assertFiniteSample(values, what);
  return sortedCopy(values);
}

/** Neumaier-compensated sum: the statistics sum up to 10^5 terms and are compared to scipy at 1e-9. */
export function compensatedSum(values: Iterable<number>): number {
  let sum = 0;
  let compensation = 0;
  for (const v of values) {
    const t = sum + v;
    compensation += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + compensation;
}

/** numpy's np.round: halves go to the even neighbour (scipy rounds the KS effective n with it). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
