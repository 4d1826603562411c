import type { DecodedEvent, StreamId } from '@mlstream/kit';

/** Every table the materializer writes; also the identifier allow-list for them. */
export const tableNames = [
  'datasets',
  'runs',
  'run_params',
  'run_metrics',
  'run_tags',
  'run_inputs',
  'run_artifacts',
  'model_versions',
  'stage_history',
  'aliases',
  'predictions',
  'labels',
  'drift_measurements',
  'drift_detections',
  'retrain_requests',
  'dead_letters',
  'command_results',
  'experiment_events',
  'experiment_tags',
  'run_lifecycle',
  'run_tag_deletions',
  'registered_models',
  'model_version_changes',
  'model_tags',
  'artifacts',
  'logged_models',
  'retrain_jobs',
  'webhook_deliveries',
  'feature_values',
  'feature_skew',
  'expectation_suites',
  'dataset_validations',
  'quality_measurements',
  'quality_failures',
] as const;
export type TableName = (typeof tableNames)[number];

/** Which tables each consumed stream feeds. A table belongs to exactly one stream. */
export const tablesOfStream = {
  ingestion: ['datasets'],
  experiments: ['experiment_events', 'experiment_tags'],
  runs: ['runs', 'run_params', 'run_metrics', 'run_tags', 'run_inputs', 'run_artifacts', 'run_lifecycle', 'run_tag_deletions'],
  registry: ['model_versions', 'stage_history', 'aliases', 'registered_models', 'model_version_changes', 'model_tags'],
  artifacts: ['artifacts', 'logged_models'],
  'command-results': ['command_results'],
  predictions: ['predictions'],
  feedback: ['labels'],
  drift: ['drift_measurements', 'drift_detections'],
  retrain: ['retrain_requests'],
  deadletter: ['dead_letters'],
  'retrain-jobs': ['retrain_jobs'],
  'webhook-deliveries': ['webhook_deliveries'],
  features: ['feature_values'],
  'feature-skew': ['feature_skew'],
  expectations: ['expectation_suites'],
  validation: ['dataset_validations'],
  quality: ['quality_measurements', 'quality_failures'],
} as const satisfies Partial<Record<StreamId, readonly TableName[]>>;
export type MaterializedStream = keyof typeof tablesOfStream;
export const materializedStreams = Object.keys(tablesOfStream) as MaterializedStream[];

/** A row as JSONEachRow sends it. Column names are the table's. */
export type Row = Record<string, unknown>;
export interface TableRow {
  table: TableName;
  row: Row;
}

/** Columns every row carries: where the event sits in Kafka, its id and event time. */
export function baseColumns(event: DecodedEvent): Row {
  const ms = event.value.occurredAt;
  return {
    _topic: event.topic,
    _partition: event.partition,
    _offset: Number(event.offset),
    event_id: event.value.eventId,
    occurred_at: Math.floor(ms / 1000),
    occurred_ms: ms,
  };
}

export const keys = (record: Record<string, unknown> | null | undefined): string[] => Object.keys(record ?? {}).sort();
export const valuesOf = <T>(record: Record<string, T> | null | undefined): T[] => keys(record).map((k) => (record as Record<string, T>)[k]!);
/** Keys in order and their values, sorting once (the hot path's keys() + valuesOf() sorted twice). */
export function sortedEntries<T>(record: Record<string, T> | null | undefined): { keys: string[]; values: T[] } {
  if (!record) return { keys: [], values: [] };
  const keys = Object.keys(record);
  let sorted = true;
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! < keys[i]!;
  if (!sorted) keys.sort();
  const values = new Array<T>(keys.length);
  for (let i = 0; i < keys.length; i++) values[i] = record[keys[i]!]!;
  return { keys, values };
}
export const seconds = (ms: number): number => Math.floor(ms / 1000);
