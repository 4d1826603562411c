import { describeExpectation, type Expectation } from './expectation.ts';
import type { ColumnSummary, DataSummary, NumericSummary } from './summary.ts';
import { lowerBound, upperBound } from '../profile/bins.ts';

/**
 * The outcome of one expectation. `evaluable: false` means the summary (or the
 * missing reference) cannot answer it: it is then neither passed nor failed, and
 * `passed` is false so that nothing unanswerable ever reads as a pass.
 * `observed` is a number when exact, a string `low..high` when the data only
 * bounds it (a profile's top-k or bins), or a string naming a type / presence.
 */
export interface ExpectationResult {
  expectation: Expectation;
  /** A short stable name, e.g. `null_share_at_most(age, 0.1)`. */
  name: string;
  passed: boolean;
  observed: number | string | null;
  detail: string;
  evaluable: boolean;
}

/** passed: every expectation evaluable and passed; failed: at least one evaluable failure; incomplete: no failure, some not evaluable. */
export type SuiteVerdict = 'passed' | 'failed' | 'incomplete';

export function suiteVerdict(results: readonly ExpectationResult[]): SuiteVerdict {
  if (results.some((r) => r.evaluable && !r.passed)) return 'failed';
  return results.every((r) => r.evaluable) ? 'passed' : 'incomplete';
}

/**
 * Evaluates every expectation against a summary (of rows, a window or a profile).
 * The reference (a training profile, or a dataset's previous version) answers
 * within_training_range, unseen_share_at_most and no_new_columns; without it they
 * are not evaluable.
 */
export function evaluateSuite(expectations: readonly Expectation[], summary: DataSummary, reference?: DataSummary): ExpectationResult[] {
  return expectations.map((e) => evaluateExpectation(e, summary, reference));
}

/** A share known exactly (low === high) or only bounded. */
interface Share {
  low: number;
  high: number;
}

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6))));
const observedShare = (s: Share): number | string => (s.low === s.high ? s.low : `${fmt(s.low)}..${fmt(s.high)}`);
const shareText = (s: Share) => (s.low === s.high ? fmt(s.low) : `between ${fmt(s.low)} and ${fmt(s.high)}`);

