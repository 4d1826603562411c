import type { FeatureProfile, FeatureSpec } from '../contracts/index.ts';
import type { ProfileRow } from '../profile/index.ts';
import { ExpectationInputError } from './expectation.ts';

/** A column's type as the data shows it; 'mixed' when rows carry it both as a number and as a category. */
export type ObservedColumnType = 'numeric' | 'categorical' | 'mixed' | 'boolean' | 'text' | 'datetime';

export interface NumericSummary {
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (ddof=0), as in a dataset profile. */
  std: number;
  /** Every value, ascending, when summarized from rows: shares over any bounds are then exact. */
  sorted?: Float64Array;
  /** A profile's quantile bins (bin i is [edge i, edge i+1]); bound the shares when values are not kept. */
  binEdges?: number[];
  binCounts?: number[];
}

export interface CategoricalSummary {
  /** Count per listed category. */
  counts: Record<string, number>;
  /** Values of categories not listed (a profile's top-k cut); 0 when every category is listed. */
  otherCount: number;
}

export interface ColumnSummary {
  name: string;
  type: ObservedColumnType;
  /** Non-null values; null when the source does not say. */
  count: number | null;
  /** Null or missing values; null when the source does not say. */
  nulls: number | null;
  numeric: NumericSummary | null;
  categorical: CategoricalSummary | null;
  /** Exact number of distinct non-null values, when known. */
  distinct: number | null;
}

/**
 * What both raw rows (or a window of predictions) and a dataset profile reduce to,
 * and what expectations are evaluated on. `source` says which: a profile cannot
 * answer everything rows can, and the evaluation says so (evaluable: false).
 */
export interface DataSummary {
  source: 'rows' | 'profile';
  rowCount: number;
  columns: Record<string, ColumnSummary>;
}

/**
 * Turns a flat record ({ age: 3, city: 'Oslo', member: true }) into the row shape the
 * profiler and summarizeRows read: numbers are numeric, strings and booleans categorical.
 */
export function toProfileRow(record: Readonly<Record<string, number | string | boolean | null | undefined>>): ProfileRow {
  const numericFeatures: Record<string, number | null> = {};
  const categoricalFeatures: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === 'number') numericFeatures[name] = value;
    else if (typeof value === 'string') categoricalFeatures[name] = value;
    else if (typeof value === 'boolean') categoricalFeatures[name] = String(value);
    else if (value === null || value === undefined) numericFeatures[name] = null;
    else throw new ExpectationInputError(`column ${name}: ${typeof value} is not a number, string, boolean or null`);
  }
  return { numericFeatures, categoricalFeatures };
}

interface Accumulator {
  numbers: number[];
  categories: Map<string, number>;
}

/**
 * Summarizes rows exactly (every share, distinct count and range is known).
 * A column missing from a row counts as a null in that row. NaN and ±Infinity
 * are refused: a missing value is sent as null, never as NaN.
 */
export function summarizeRows(rows: readonly ProfileRow[]): DataSummary {
  const seen = new Map<string, Accumulator>();
  const acc = (name: string) => {
    let a = seen.get(name);
    if (!a) seen.set(name, (a = { numbers: [], categories: new Map() }));
    return a;
  };
  rows.forEach((row, index) => {
    for (const [name, value] of Object.entries(row.numericFeatures ?? {})) {
      const a = acc(name);
      if (value === null || value === undefined) continue;
      if (typeof value !== 'number') throw new ExpectationInputError(`row ${index}, column ${name}: numeric feature holds ${typeof value} ${JSON.stringify(value)}; send it as a categorical feature`);
      if (!Number.isFinite(value)) throw new ExpectationInputError(`row ${index}, column ${name}: ${value} is not a value; send null for a missing value`);
      a.numbers.push(value);
    }
    for (const [name, value] of Object.entries(row.categoricalFeatures ?? {})) {
      const a = acc(name);
      if (value === null || value === undefined) continue;
      if (typeof value !== 'string') throw new ExpectationInputError(`row ${index}, column ${name}: categorical feature holds ${typeof value}; categories are strings`);
      a.categories.set(value, (a.categories.get(value) ?? 0) + 1);
    }
  });
  const columns: Record<string, ColumnSummary> = {};
  for (const name of [...seen.keys()].sort()) {
    const { numbers, categories } = seen.get(name)!;
    const categorical = categories.size ? { counts: Object.fromEntries([...categories].sort((a, b) => (a[0] < b[0] ? -1 : 1))), otherCount: 0 } : null;
    const numeric = numbers.length ? numericSummary(numbers) : null;
    const count = numbers.length + [...categories.values()].reduce((s, c) => s + c, 0);
    const type: ObservedColumnType = numeric && categorical ? 'mixed' : categorical ? 'categorical' : numeric ? 'numeric' : declaredEmptyType(rows, name);
    const distinctNumbers = numeric ? countDistinct(numeric.sorted!) : 0;
    columns[name] = { name, type, count, nulls: rows.length - count, numeric, categorical, distinct: distinctNumbers + categories.size };
  }
  return { source: 'rows', rowCount: rows.length, columns };
}

