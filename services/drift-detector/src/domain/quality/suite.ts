import type { ExpectationOutcome, QualityFailure } from '@mlstream/kit';
import { countDistinct, evaluateSuite, expectationOutcome, numericSummary, type ColumnSummary, type DataSummary, type Expectation } from '@mlstream/kit/expectations';
import type { QualityAcc } from './accumulate.ts';
import type { QualitySchema } from './schema.ts';

/** The model's expectation suite in force (ExpectationSuiteDeclared, subject `model:<name>`). */
export interface ModelSuite {
  version: number;
  expectations: Expectation[];
}

/** Finds the suite of a model in force at an event time; undefined when none was declared by then. */
export type SuiteLookup = (model: string, asOf: number) => ModelSuite | undefined;

/** What a window holds that a suite is evaluated on (a window's sample, counts and quality accumulator). */
export interface WindowData {
  count: number;
  numeric: Record<string, number[]>;
  categorical: Record<string, Record<string, number>>;
  quality: QualityAcc;
}

/**
 * The window as the expectations library's DataSummary (source `rows`):
 * counts and categories are exact; numeric values are the window's sample,
 * which holds every value of a count window (and a seeded sample of an
 * event-time window beyond maxWindowSample values). Training features no
 * prediction carried are columns with every value missing.
 */
export function windowSummary(window: WindowData, schema: QualitySchema | null): DataSummary {
  const columns: Record<string, ColumnSummary> = {};
  const names = new Set([...Object.keys(window.quality.numeric), ...Object.keys(window.categorical), ...Object.keys(schema?.numeric ?? {}), ...Object.keys(schema?.categorical ?? {})]);
  for (const name of [...names].sort()) {
    const q = window.quality.numeric[name];
    const numericCount = q ? q.n - q.nonFinite : 0;
    const counts = window.categorical[name];
    const categoricalCount = counts ? Object.values(counts).reduce((s, c) => s + c, 0) : 0;
    const finite = numericCount ? (window.numeric[name] ?? []).filter(Number.isFinite) : [];
    const numeric = finite.length ? numericSummary(finite) : null;
    const categorical = categoricalCount ? { counts: { ...counts! }, otherCount: 0 } : null;
    const count = numericCount + categoricalCount;
    const complete = !numeric || numeric.sorted!.length === numericCount;
    let distinct: number | null = categorical ? Object.keys(categorical.counts).length : 0;
    if (numeric) distinct = complete ? distinct + countDistinct(numeric.sorted!) : null;
    const type = numeric && categorical ? 'mixed' : categorical ? 'categorical' : numeric ? 'numeric' : schema && name in schema.categorical ? 'categorical' : 'numeric';
    columns[name] = { name, type, count, nulls: window.count - count, numeric: numeric && (complete ? numeric : { ...numeric, sorted: undefined }), categorical, distinct };
  }
  return { source: 'rows', rowCount: window.count, columns };
}

/** The reference the suite's range, unseen-category and new-column expectations compare with: the quality schema. */
export function referenceSummary(schema: QualitySchema): DataSummary {
  const columns: Record<string, ColumnSummary> = {};
  for (const [name, [min, max]] of Object.entries(schema.numeric)) {
    // Only the range is read from a reference; mean and std are not known here and not used.
    columns[name] = { name, type: 'numeric', count: null, nulls: null, numeric: { min, max, mean: (min + max) / 2, std: 0 }, categorical: null, distinct: null };
  }
  for (const [name, known] of Object.entries(schema.categorical)) {
    columns[name] = { name, type: 'categorical', count: null, nulls: null, numeric: null, categorical: known ? { counts: Object.fromEntries(Object.keys(known).map((c) => [c, 1])), otherCount: 0 } : { counts: {}, otherCount: 1 }, distinct: null };
  }
  return { source: 'profile', rowCount: 0, columns };
}

/**
 * Every expectation of the suite on the window. An expectation the window
 * cannot answer is reported `evaluable: false` and is no failure; an evaluable
 * one that fails is a failure of the window (check `expectation:<name>`).
 */
export function evaluateWindowSuite(suite: ModelSuite, window: WindowData, schema: QualitySchema | null): { outcomes: ExpectationOutcome[]; failures: QualityFailure[] } {
  const results = evaluateSuite(suite.expectations, windowSummary(window, schema), schema ? referenceSummary(schema) : undefined);
  const outcomes = results.map(expectationOutcome);
  const failures = results
    .filter((r) => r.evaluable && !r.passed)
    .map((r) => ({ feature: 'column' in r.expectation ? r.expectation.column : '', check: `expectation:${r.name}`, observed: typeof r.observed === 'number' ? r.observed : 0, threshold: 0 }));
  return { outcomes, failures };
}
