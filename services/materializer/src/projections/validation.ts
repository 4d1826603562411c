import type { DecodedEvent } from '@mlstream/kit';
import { describeExpectation, expectationsFromRecords } from '@mlstream/kit/expectations';
import { baseColumns, type TableRow } from './types.ts';

type ValidationEvent = Extract<DecodedEvent, { type: 'ExpectationSuiteDeclared' | 'DatasetValidated' }>;

/** Suites and dataset validations (infra/clickhouse/004_data_validation.sql). */
export function projectValidation(event: ValidationEvent): TableRow[] {
  const base = baseColumns(event);
  switch (event.type) {
    case 'ExpectationSuiteDeclared': {
      const v = event.value;
      const expectations = expectationsFromRecords(v.expectations);
      return [
        {
          table: 'expectation_suites',
          row: {
            ...base,
            subject: v.subject,
            suite_version: v.version,
            expectation_names: expectations.map(describeExpectation),
            expectations_json: JSON.stringify(expectations),
            reason: v.reason ?? '',
            actor: v.actor,
            command_id: v.commandId,
          },
        },
      ];
    }
    case 'DatasetValidated': {
      const v = event.value;
      const r = v.results;
      return [
        {
          table: 'dataset_validations',
          row: {
            ...base,
            dataset_id: v.datasetId,
            version: v.version,
            ingestion_event_id: v.ingestionEventId,
            ingestion_partition: v.ingestionPartition,
            ingestion_offset: v.ingestionOffset,
            suite_version: v.suiteVersion ?? null,
            reference_version: v.referenceVersion ?? null,
            verdict: v.verdict,
            passed: v.passed ? 1 : 0,
            producer_passed: v.producerPassed ? 1 : 0,
            producer_disagrees: v.producerDisagrees ? 1 : 0,
            result_names: r.map((x) => x.name),
            result_kinds: r.map((x) => x.kind),
            result_columns: r.map((x) => x.column ?? ''),
            result_passed: r.map((x) => (x.passed ? 1 : 0)),
            result_evaluable: r.map((x) => (x.evaluable ? 1 : 0)),
            result_observed_values: r.map((x) => x.observedValue ?? null),
            result_observed_texts: r.map((x) => x.observedText ?? ''),
            result_details: r.map((x) => x.detail),
          },
        },
      ];
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
