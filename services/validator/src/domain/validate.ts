import { deterministicUuid, type DatasetValidated, type DatasetVersionIngested, type ExpectationOutcome } from '@mlstream/kit';
import { type DataSummary, evaluateSuite, ExpectationInputError, expectationOutcome, summaryFromProfile, suiteVerdict } from '@mlstream/kit/expectations';
import type { SuiteVersion } from './suite-history.ts';

export interface ValidationInput {
  ingestion: DatasetVersionIngested;
  /** Where the ingestion event sits in its topic. */
  partition: number;
  offset: number;
  /** The dataset's suite in force at the ingestion's occurredAt, if any. */
  suite?: SuiteVersion;
  /** The dataset's previous version (the reference of range, unseen-category and new-column expectations). */
  previous?: DatasetVersionIngested;
}

const summaryOf = (ingestion: DatasetVersionIngested): DataSummary => summaryFromProfile(ingestion, Number(ingestion.rowCount));

/**
 * The platform's verdict on one dataset version: its suite evaluated against
 * the submitted profile, never the producer's word. Pure and deterministic
 * (the event id derives from the ingestion's), so `mlstream audit` and a
 * re-run after a crash produce the same record. A profile the library
 * refuses (NaN, negative counts) fails validation with that reason.
 */
export function validateDataset(input: ValidationInput): DatasetValidated {
  const { ingestion, suite, previous } = input;
  const producerPassed = ingestion.validation.passed;
  let results: ExpectationOutcome[] = [];
  let verdict: DatasetValidated['verdict'];
  if (!suite) verdict = 'no_suite';
  else {
    try {
      let reference: DataSummary | undefined;
      try {
        reference = previous ? summaryOf(previous) : undefined;
      } catch (error) {
        if (!(error instanceof ExpectationInputError)) throw error;
      }
      const evaluated = evaluateSuite(suite.expectations, summaryOf(ingestion), reference);
      results = evaluated.map(expectationOutcome);
      verdict = suiteVerdict(evaluated);
    } catch (error) {
      if (!(error instanceof ExpectationInputError)) throw error;
      results = [{ name: 'profile_readable', kind: 'profile_readable', column: null, passed: false, evaluable: true, observedValue: null, observedText: null, detail: error.message }];
      verdict = 'failed';
    }
  }
  const passed = verdict === 'passed' || verdict === 'no_suite';
  const producerDisagrees = (producerPassed && verdict === 'failed') || (!producerPassed && verdict === 'passed');
  return {
    eventId: deterministicUuid(`validation:${ingestion.eventId}`),
    occurredAt: ingestion.occurredAt,
    datasetId: ingestion.datasetId,
    version: ingestion.version,
    ingestionEventId: ingestion.eventId,
    ingestionPartition: input.partition,
    ingestionOffset: input.offset,
    suiteVersion: suite?.version ?? null,
    referenceVersion: previous?.version ?? null,
    verdict,
    passed,
    results,
    producerPassed,
    producerDisagrees,
  };
}
