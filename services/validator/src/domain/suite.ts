import type { Decider, Decision, ExpectationSpec } from '@mlstream/kit';
import { canonical } from './canonical.ts';
import { ExpectationInputError, expectationsFromRecords, expectationToRecord } from '@mlstream/kit/expectations';

export type SuiteCommand = 'DeclareExpectationSuite';
export type SuiteEvent = 'ExpectationSuiteDeclared';

export interface SuiteState {
  /** Suite version in force (0: none declared). */
  version: number;
  expectations: ExpectationSpec[];
}

export const initialSuiteState: SuiteState = { version: 0, expectations: [] };

/** `dataset:<id>` or `model:<name>`. */
export const subjectPattern = /^(dataset|model):(.+)$/;
export const datasetSubject = (datasetId: string): string => `dataset:${datasetId}`;
export const modelSubject = (model: string): string => `model:${model}`;

/**
 * The ExpectationSuite aggregate, keyed by subject: each declaration that
 * changes the suite is a new version 1..n; declaring the suite in force
 * again changes nothing (a pipeline may declare its suite on every run).
 * Expectations are checked as strictly as the API checks them and stored
 * normalized, so the log holds only suites the library can evaluate.
 */
export const suiteDecider: Decider<SuiteCommand, SuiteEvent, SuiteState, undefined> = {
  aggregate: 'expectation-suite',
  initialState: initialSuiteState,

  decide(command, state): Decision<SuiteEvent> {
    const { subject, expectations, reason = null } = command.value;
    if (!subjectPattern.test(subject)) {
      return { rejection: { code: 'INVALID_COMMAND', message: `subject ${JSON.stringify(subject)} is neither dataset:<id> nor model:<name>`, details: { field: 'subject' } } };
    }
    let normalized: ExpectationSpec[];
    try {
      normalized = expectationsFromRecords(expectations).map(expectationToRecord);
    } catch (error) {
      if (!(error instanceof ExpectationInputError)) throw error;
      return { rejection: { code: 'INVALID_COMMAND', message: error.message, details: { field: 'expectations' } } };
    }
    if (state.version > 0 && canonical(normalized) === canonical(state.expectations)) return { events: [] };
    return { events: [{ type: 'ExpectationSuiteDeclared', value: { subject, version: state.version + 1, expectations: normalized, reason } }] };
  },

  evolve(state, event) {
    return { version: event.value.version, expectations: event.value.expectations };
  },
};
