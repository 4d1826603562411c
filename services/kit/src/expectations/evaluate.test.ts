import { describe, expect, it } from 'vitest';
import { profileDataset, type ProfileRow } from '../profile/index.ts';
import { evaluateExpectation, evaluateSuite, suiteVerdict } from './evaluate.ts';
import type { Expectation } from './expectation.ts';
import { summarizeRows, summaryFromProfile } from './summary.ts';

// Training data: x = 1..10, c = a×6, b×3, z×1.
const training: ProfileRow[] = Array.from({ length: 10 }, (_, i) => ({ numericFeatures: { x: i + 1 }, categoricalFeatures: { c: i < 6 ? 'a' : i < 9 ? 'b' : 'z' } }));
const trainingRows = summarizeRows(training);
const trainingProfile = summaryFromProfile(profileDataset(training, { bins: 5 }), 10);
const trainingTopK = summaryFromProfile(profileDataset(training, { bins: 5, topK: 2 }), 10);

// A batch: x has one null and one value far out of range (100); c has an unseen category 'q'.
const batch: ProfileRow[] = [
  { numericFeatures: { x: 2 }, categoricalFeatures: { c: 'a' } },
  { numericFeatures: { x: 5 }, categoricalFeatures: { c: 'a' } },
  { numericFeatures: { x: 100 }, categoricalFeatures: { c: 'q' } },
  { numericFeatures: { x: null }, categoricalFeatures: { c: 'b' } },
];
const rows = summarizeRows(batch);
const profile = summaryFromProfile(profileDataset(batch, { bins: 2 }), 4);

const one = (e: Expectation, summary = rows, reference = trainingRows) => {
  const { passed, observed, evaluable } = evaluateExpectation(e, summary, reference);
  return { passed, observed, evaluable };
};
const pass = (observed: number | string) => ({ passed: true, observed, evaluable: true });
const fail = (observed: number | string | null) => ({ passed: false, observed, evaluable: true });
const cannot = (observed: number | string | null = null) => ({ passed: false, observed, evaluable: false });

describe('column_present and column_type', () => {
  it('finds a present column and fails an absent one, from rows and from a profile', () => {
    expect(one({ kind: 'column_present', column: 'x' })).toEqual(pass('present'));
    expect(one({ kind: 'column_present', column: 'y' })).toEqual(fail('absent'));
    expect(one({ kind: 'column_present', column: 'y' }, profile)).toEqual(fail('absent'));
  });

  it('compares the observed type, and calls a column sent both ways mixed', () => {
    expect(one({ kind: 'column_type', column: 'x', type: 'numeric' })).toEqual(pass('numeric'));
    expect(one({ kind: 'column_type', column: 'c', type: 'numeric' }, profile)).toEqual(fail('categorical'));
    const mixed = summarizeRows([{ numericFeatures: { x: 1 } }, { categoricalFeatures: { x: 'one' } }]);
    expect(one({ kind: 'column_type', column: 'x', type: 'numeric' }, mixed)).toEqual(fail('mixed'));
  });

  it('fails any column expectation on a column that is absent', () => {
    expect(one({ kind: 'null_share_at_most', column: 'y', max: 1 })).toEqual(fail(null));
    expect(evaluateExpectation({ kind: 'mean_between', column: 'y', min: 0 }, rows).detail).toBe('column y is absent');
  });
});

describe('null_share_at_most', () => {
  it('counts nulls and missing keys over all rows', () => {
    expect(one({ kind: 'null_share_at_most', column: 'x', max: 0.25 })).toEqual(pass(0.25));
    expect(one({ kind: 'null_share_at_most', column: 'x', max: 0.2 })).toEqual(fail(0.25));
    expect(one({ kind: 'null_share_at_most', column: 'x', max: 0.2 }, profile)).toEqual(fail(0.25));
  });

  it('fails an all-null column', () => {
    const allNull = summarizeRows([{ numericFeatures: { x: null } }, { numericFeatures: { x: null } }]);
    expect(one({ kind: 'null_share_at_most', column: 'x', max: 0.5 }, allNull)).toEqual(fail(1));
  });
});

