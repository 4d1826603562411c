import { type Expectation, type ExpectationResult, evaluateSuite, parseSuite, summarizeRows, suiteVerdict, toProfileRow, type DataSummary, type SuiteVerdict } from '@mlstream/kit/expectations';
import type { ProfileRow } from '@mlstream/kit/profile';
import type { Http } from '../http/index.ts';

export type { Expectation, ExpectationResult, SuiteVerdict, DataSummary } from '@mlstream/kit/expectations';
export { summarizeRows, summaryFromProfile, evaluateSuite, suiteVerdict, toProfileRow, parseSuite } from '@mlstream/kit/expectations';

/** A flat record ({ age: 3, city: 'Oslo' }) or the profiler's row shape ({ numericFeatures, categoricalFeatures }). */
export type ValidationRow = ProfileRow | Readonly<Record<string, number | string | boolean | null | undefined>>;

const isProfileRow = (row: ValidationRow): row is ProfileRow => {
  const keys = Object.keys(row);
  return keys.length > 0 && keys.every((k) => k === 'numericFeatures' || k === 'categoricalFeatures') && keys.every((k) => typeof (row as Record<string, unknown>)[k] === 'object');
};

export interface RowValidation {
  verdict: SuiteVerdict;
  /** True only when every expectation was evaluated and passed. */
  passed: boolean;
  results: ExpectationResult[];
  /** The failed (evaluable) expectations, for a pipeline's error message. */
  failures: ExpectationResult[];
}

/**
 * Client-side checks on raw rows with the platform's own library, so a
 * pipeline can fail before publishing: the platform evaluates the same
 * expectations on the published profile. `reference` (e.g. rows or the
 * summary of the previous version) answers range, unseen-category and
 * new-column expectations. NaN and ±Infinity are refused (send null).
 */
export function validateRows(rows: readonly ValidationRow[], suite: readonly Expectation[], options: { reference?: DataSummary | readonly ValidationRow[] } = {}): RowValidation {
  const expectations = parseSuite(suite);
  const summarize = (list: readonly ValidationRow[]) => summarizeRows(list.map((r) => (isProfileRow(r) ? r : toProfileRow(r))));
  const ref = options.reference;
  const reference = ref === undefined ? undefined : Array.isArray(ref) ? summarize(ref as readonly ValidationRow[]) : (ref as DataSummary);
  const results = evaluateSuite(expectations, summarize(rows), reference);
  const verdict = suiteVerdict(results);
  return { verdict, passed: verdict === 'passed', results, failures: results.filter((r) => r.evaluable && !r.passed) };
}

export interface SuiteVersionView {
  subject: string;
  version: number;
  expectations: Expectation[];
  declaredAt: number;
  actor: string;
  reason: string | null;
}

export interface DeclaredSuite {
  subject: string;
  /** The suite version in force after the call. */
  version: number;
  /** False when the same suite was already in force (no new version). */
  changed: boolean;
  commandId: string;
}

export interface DatasetValidationView {
  datasetId: string;
  version: string;
  verdict: 'passed' | 'failed' | 'incomplete' | 'no_suite';
  passed: boolean;
  suiteVersion: number | null;
  referenceVersion: string | null;
  producerPassed: boolean;
  producerDisagrees: boolean;
  results: Array<{ name: string; kind: string; column: string | null; passed: boolean; evaluable: boolean; observed: number | string | null; detail: string }>;
  validatedAt: number;
}

export interface Expectations {
  /** Declares a dataset's suite (scope write:data); a new version only when it changes. */
  declareForDataset(datasetId: string, suite: readonly Expectation[], options?: { reason?: string; expectedVersion?: number; idempotencyKey?: string }): Promise<DeclaredSuite>;
  /** Declares a model's suite (scope write:registry), evaluated on every prediction window. */
  declareForModel(model: string, suite: readonly Expectation[], options?: { reason?: string; expectedVersion?: number; idempotencyKey?: string }): Promise<DeclaredSuite>;
  /** Every version of a dataset's suite, newest first; with `at` (epoch ms) the one in force then. */
  forDataset(datasetId: string, options?: { at?: number }): Promise<{ subject: string; current: SuiteVersionView; versions: SuiteVersionView[] }>;
  forModel(model: string, options?: { at?: number }): Promise<{ subject: string; current: SuiteVersionView; versions: SuiteVersionView[] }>;
  /** The platform's validation of a dataset version (404 until it is validated and materialized). */
  validation(datasetId: string, version: string): Promise<DatasetValidationView>;
}

export const expectationsApi = (http: Http): Expectations => {
  const dataset = (id: string) => `/v1/datasets/${encodeURIComponent(id)}`;
  const model = (name: string) => `/v1/models/${encodeURIComponent(name)}`;
  const declare = (path: string, suite: readonly Expectation[], { idempotencyKey, ...rest }: { reason?: string; expectedVersion?: number; idempotencyKey?: string } = {}) =>
    http.request<DeclaredSuite>('PUT', `${path}/expectations`, { body: { expectations: parseSuite(suite), ...rest }, idempotencyKey });
  const at = (o?: { at?: number }) => ({ query: { at: o?.at === undefined ? undefined : String(o.at) } });
  return {
    declareForDataset: (id, suite, o) => declare(dataset(id), suite, o),
    declareForModel: (name, suite, o) => declare(model(name), suite, o),
    forDataset: (id, o) => http.request('GET', `${dataset(id)}/expectations`, at(o)),
    forModel: (name, o) => http.request('GET', `${model(name)}/expectations`, at(o)),
    validation: (id, version) => http.request('GET', `${dataset(id)}/versions/${encodeURIComponent(version)}/validation`),
  };
};