export function evaluateExpectation(e: Expectation, summary: DataSummary, reference?: DataSummary): ExpectationResult {
  const name = describeExpectation(e);
  const result = (passed: boolean, observed: ExpectationResult['observed'], detail: string): ExpectationResult => ({ expectation: e, name, passed, observed, detail, evaluable: true });
  const unevaluable = (detail: string, observed: ExpectationResult['observed'] = null): ExpectationResult => ({ expectation: e, name, passed: false, observed, detail, evaluable: false });
  /** Passes when the share is at most max; evaluable only when the bound decides. */
  const shareAtMost = (s: Share, max: number, what: string): ExpectationResult => {
    if (s.high <= max) return result(true, observedShare(s), `${what} ${shareText(s)} ≤ ${fmt(max)}`);
    if (s.low > max) return result(false, observedShare(s), `${what} ${shareText(s)} > ${fmt(max)}`);
    return unevaluable(`${what} is ${shareText(s)}; the summary cannot tell whether it is ≤ ${fmt(max)}`, observedShare(s));
  };
  const between = (value: number, min: number | undefined, max: number | undefined, what: string): ExpectationResult => {
    const ok = (min === undefined || value >= min) && (max === undefined || value <= max);
    return result(ok, value, `${what} ${fmt(value)} ${ok ? 'within' : 'outside'} [${min ?? '-inf'}, ${max ?? '+inf'}]`);
  };

  if (e.kind === 'row_count_between') return between(summary.rowCount, e.min, e.max, 'row count');
  if (e.kind === 'no_new_columns') {
    if (!reference) return unevaluable('no reference to compare the columns with');
    const added = Object.keys(summary.columns).filter((c) => !reference.columns[c]);
    return result(added.length === 0, added.length, added.length ? `columns not in the reference: ${added.join(', ')}` : 'every column is in the reference');
  }

  const col = summary.columns[e.column];
  if (!col) {
    if (summary.rowCount === 0 && summary.source === 'rows') return unevaluable('no rows');
    return result(false, e.kind === 'column_present' ? 'absent' : null, `column ${e.column} is absent`);
  }
  if (e.kind === 'column_present') return result(true, 'present', `column ${e.column} is present`);
  if (e.kind === 'null_share_at_most') {
    if (col.count === null || col.nulls === null) return unevaluable(`the summary has no counts for ${e.column}`);
    const total = col.count + col.nulls;
    if (total === 0) return unevaluable('no rows');
    const s = col.nulls / total;
    return shareAtMost({ low: s, high: s }, e.max, 'null share');
  }
  if (col.count === 0) return unevaluable(`column ${e.column} has no non-null values`);
  switch (e.kind) {
    case 'column_type':
      if (col.count === null && summary.source === 'rows') return unevaluable(`column ${e.column} has no non-null values`);
      return result(col.type === e.type, col.type, `column ${e.column} is ${col.type}${col.type === e.type ? '' : `, expected ${e.type}`}`);
    case 'values_between': {
      if (!col.numeric) return unevaluable(`column ${e.column} is ${col.type}; values_between applies to numbers`);
      const s = shareOutside(col.numeric, e.min ?? -Infinity, e.max ?? Infinity);
      return shareAtMost(s, 0, `share of values outside [${e.min ?? '-inf'}, ${e.max ?? '+inf'}]`);
    }
    case 'within_training_range': {
      if (!col.numeric) return unevaluable(`column ${e.column} is ${col.type}; within_training_range applies to numbers`);
      const ref = reference?.columns[e.column]?.numeric;
      if (!ref) return unevaluable(reference ? `the reference has no numeric range for ${e.column}` : 'no reference (training profile) to take the range from');
      const widen = (ref.max - ref.min) * e.margin;
      const [lo, hi] = [ref.min - widen, ref.max + widen];
      return shareAtMost(shareOutside(col.numeric, lo, hi), 0, `share of values outside the training range [${fmt(lo)}, ${fmt(hi)}]`);
    }
    case 'values_in_set': {
      if (!col.categorical) return unevaluable(`column ${e.column} is ${col.type}; values_in_set applies to categories`);
      const allowed = new Set(e.values);
      const s = categoryShare(col, (c) => (allowed.has(c) ? 'in' : 'out'));
      return shareAtMost(s, 0, 'share of values outside the set');
    }
    case 'unseen_share_at_most': {
      if (!col.categorical) return unevaluable(`column ${e.column} is ${col.type}; unseen_share_at_most applies to categories`);
      const ref = reference?.columns[e.column]?.categorical;
      if (!ref) return unevaluable(reference ? `the reference has no categories for ${e.column}` : 'no reference (training profile) to take the categories from');
      const s = categoryShare(col, (c) => (c in ref.counts ? 'in' : ref.otherCount === 0 ? 'out' : 'unknown'));
      return shareAtMost(s, e.max, 'unseen-category share');
    }
    case 'unique_share_between': {
      const count = col.count;
      if (count === null) return unevaluable(`the summary has no counts for ${e.column}`);
      let distinct: Share;
      if (col.distinct !== null) distinct = { low: col.distinct, high: col.distinct };
      else if (col.categorical && !col.numeric) {
        const listed = Object.keys(col.categorical.counts).length;
        distinct = { low: listed + 1, high: listed + col.categorical.otherCount };
      } else return unevaluable(`a profile does not keep the distinct values of ${e.column}`);
      const s = { low: distinct.low / count, high: distinct.high / count };
      const min = e.min ?? 0;
      const max = e.max ?? 1;
      if (s.low >= min && s.high <= max) return result(true, observedShare(s), `unique share ${shareText(s)} within [${min}, ${max}]`);
      if (s.high < min || s.low > max) return result(false, observedShare(s), `unique share ${shareText(s)} outside [${min}, ${max}]`);
      return unevaluable(`unique share is ${shareText(s)}; the summary cannot tell whether it is within [${min}, ${max}]`, observedShare(s));
    }
    case 'mean_between':
    case 'std_between': {
      if (!col.numeric) return unevaluable(`column ${e.column} is ${col.type}; ${e.kind} applies to numbers`);
      return between(e.kind === 'mean_between' ? col.numeric.mean : col.numeric.std, e.min, e.max, e.kind === 'mean_between' ? 'mean' : 'std');
    }
    default: {
      const _exhaustive: never = e;
      return _exhaustive;
    }
  }
}

/** Share of numeric values outside [lo, hi]: exact from kept values, else bounded by the range and bins. */
function shareOutside(n: NumericSummary, lo: number, hi: number): Share {
  if (n.sorted) {
    const total = n.sorted.length;
    const out = lowerBound(n.sorted, lo) + (total - upperBound(n.sorted, hi));
    return { low: out / total, high: out / total };
  }
  if (n.min >= lo && n.max <= hi) return { low: 0, high: 0 };
  if (!n.binEdges || !n.binCounts) return { low: 0, high: 1 };
  const total = n.binCounts.reduce((s, c) => s + c, 0);
  if (total === 0) return { low: 0, high: 1 };
  let out = 0;
  let unsure = 0;
  n.binCounts.forEach((c, i) => {
    const [a, b] = [n.binEdges![i]!, n.binEdges![i + 1]!];
    if (b < lo || a > hi) out += c;
    else if (a < lo || b > hi) unsure += c;
  });
  // The minimum or maximum itself lies outside, so at least one value does.
  return { low: Math.max(out, 1) / total, high: Math.min(out + unsure, total) / total };
}

function categoryShare(col: ColumnSummary, classify: (category: string) => 'in' | 'out' | 'unknown'): Share {
  const cat = col.categorical!;
  let out = 0;
  let unknown = cat.otherCount;
  let total = cat.otherCount;
  for (const [c, k] of Object.entries(cat.counts)) {
    total += k;
    const where = classify(c);
    if (where === 'out') out += k;
    else if (where === 'unknown') unknown += k;
  }
  // Numbers in a mixed column are not categories of any set.
  const numbers = col.numeric?.sorted?.length ?? 0;
  out += numbers;
  total += numbers;
  return total === 0 ? { low: 0, high: 0 } : { low: out / total, high: (out + unknown) / total };
}