describe('values_between and within_training_range', () => {
  it('gives the exact share outside the bounds from rows', () => {
    expect(one({ kind: 'values_between', column: 'x', min: 0, max: 10 })).toEqual(fail(1 / 3));
    expect(one({ kind: 'values_between', column: 'x', min: 2, max: 100 })).toEqual(pass(0));
    expect(one({ kind: 'values_between', column: 'x', max: 100 })).toEqual(pass(0));
  });

  it('decides from a profile range, bounding the share by its bins', () => {
    expect(one({ kind: 'values_between', column: 'x', min: 0, max: 1000 }, profile)).toEqual(pass(0));
    const out = one({ kind: 'values_between', column: 'x', min: 0, max: 10 }, profile);
    expect(out).toMatchObject({ passed: false, evaluable: true });
    expect(out.observed).toMatch(/^0\.333333\.\.0\.666667$/);
  });

  it('widens the reference range by the margin', () => {
    // Training range 1..10 (width 9): margin 0.1 allows 0.1..10.9.
    expect(one({ kind: 'within_training_range', column: 'x', margin: 0.1 })).toEqual(fail(1 / 3));
    expect(one({ kind: 'within_training_range', column: 'x', margin: 11 })).toEqual(pass(0));
    expect(one({ kind: 'within_training_range', column: 'x', margin: 0.1 }, rows, trainingProfile)).toEqual(fail(1 / 3));
  });

  it('cannot answer without a reference, or on categories', () => {
    expect(evaluateExpectation({ kind: 'within_training_range', column: 'x', margin: 0 }, rows)).toMatchObject(cannot());
    expect(one({ kind: 'values_between', column: 'c', min: 0 })).toEqual(cannot());
  });
});

describe('values_in_set and unseen_share_at_most', () => {
  it('gives the share of values outside the set', () => {
    expect(one({ kind: 'values_in_set', column: 'c', values: ['a', 'b'] })).toEqual(fail(0.25));
    expect(one({ kind: 'values_in_set', column: 'c', values: ['a', 'b', 'q'] })).toEqual(pass(0));
  });

  it('is not evaluable from a top-k profile whose unlisted categories could be anything', () => {
    const topK = summaryFromProfile(profileDataset(batch, { topK: 2 }), 4);
    expect(one({ kind: 'values_in_set', column: 'c', values: ['a', 'b'] }, topK)).toEqual(cannot('0..0.25'));
    // ... but a listed category outside the set decides it.
    expect(one({ kind: 'values_in_set', column: 'c', values: ['b', 'q'] }, topK)).toEqual(fail('0.5..0.75'));
  });

  it('gives the share of categories the reference never saw', () => {
    expect(one({ kind: 'unseen_share_at_most', column: 'c', max: 0.25 })).toEqual(pass(0.25));
    expect(one({ kind: 'unseen_share_at_most', column: 'c', max: 0.1 }, rows, trainingProfile)).toEqual(fail(0.25));
  });

  it('bounds the unseen share when the reference lists only its top categories', () => {
    // Reference lists a, b (z is in otherCount): q might be z's sibling or not.
    expect(one({ kind: 'unseen_share_at_most', column: 'c', max: 0.1 }, rows, trainingTopK)).toEqual(cannot('0..0.25'));
    expect(one({ kind: 'unseen_share_at_most', column: 'c', max: 0.25 }, rows, trainingTopK)).toEqual(pass('0..0.25'));
  });

  it('cannot answer without a reference or on numbers', () => {
    expect(evaluateExpectation({ kind: 'unseen_share_at_most', column: 'c', max: 0 }, rows)).toMatchObject(cannot());
    expect(one({ kind: 'values_in_set', column: 'x', values: ['1'] })).toEqual(cannot());
  });
});

describe('unique_share_between', () => {
  it('divides distinct values by non-null values, exactly from rows', () => {
    expect(one({ kind: 'unique_share_between', column: 'x', min: 1 })).toEqual(pass(1));
    expect(one({ kind: 'unique_share_between', column: 'c', min: 0.9 })).toEqual(fail(0.75));
  });

  it('bounds it from top-k categories and cannot answer it for profiled numbers', () => {
    const topK = summaryFromProfile(profileDataset(batch, { topK: 1 }), 4);
    expect(one({ kind: 'unique_share_between', column: 'c', max: 0.4 }, topK)).toEqual(fail('0.5..0.75'));
    expect(one({ kind: 'unique_share_between', column: 'c', max: 0.6 }, topK)).toEqual(cannot('0.5..0.75'));
    expect(one({ kind: 'unique_share_between', column: 'x', min: 0.5 }, profile)).toEqual(cannot());
  });
});

