import { describe, expect, it } from 'vitest';
import { profileDataset, type DatasetVersionIngested } from '@mlstream/kit';
import type { Expectation } from '@mlstream/kit/expectations';
import { createDatasetHistory } from './dataset-history.ts';
import { validateDataset } from './validate.ts';

const ingested = (version: string, ages: Array<number | null>, producerPassed = true, offset = 0): DatasetVersionIngested => {
  const { features, profile } = profileDataset(ages.map((age) => ({ numericFeatures: { age } })));
  return {
    eventId: `00000000-0000-4000-8000-00000000000${offset}`,
    occurredAt: 1000 + offset,
    datasetId: 'loans',
    version,
    uri: 'file:///x',
    contentSha256: 'ab',
    rowCount: ages.length,
    features,
    profile,
    validation: { passed: producerPassed, checks: [] },
    producer: 'test',
    tags: {},
  };
};
const suite = (expectations: Expectation[]) => ({ subject: 'dataset:loans', version: 3, since: 0, expectations, eventId: 'e' });

describe('validateDataset', () => {
  it('fails a version that violates its suite, per expectation, and records the producer disagreeing', () => {
    const v = validateDataset({
      ingestion: ingested('v2', [30, null, null, 200]),
      partition: 1,
      offset: 7,
      suite: suite([
        { kind: 'null_share_at_most', column: 'age', max: 0.1 },
        { kind: 'values_between', column: 'age', min: 0, max: 120 },
        { kind: 'row_count_between', min: 1 },
      ]),
    });
    expect(v).toMatchObject({ datasetId: 'loans', version: 'v2', ingestionPartition: 1, ingestionOffset: 7, suiteVersion: 3, verdict: 'failed', passed: false, producerPassed: true, producerDisagrees: true });
    expect(v.results.map((r) => [r.name, r.passed, r.observedValue])).toEqual([
      ['null_share_at_most(age, 0.1)', false, 0.5],
      // The profile's bins place one of the two values beyond 120: exact from a profile too.
      ['values_between(age, 0..120)', false, 0.5],
      ['row_count_between(1..+inf)', true, 4],
    ]);
  });

  it('passes without disagreement when both agree, and is deterministic', () => {
    const input = { ingestion: ingested('v1', [30, 40]), partition: 0, offset: 0, suite: suite([{ kind: 'null_share_at_most', column: 'age', max: 0 }]) };
    expect(validateDataset(input)).toMatchObject({ verdict: 'passed', passed: true, producerDisagrees: false });
    expect(validateDataset(input)).toEqual(validateDataset(input));
  });

  it('records a producer that asserted failure on data the platform passes as disagreeing', () => {
    const v = validateDataset({ ingestion: ingested('v1', [30], false), partition: 0, offset: 0, suite: suite([{ kind: 'column_present', column: 'age' }]) });
    expect(v).toMatchObject({ verdict: 'passed', producerDisagrees: true });
  });

  it('says no_suite when the dataset has none, and uses the previous version as the reference', () => {
    expect(validateDataset({ ingestion: ingested('v1', [1]), partition: 0, offset: 0 })).toMatchObject({ verdict: 'no_suite', passed: true, suiteVersion: null, results: [] });
    const v = validateDataset({ ingestion: ingested('v2', [50]), partition: 0, offset: 1, previous: ingested('v1', [1, 10]), suite: suite([{ kind: 'within_training_range', column: 'age', margin: 0.5 }]) });
    expect(v).toMatchObject({ verdict: 'failed', referenceVersion: 'v1' });
    const first = validateDataset({ ingestion: ingested('v1', [50]), partition: 0, offset: 0, suite: suite([{ kind: 'within_training_range', column: 'age', margin: 0.5 }]) });
    expect(first).toMatchObject({ verdict: 'incomplete', passed: false, producerDisagrees: false });
  });

  it('fails a profile holding NaN with the reason', () => {
    const broken = ingested('v1', [1, 2]);
    broken.profile[0]!.numeric!.mean = Number.NaN;
    const v = validateDataset({ ingestion: broken, partition: 0, offset: 0, suite: suite([{ kind: 'column_present', column: 'age' }]) });
    expect(v).toMatchObject({ verdict: 'failed', results: [{ name: 'profile_readable', detail: 'profile of age: numeric.mean is NaN; a profile holds finite numbers only' }] });
  });
});

describe('the previous version of a dataset', () => {
  it('is the last other version before the offset', () => {
    const h = createDatasetHistory();
    h.add(ingested('v1', [1]), 0);
    h.add(ingested('v2', [1]), 4);
    h.add(ingested('v2', [1]), 6);
    expect(h.previous('loans', 0)).toBeUndefined();
    expect(h.previous('loans', 4)?.version).toBe('v1');
    expect(h.previous('loans', 6)?.version).toBe('v1');
    expect(h.previous('loans', 9)?.version).toBe('v2');
  });
});
