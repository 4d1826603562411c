import { describe, expect, it } from 'vitest';
import { type Expectation, validateRows } from './expectations.ts';

describe('validateRows (client-side, the platform library)', () => {
  const suite: Expectation[] = [
    { kind: 'null_share_at_most', column: 'age', max: 0.25 },
    { kind: 'values_in_set', column: 'city', values: ['Oslo', 'Bergen'] },
    { kind: 'row_count_between', min: 2 },
  ];

  it('takes flat records and fails a pipeline before it publishes, listing the failures', () => {
    const v = validateRows(
      [
        { age: 30, city: 'Oslo' },
        { age: null, city: 'Paris' },
      ],
      suite,
    );
    expect(v).toMatchObject({ verdict: 'failed', passed: false });
    expect(v.failures.map((f) => f.name)).toEqual(['null_share_at_most(age, 0.25)', 'values_in_set(city, 2 values)']);
  });

  it('takes profiler rows too, and a reference for range checks', () => {
    const rows = [{ numericFeatures: { age: 30 } }, { numericFeatures: { age: 40 } }];
    expect(validateRows(rows, [{ kind: 'within_training_range', column: 'age', margin: 0 }], { reference: [{ age: 20 }, { age: 50 }] })).toMatchObject({ verdict: 'passed', passed: true });
    expect(validateRows(rows, [{ kind: 'within_training_range', column: 'age', margin: 0 }])).toMatchObject({ verdict: 'incomplete', passed: false, failures: [] });
  });

  it('refuses NaN with the row and column, and an invalid suite', () => {
    expect(() => validateRows([{ age: Number.NaN }], [])).toThrow('row 0, column age: NaN is not a value; send null for a missing value');
    expect(() => validateRows([], [{ kind: 'null_share_at_most', column: 'age', max: 3 }])).toThrow(/share between 0 and 1/);
  });
});