describe('row_count_between, mean_between, std_between', () => {
  it('checks the row count', () => {
    expect(one({ kind: 'row_count_between', min: 4, max: 4 })).toEqual(pass(4));
    expect(one({ kind: 'row_count_between', min: 5 }, profile)).toEqual(fail(4));
  });

  it('checks mean and population std, from rows and profiles alike', () => {
    // x = 2, 5, 100: mean 35.666…, std 45.96…
    expect(one({ kind: 'mean_between', column: 'x', max: 10 })).toEqual(fail(107 / 3));
    expect(one({ kind: 'mean_between', column: 'x', min: 30, max: 40 }, profile)).toEqual(pass(107 / 3));
    expect(one({ kind: 'std_between', column: 'x', min: 40, max: 50 }).passed).toBe(true);
    expect(one({ kind: 'std_between', column: 'x', max: 40 }, profile).passed).toBe(false);
    expect(one({ kind: 'std_between', column: 'c', max: 40 })).toEqual(cannot());
  });
});

describe('no_new_columns', () => {
  it('lists columns the reference does not have', () => {
    const extra = summarizeRows([{ numericFeatures: { x: 1, extra: 2 } }]);
    expect(evaluateExpectation({ kind: 'no_new_columns' }, extra, trainingRows)).toMatchObject({ passed: false, observed: 1, detail: 'columns not in the reference: extra' });
    expect(one({ kind: 'no_new_columns' })).toEqual(pass(0));
    expect(evaluateExpectation({ kind: 'no_new_columns' }, rows)).toMatchObject(cannot());
  });
});

describe('empty data and all-null columns', () => {
  const empty = summarizeRows([]);
  const allNull = summarizeRows([{ numericFeatures: { x: null }, categoricalFeatures: { c: null } }]);
  const suite: Expectation[] = [
    { kind: 'column_present', column: 'x' },
    { kind: 'null_share_at_most', column: 'x', max: 0.5 },
    { kind: 'values_between', column: 'x', min: 0 },
    { kind: 'within_training_range', column: 'x', margin: 0 },
    { kind: 'values_in_set', column: 'c', values: ['a'] },
    { kind: 'unseen_share_at_most', column: 'c', max: 0 },
    { kind: 'unique_share_between', column: 'x', min: 0 },
    { kind: 'mean_between', column: 'x', min: 0 },
    { kind: 'std_between', column: 'x', min: 0 },
    { kind: 'column_type', column: 'x', type: 'numeric' },
  ];

  it('answers only the row count of an empty window; nothing else passes silently', () => {
    const results = evaluateSuite([...suite, { kind: 'row_count_between', min: 1 }], empty, trainingRows);
    expect(results.slice(0, -1).every((r) => !r.evaluable && !r.passed)).toBe(true);
    expect(results.at(-1)).toMatchObject({ passed: false, observed: 0, evaluable: true });
    expect(suiteVerdict(results)).toBe('failed');
  });

  it('fails the null share of an all-null column and cannot answer what needs values', () => {
    const results = evaluateSuite(suite, allNull, trainingRows);
    expect(results.map((r) => [r.name, r.evaluable, r.passed])).toEqual([
      ['column_present(x)', true, true],
      ['null_share_at_most(x, 0.5)', true, false],
      ['values_between(x, 0..+inf)', false, false],
      ['within_training_range(x, margin 0)', false, false],
      ['values_in_set(c, 1 values)', false, false],
      ['unseen_share_at_most(c, 0)', false, false],
      ['unique_share_between(x, 0..+inf)', false, false],
      ['mean_between(x, 0..+inf)', false, false],
      ['std_between(x, 0..+inf)', false, false],
      ['column_type(x, numeric)', false, false],
    ]);
  });
});

describe('suiteVerdict', () => {
  it('is failed on any evaluable failure, incomplete when something could not be answered, passed otherwise', () => {
    expect(suiteVerdict(evaluateSuite([{ kind: 'row_count_between', min: 1 }], rows))).toBe('passed');
    expect(suiteVerdict(evaluateSuite([{ kind: 'row_count_between', min: 1 }, { kind: 'no_new_columns' }], rows))).toBe('incomplete');
    expect(suiteVerdict(evaluateSuite([{ kind: 'row_count_between', min: 9 }, { kind: 'no_new_columns' }], rows))).toBe('failed');
    expect(suiteVerdict([])).toBe('passed');
  });
});
