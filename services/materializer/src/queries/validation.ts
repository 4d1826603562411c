import type { Expectation } from '@mlstream/kit/expectations';
import { sql, type Sql } from '../sql/index.ts';
import { checkText, dbOf, num, select, type AnalyticsDeps } from './common.ts';
import type { Coordinates } from './registry.ts';

/** One version of a subject's expectation suite (ExpectationSuiteDeclared). */
export interface ExpectationSuiteView {
  subject: string;
  version: number;
  expectations: Expectation[];
  declaredAt: number;
  actor: string;
  reason: string | null;
  source: Coordinates;
}

/** The platform's verdict on a dataset version (DatasetValidated). */
export interface DatasetValidationView {
  datasetId: string;
  version: string;
  verdict: string;
  passed: boolean;
  suiteVersion: number | null;
  referenceVersion: string | null;
  producerPassed: boolean;
  producerDisagrees: boolean;
  results: Array<{ name: string; kind: string; column: string | null; passed: boolean; evaluable: boolean; observed: number | string | null; detail: string }>;
  validatedAt: number;
  /** The DatasetVersionIngested validated: its event id and place in the ingestion topic. */
  ingestion: { eventId: string; partition: number; offset: number };
  source: Coordinates;
}

/** Pure: the suite versions of a subject in force at `at` (the latest one) or all of them (`at` undefined: newest first). */
export const suiteSql = (db: Sql, subject: string, at: number | undefined) =>
  at === undefined
    ? sql`SELECT subject, suite_version, expectations_json, occurred_ms, actor, reason, _topic, _partition, _offset FROM ${db}.expectation_suites WHERE subject = ${subject} ORDER BY suite_version DESC LIMIT 1 BY suite_version LIMIT 1000`
    : sql`SELECT subject, suite_version, expectations_json, occurred_ms, actor, reason, _topic, _partition, _offset FROM ${db}.expectation_suites WHERE subject = ${subject} AND occurred_ms <= ${at} ORDER BY suite_version DESC LIMIT 1`;

export const validationSql = (db: Sql, datasetId: string, version: string) =>
  sql`SELECT * FROM ${db}.dataset_validations WHERE dataset_id = ${datasetId} AND version = ${version} ORDER BY _offset DESC LIMIT 1`;

type SuiteRow = { subject: string; suite_version: number; expectations_json: string; occurred_ms: string; actor: string; reason: string; _topic: string; _partition: number; _offset: string };

/** Every version of a subject's suite, newest first; with `at` (epoch ms), only the one in force then. */
export async function expectationSuites(deps: AnalyticsDeps, input: { subject: string; at?: number }): Promise<ExpectationSuiteView[]> {
  const subject = checkText(input.subject, 'subject');
  const rows = await select<SuiteRow>(deps, suiteSql(dbOf(deps), subject, input.at));
  return rows.map((r) => ({
    subject: r.subject,
    version: num(r.suite_version),
    expectations: JSON.parse(r.expectations_json) as Expectation[],
    declaredAt: num(r.occurred_ms),
    actor: r.actor,
    reason: r.reason || null,
    source: { topic: r._topic, partition: num(r._partition), offset: num(r._offset) },
  }));
}

type ValidationRow = {
  dataset_id: string;
  version: string;
  verdict: string;
  passed: number;
  suite_version: number | null;
  reference_version: string | null;
  producer_passed: number;
  producer_disagrees: number;
  result_names: string[];
  result_kinds: string[];
  result_columns: string[];
  result_passed: number[];
  result_evaluable: number[];
  result_observed_values: Array<number | null>;
  result_observed_texts: string[];
  result_details: string[];
  occurred_ms: string;
  ingestion_event_id: string;
  ingestion_partition: number;
  ingestion_offset: string;
  _topic: string;
  _partition: number;
  _offset: string;
};

/** The latest validation of a dataset version, or undefined when none was materialized. */
export async function datasetValidation(deps: AnalyticsDeps, input: { datasetId: string; version: string }): Promise<DatasetValidationView | undefined> {
  const datasetId = checkText(input.datasetId, 'datasetId');
  const version = checkText(input.version, 'version');
  const [r] = await select<ValidationRow>(deps, validationSql(dbOf(deps), datasetId, version));
  if (!r) return undefined;
  return {
    datasetId: r.dataset_id,
    version: r.version,
    verdict: r.verdict,
    passed: num(r.passed) === 1,
    suiteVersion: r.suite_version === null ? null : num(r.suite_version),
    referenceVersion: r.reference_version,
    producerPassed: num(r.producer_passed) === 1,
    producerDisagrees: num(r.producer_disagrees) === 1,
    results: r.result_names.map((name, i) => {
      const value = r.result_observed_values[i];
      const text = r.result_observed_texts[i] ?? '';
      return {
        name,
        kind: r.result_kinds[i] ?? '',
        column: r.result_columns[i] || null,
        passed: num(r.result_passed[i]) === 1,
        evaluable: num(r.result_evaluable[i]) === 1,
        observed: value !== null && value !== undefined ? num(value) : text || null,
        detail: r.result_details[i] ?? '',
      };
    }),
    validatedAt: num(r.occurred_ms),
    ingestion: { eventId: r.ingestion_event_id, partition: num(r.ingestion_partition), offset: num(r.ingestion_offset) },
    source: { topic: r._topic, partition: num(r._partition), offset: num(r._offset) },
  };
}
