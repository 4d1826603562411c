import { describe, expect, it } from 'vitest';
import { describeExpectation, type Expectation, ExpectationInputError, expectationKinds, parseSuite } from './expectation.ts';
import { expectationsFromRecords, expectationToRecord } from './record.ts';

const everyKind: Expectation[] = [
  { kind: 'column_present', column: 'age' },
  { kind: 'column_type', column: 'age', type: 'numeric' },
  { kind: 'null_share_at_most', column: 'age', max: 0.1 },
  { kind: 'values_between', column: 'age', min: 0, max: 120 },
  { kind: 'within_training_range', column: 'age', margin: 0.1 },
  { kind: 'values_in_set', column: 'city', values: ['Oslo', 'Bergen'] },
  { kind: 'unseen_share_at_most', column: 'city', max: 0.05 },
  { kind: 'unique_share_between', column: 'id', min: 0.99 },
  { kind: 'row_count_between', min: 1000 },
  { kind: 'mean_between', column: 'age', min: 30, max: 50 },
  { kind: 'std_between', column: 'age', max: 20 },
  { kind: 'no_new_columns' },
];

describe('parseSuite', () => {
  it('accepts one expectation of every kind', () => {
    expect(parseSuite(everyKind)).toEqual(everyKind);
    expect(new Set(everyKind.map((e) => e.kind))).toEqual(new Set(expectationKinds));
  });

  it('refuses NaN, reversed bounds, shares beyond 1, missing bounds and unknown kinds, listing every problem', () => {
    const bad = [
      { kind: 'values_between', column: 'x', min: Number.NaN },
      { kind: 'mean_between', column: 'x', min: 2, max: 1 },
      { kind: 'null_share_at_most', column: 'x', max: 1.5 },
      { kind: 'std_between', column: 'x' },
      { kind: 'within_training_range', column: 'x', margin: -0.1 },
      { kind: 'row_count_between', min: 1.5 },
      { kind: 'values_in_set', column: 'x', values: [] },
      { kind: 'sometimes', column: 'x' },
      { kind: 'column_present', column: 'x', extra: 1 },
    ];
    for (const e of bad) expect(() => parseSuite([e]), JSON.stringify(e)).toThrow(ExpectationInputError);
    expect(() => parseSuite([{ kind: 'values_between', column: 'x', min: Number.NaN }])).toThrow(/0\.min: .*NaN/);
    expect(() => parseSuite([{ kind: 'mean_between', column: 'x', min: 2, max: 1 }])).toThrow(/min must not exceed max/);
  });

  it('names each expectation stably', () => {
    expect(everyKind.map(describeExpectation)).toEqual([
      'column_present(age)',
      'column_type(age, numeric)',
      'null_share_at_most(age, 0.1)',
      'values_between(age, 0..120)',
      'within_training_range(age, margin 0.1)',
      'values_in_set(city, 2 values)',
      'unseen_share_at_most(city, 0.05)',
      'unique_share_between(id, 0.99..+inf)',
      'row_count_between(1000..+inf)',
      'mean_between(age, 30..50)',
      'std_between(age, -inf..20)',
      'no_new_columns',
    ]);
  });
});

describe('the event form of an expectation', () => {
  it('round-trips every kind through the flat Avro record', () => {
    expect(expectationsFromRecords(everyKind.map(expectationToRecord))).toEqual(everyKind);
    expect(expectationToRecord({ kind: 'values_between', column: 'x', max: 3 })).toEqual({ kind: 'values_between', column: 'x', type: null, min: null, max: 3, margin: null, values: [] });
  });

  it('refuses a record the API would have refused', () => {
    expect(() => expectationsFromRecords([{ kind: 'values_between', column: 'x', type: null, min: 3, max: 1, margin: null, values: [] }])).toThrow(ExpectationInputError);
  });
});
