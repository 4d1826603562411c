import { describe, expect, it } from 'vitest';
import type { ExpectationSuiteDeclared } from '@mlstream/kit';
import { expectationToRecord } from '@mlstream/kit/expectations';
import { createSuiteHistory } from './suite-history.ts';

const declared = (version: number, occurredAt: number, max: number, subject = 'dataset:loans'): ExpectationSuiteDeclared => ({
  eventId: `e${version}`,
  occurredAt,
  commandId: `c${version}`,
  actor: 'ci',
  aggregateVersion: version,
  subject,
  version,
  expectations: [expectationToRecord({ kind: 'null_share_at_most', column: 'age', max })],
  reason: null,
});

describe('the suite in force at a time', () => {
  const history = createSuiteHistory();
  for (const e of [declared(2, 2000, 0.2), declared(1, 1000, 0.1), declared(1, 1000, 0.1), declared(1, 500, 0.5, 'model:churn')]) history.add(e);

  it('is none before the first version, then each version from its time on', () => {
    expect(history.at('dataset:loans', 999)).toBeUndefined();
    expect(history.at('dataset:loans', 1000)?.version).toBe(1);
    expect(history.at('dataset:loans', 1999)?.expectations).toEqual([{ kind: 'null_share_at_most', column: 'age', max: 0.1 }]);
    expect(history.at('dataset:loans', 2000)?.version).toBe(2);
    expect(history.at('model:churn', 10_000)?.version).toBe(1);
    expect(history.at('dataset:other', 10_000)).toBeUndefined();
  });

  it('keeps each version once, whatever order or repeats the log gives', () => {
    expect(history.versions('dataset:loans').map((v) => v.version)).toEqual([1, 2]);
    expect(history.latest('dataset:loans')?.since).toBe(2000);
  });

  it('lets a later version win over an earlier one whose time is later (clock skew)', () => {
    const skewed = createSuiteHistory();
    skewed.add(declared(1, 5000, 0.1));
    skewed.add(declared(2, 4000, 0.2));
    expect(skewed.at('dataset:loans', 4500)?.version).toBe(2);
    expect(skewed.at('dataset:loans', 6000)?.version).toBe(2);
  });
});