/** An all-null column's type is where the rows put it. */
function declaredEmptyType(rows: readonly ProfileRow[], name: string): ObservedColumnType {
  return rows.some((r) => r.categoricalFeatures && name in r.categoricalFeatures) ? 'categorical' : 'numeric';
}

/** Min, max, mean, population std and the sorted values of finite numbers (at least one). */
export function numericSummary(values: readonly number[]): NumericSummary {
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = sum / sorted.length;
  let squares = 0;
  for (const v of sorted) squares += (v - mean) ** 2;
  return { min: sorted[0]!, max: sorted[sorted.length - 1]!, mean, std: Math.sqrt(squares / sorted.length), sorted };
}

/** Distinct values of an ascending array. */
export function countDistinct(sorted: Float64Array): number {
  let n = 0;
  for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) n++;
  return n;
}

const profileTypes: Record<FeatureSpec['type'], ObservedColumnType> = {
  NUMERIC: 'numeric',
  CATEGORICAL: 'categorical',
  BOOLEAN: 'boolean',
  TEXT: 'text',
  DATETIME: 'datetime',
};

/**
 * Summarizes a DatasetVersionIngested's features and profile. A profile keeps
 * min/max/mean/std, quantile bins and the top-k categories, so some expectations
 * can only be bounded (and are evaluable only when the bound decides them).
 * Null share counts values the profile does not account for as missing:
 * total = max(rowCount, count + nulls).
 */
export function summaryFromProfile(input: { features?: readonly FeatureSpec[]; profile: readonly FeatureProfile[] }, rowCount: number): DataSummary {
  if (!Number.isInteger(rowCount) || rowCount < 0) throw new ExpectationInputError(`rowCount must be a non-negative integer, got ${rowCount}`);
  const columns: Record<string, ColumnSummary> = {};
  const declared = new Map((input.features ?? []).map((f) => [f.name, profileTypes[f.type]]));
  for (const p of input.profile) {
    const where = `profile of ${p.name}`;
    const count = Number(p.count);
    const nulls = Number(p.nulls);
    if (!(count >= 0) || !(nulls >= 0)) throw new ExpectationInputError(`${where}: count and nulls must be non-negative`);
    let numeric: NumericSummary | null = null;
    if (p.numeric) {
      const { min, max, mean, std } = p.numeric;
      for (const [k, v] of Object.entries({ min, max, mean, std })) {
        if (!Number.isFinite(v)) throw new ExpectationInputError(`${where}: numeric.${k} is ${v}; a profile holds finite numbers only`);
      }
      const binCounts = p.numeric.binCounts.map(Number);
      const binsUsable = p.numeric.binEdges.length === binCounts.length + 1 && p.numeric.binEdges.every(Number.isFinite);
      numeric = { min, max, mean, std, ...(binsUsable ? { binEdges: [...p.numeric.binEdges], binCounts } : {}) };
    }
    let categorical: CategoricalSummary | null = null;
    if (p.categorical) {
      const counts = Object.fromEntries(Object.entries(p.categorical.counts).map(([k, v]) => [k, Number(v)]));
      categorical = { counts, otherCount: Number(p.categorical.otherCount) };
    }
    const type = declared.get(p.name) ?? (numeric ? 'numeric' : categorical ? 'categorical' : 'numeric');
    const total = Math.max(rowCount, count + nulls);
    const distinct = categorical && categorical.otherCount === 0 ? Object.keys(categorical.counts).length : count === 0 ? 0 : null;
    columns[p.name] = { name: p.name, type, count, nulls: total - count, numeric, categorical, distinct };
  }
  for (const [name, type] of declared) {
    if (!columns[name]) columns[name] = { name, type, count: null, nulls: null, numeric: null, categorical: null, distinct: null };
  }
  return { source: 'profile', rowCount, columns };
}
