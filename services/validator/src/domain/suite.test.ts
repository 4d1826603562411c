import { describe, expect, it } from 'vitest';
import type { Envelope } from '@mlstream/kit';
import { spec } from '@mlstream/kit/testing';
import { expectationToRecord } from '@mlstream/kit/expectations';
import { suiteDecider } from './suite.ts';

const declare = (expectations: unknown[], subject = 'dataset:loans', commandId = 'c9'): Envelope<'DeclareExpectationSuite'> => ({
  type: 'DeclareExpectationSuite',
  value: { eventId: '00000000-0000-4000-8000-000000000000', occurredAt: 9, commandId, actor: 'ci', expectedVersion: null, subject, expectations: expectations as never, reason: 'first cut' },
});
const nulls = expectationToRecord({ kind: 'null_share_at_most', column: 'age', max: 0.1 });
const rows = expectationToRecord({ kind: 'row_count_between', min: 100 });

describe('suiteDecider', () => {
  it('numbers the versions of a subject from 1', () => {
    spec(suiteDecider)
      .given([])
      .when(declare([nulls]))
      .then([{ type: 'ExpectationSuiteDeclared', value: { subject: 'dataset:loans', version: 1, expectations: [nulls], reason: 'first cut' } }]);
    spec(suiteDecider)
      .given([{ type: 'ExpectationSuiteDeclared', value: { subject: 'dataset:loans', version: 1, expectations: [nulls], reason: null } }])
      .when(declare([nulls, rows]))
      .then([{ type: 'ExpectationSuiteDeclared', value: { subject: 'dataset:loans', version: 2, expectations: [nulls, rows], reason: 'first cut' } }]);
  });

  it('changes nothing when the suite in force is declared again', () => {
    spec(suiteDecider)
      .given([{ type: 'ExpectationSuiteDeclared', value: { subject: 'dataset:loans', version: 1, expectations: [nulls], reason: null } }])
      .when(declare([nulls]))
      .then([]);
  });

  it('recognizes the suite in force when its state was restored from decoded Avro records (class instances)', () => {
    class Decoded {
      constructor(fields: object) {
        Object.assign(this, fields);
      }
    }
    const restored = [new Decoded(nulls)] as unknown as (typeof nulls)[];
    spec(suiteDecider)
      .given([{ type: 'ExpectationSuiteDeclared', value: { subject: 'dataset:loans', version: 1, expectations: restored, reason: null } }])
      .when(declare([nulls]))
      .then([]);
  });

  it('stores expectations normalized (missing optional fields become null)', () => {
    const sparse = { kind: 'row_count_between', min: 100 };
    spec(suiteDecider)
      .given([])
      .when(declare([sparse]))
      .then([{ type: 'ExpectationSuiteDeclared', value: { subject: 'dataset:loans', version: 1, expectations: [rows], reason: 'first cut' } }]);
  });

  it('refuses an unknown subject form and an invalid expectation, saying which', () => {
    spec(suiteDecider).given([]).when(declare([nulls], 'loans')).thenRejects('INVALID_COMMAND', { field: 'subject' });
    const d = spec(suiteDecider)
      .given([])
      .when(declare([{ ...nulls, max: 2 }]))
      .thenRejects('INVALID_COMMAND', { field: 'expectations' });
    expect('rejection' in d && d.rejection.message).toMatch(/0\.max: must be a share between 0 and 1/);
  });
});
