/**
 * Raised for inputs no statistic is defined on (empty samples, NaN, negative
 * counts, mismatched lengths). Not retriable: the same input fails again.
 */
export class StatisticsInputError extends RangeError {
  readonly code = 'DRIFT_STATISTICS_INPUT';
  override readonly name = 'StatisticsInputError';
}

export function assertFiniteSample(values: readonly number[], what: string): void {
  if (values.length === 0) throw new StatisticsInputError(`${what} must not be empty`);
  for (const v of values) if (!Number.isFinite(v)) throw new StatisticsInputError(`${what} must contain finite numbers only, got ${v}`);
}

export function assertCounts(counts: readonly number[], what: string): void {
  for (const c of counts) if (!(c >= 0) || !Number.isFinite(c)) throw new StatisticsInputError(`${what} must be finite and >= 0, got ${c}`);
}
