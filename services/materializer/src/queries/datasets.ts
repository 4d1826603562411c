import { sql, type Sql } from '../sql/index.ts';
import { checkText, dbOf, num, select, type AnalyticsDeps } from './common.ts';
import type { Coordinates } from './registry.ts';

/** A dataset version as ingested (DatasetVersionIngested): what a run's input points at. */
export interface DatasetVersionView {
  datasetId: string;
  version: string;
  uri: string;
  contentSha256: string;
  rowCount: number;
  producer: string;
  featureNames: string[];
  featureTypes: string[];
  validationPassed: boolean;
  checks: Array<{ name: string; passed: boolean }>;
  tags: Record<string, string>;
  /** The profile as sent (JSON), null when it does not parse. */
  profile: unknown;
  ingestedAt: number;
  source: Coordinates;
}

/** Pure: the latest ingestion of one dataset version. */
export const datasetVersionSql = (db: Sql, datasetId: string, version: string) =>
  sql`SELECT dataset_id, version, uri, content_sha256, row_count, producer, feature_names, feature_types, validation_passed, check_names, check_passed, tag_keys, tag_values, profile_json, occurred_ms, _topic, _partition, _offset FROM ${db}.datasets WHERE dataset_id = ${datasetId} AND version = ${version} ORDER BY _offset DESC LIMIT 1`;

type Row = {
  dataset_id: string;
  version: string;
  uri: string;
  content_sha256: string;
  row_count: string;
  producer: string;
  feature_names: string[];
  feature_types: string[];
  validation_passed: number;
  check_names: string[];
  check_passed: number[];
  tag_keys: string[];
  tag_values: string[];
  profile_json: string;
  occurred_ms: string;
  _topic: string;
  _partition: number;
  _offset: string;
};

const parse = (json: string): unknown => {
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
};

/** One dataset version, or undefined when it was never ingested. */
export async function datasetVersion(deps: AnalyticsDeps, input: { datasetId: string; version: string }): Promise<DatasetVersionView | undefined> {
  const datasetId = checkText(input.datasetId, 'datasetId');
  const version = checkText(input.version, 'version');
  const [r] = await select<Row>(deps, datasetVersionSql(dbOf(deps), datasetId, version));
  if (!r) return undefined;
  return {
    datasetId: r.dataset_id,
    version: r.version,
    uri: r.uri,
    contentSha256: r.content_sha256,
    rowCount: num(r.row_count),
    producer: r.producer,
    featureNames: r.feature_names,
    featureTypes: r.feature_types,
    validationPassed: num(r.validation_passed) === 1,
    checks: r.check_names.map((name, i) => ({ name, passed: num(r.check_passed[i]) === 1 })),
    tags: Object.fromEntries(r.tag_keys.map((k, i) => [k, r.tag_values[i] ?? ''])),
    profile: parse(r.profile_json),
    ingestedAt: num(r.occurred_ms),
    source: { topic: r._topic, partition: num(r._partition), offset: num(r._offset) },
  };
}
