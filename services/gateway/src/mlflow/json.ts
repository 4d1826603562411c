import type { Stage } from '@mlstream/kit';
import type { ExperimentView, LoggedModelView, MetricPoint, ModelVersionView, RegisteredModelView, RunView } from '../views/types.ts';
import { MlflowError } from './errors.ts';

/**
 * MLflow's JSON shapes (protobuf JSON as its server prints them): int64
 * times as JSON numbers, model version numbers as strings, maps as lists of
 * {key, value}, and empty lists left out as proto3 JSON leaves them out.
 */

export interface KeyValue {
  key: string;
  value: string;
}

/** `{a: '1'}` → `[{key: 'a', value: '1'}]`, in insertion order. */
export const keyValues = (map: Readonly<Record<string, string>>): KeyValue[] => Object.entries(map).map(([key, value]) => ({ key, value }));

const sortedKeyValues = (map: Readonly<Record<string, string>>): KeyValue[] => keyValues(map).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

/** Adds `name: list` only when the list is not empty. */
const list = <T>(name: string, items: T[]): Record<string, T[]> => (items.length ? { [name]: items } : {});

// ---- stages -----------------------------------------------------------------

const toMlflowStage: Record<Stage, string> = { DEVELOPMENT: 'None', STAGING: 'Staging', PRODUCTION: 'Production', ARCHIVED: 'Archived' };

export const mlflowStage = (stage: Stage): string => toMlflowStage[stage];

/** MLflow's stage names, case-insensitive as its server reads them. */
export function stageOf(name: string): Stage {
  const found = (Object.entries(toMlflowStage) as Array<[Stage, string]>).find(([, mlflow]) => mlflow.toLowerCase() === name.trim().toLowerCase());
  if (!found) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid Model Version stage: ${name}. Value must be one of None, Staging, Production, Archived.`);
  return found[0];
}

// ---- experiments --------------------------------------------------------------

export const experimentJson = (e: ExperimentView) => ({
  experiment_id: e.experimentId,
  name: e.name,
  artifact_location: e.artifactLocation,
  lifecycle_stage: e.lifecycleStage,
  last_update_time: e.lastUpdateTime,
  creation_time: e.creationTime,
  ...list('tags', keyValues(e.tags)),
});

// ---- runs ---------------------------------------------------------------------

export const metricJson = (m: MetricPoint) => ({ key: m.key, value: m.value, timestamp: m.timestamp, step: m.step });

/** What MLflow's RunInfo holds (runs/create answers it before the view has the run). */
export type RunInfoFields = Pick<RunView, 'runId' | 'experimentId' | 'runName' | 'userId' | 'status' | 'startTime' | 'endTime' | 'artifactUri' | 'lifecycleStage'>;

export const runInfoJson = (r: RunInfoFields) => ({
  run_uuid: r.runId,
  experiment_id: r.experimentId,
  run_name: r.runName,
  user_id: r.userId,
  status: r.status,
  start_time: r.startTime,
  ...(r.endTime === null ? {} : { end_time: r.endTime }),
  artifact_uri: r.artifactUri,
  lifecycle_stage: r.lifecycleStage,
  run_id: r.runId,
});

/** MLflow's dataset context tag: a run input's `context` travels as this tag. */
export const DATASET_CONTEXT_TAG = 'mlflow.data.context';

export const runJson = (r: RunView) => ({
  info: runInfoJson(r),
  data: {
    ...list('metrics', Object.values(r.latestMetrics).map(metricJson)),
    ...list('params', keyValues(r.params)),
    ...list('tags', keyValues(r.tags)),
  },
  inputs: list(
    'dataset_inputs',
    r.inputs.map((i) => ({
      ...list('tags', i.context ? [{ key: DATASET_CONTEXT_TAG, value: i.context }] : []),
      // mlstream keeps a dataset's id and version; MLflow's source fields are answered from them.
      dataset: { name: i.datasetId, digest: i.version, source_type: 'mlstream', source: JSON.stringify({ dataset_id: i.datasetId, version: i.version }) },
    })),
  ),
  outputs: list(
    'model_outputs',
    r.loggedModelIds.map((id) => ({ model_id: id, step: 0 })),
  ),
});

// ---- registry -----------------------------------------------------------------

export const modelVersionJson = (v: ModelVersionView) => ({
  name: v.model,
  version: String(v.version),
  creation_timestamp: v.creationTime,
  last_updated_timestamp: v.lastUpdatedTime,
  user_id: v.userId,
  current_stage: mlflowStage(v.stage),
  description: v.description,
  source: v.source,
  ...(v.runId ? { run_id: v.runId } : {}),
  status: 'READY',
  run_link: '',
  ...list('tags', keyValues(v.tags)),
  ...list('aliases', [...v.aliases]),
});

/** The newest version in each stage (all stages, or the ones asked for), by version number. */
export function latestVersions(m: RegisteredModelView, stages?: readonly Stage[]): ModelVersionView[] {
  const newest = new Map<Stage, ModelVersionView>();
  for (const v of m.versions) {
    if (stages?.length && !stages.includes(v.stage)) continue;
    const seen = newest.get(v.stage);
    if (!seen || v.version > seen.version) newest.set(v.stage, v);
  }
  return [...newest.values()].sort((a, b) => a.version - b.version);
}

export const registeredModelJson = (m: RegisteredModelView) => ({
  name: m.name,
  creation_timestamp: m.creationTime,
  last_updated_timestamp: m.lastUpdatedTime,
  ...(m.description ? { description: m.description } : {}),
  ...list('latest_versions', latestVersions(m).map(modelVersionJson)),
  ...list('tags', keyValues(m.tags)),
  ...list(
    'aliases',
    Object.entries(m.aliases)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([alias, version]) => ({ alias, version: String(version) })),
  ),
});

// ---- logged models (MLflow 3) -----------------------------------------------------

export const loggedModelJson = (m: LoggedModelView) => ({
  info: {
    model_id: m.modelId,
    experiment_id: m.experimentId,
    name: m.name,
    creation_timestamp_ms: m.creationTime,
    last_updated_timestamp_ms: m.lastUpdatedTime,
    artifact_uri: m.artifactLocation,
    status: m.status,
    model_type: m.modelType ?? '',
    ...(m.runId ? { source_run_id: m.runId } : {}),
    ...list('tags', sortedKeyValues(m.tags)),
  },
  data: { ...list('params', sortedKeyValues(m.params)) },
});
