import type { DecodedEvent } from '@mlstream/kit';
import { projectArtifactEvent } from './artifacts.ts';
import { projectDrift } from './drift.ts';
import { projectQuality } from './quality.ts';
import { projectExperimentEvent } from './experiments.ts';
import { projectFact } from './facts.ts';
import { projectFeatureValues } from './features.ts';
import { projectFeatureSkew } from './feature-skew.ts';
import { projectRegistryEvent } from './registry.ts';
import { projectRetrainJob } from './retrain-jobs.ts';
import { projectRunEvent, runStartOf, type RunStart } from './runs.ts';
import type { TableName, TableRow, Row } from './types.ts';
import { projectWebhookDelivery } from './webhooks.ts';
import { projectValidation } from './validation.ts';

export * from './types.ts';
export { runStartOf, type RunStart } from './runs.ts';

/**
 * Rows one event produces, per table. Commands and drift-state snapshots are
 * not materialized (the materializer does not consume their topics).
 */
export function project(event: DecodedEvent, starts: (runId: string) => RunStart | undefined = () => undefined): TableRow[] {
  switch (event.type) {
    case 'RunStarted':
    case 'ParamsLogged':
    case 'MetricsLogged':
    case 'TagsSet':
    case 'InputsLogged':
    case 'ArtifactLogged':
    case 'RunFinished':
    case 'RunDeleted':
    case 'RunRestored':
    case 'TagDeleted':
      return projectRunEvent(event, starts);
    case 'ModelVersionRegistered':
    case 'StageTransitioned':
    case 'AliasSet':
    case 'AliasDeleted':
    case 'RegisteredModelCreated':
    case 'RegisteredModelUpdated':
    case 'RegisteredModelDeleted':
    case 'ModelTagsSet':
    case 'ModelVersionUpdated':
    case 'ModelVersionDeleted':
      return projectRegistryEvent(event);
    case 'ExperimentCreated':
    case 'ExperimentRenamed':
    case 'ExperimentDeleted':
    case 'ExperimentRestored':
    case 'ExperimentTagsSet':
      return projectExperimentEvent(event);
    case 'ArtifactStored':
    case 'LoggedModelRecorded':
      return projectArtifactEvent(event);
    case 'DatasetVersionIngested':
    case 'PredictionLogged':
    case 'LabelObserved':
    case 'CommandAccepted':
    case 'CommandRejected':
    case 'DeadLetter':
      return projectFact(event);
    case 'FeatureValuesLogged':
      return projectFeatureValues(event);
    case 'DriftMeasured':
    case 'DriftDetected':
    case 'RetrainRequested':
      return projectDrift(event);
    case 'RetrainJobRequested':
    case 'RetrainJobStarted':
    case 'RetrainJobRunLinked':
    case 'RetrainJobVersionRegistered':
    case 'RetrainJobEvaluated':
    case 'RetrainJobPromoted':
    case 'RetrainJobRejected':
    case 'RetrainJobFailed':
    case 'RetrainJobTimedOut':
      return projectRetrainJob(event);
    case 'WebhookDeliveryAttempted':
    case 'WebhookDeliveryDeadLettered':
      return projectWebhookDelivery(event);
    case 'FeatureSkewMeasured':
      return projectFeatureSkew(event);
    case 'ExpectationSuiteDeclared':
    case 'DatasetValidated':
      return projectValidation(event);
    case 'DataQualityMeasured':
    case 'DataQualityFailed':
      return projectQuality(event);
    case 'StartRun':
    case 'LogParams':
    case 'LogMetrics':
    case 'SetTags':
    case 'LogInputs':
    case 'LogArtifact':
    case 'FinishRun':
    case 'RegisterModelVersion':
    case 'TransitionStage':
    case 'SetAlias':
    case 'DeleteAlias':
    case 'DriftStateSnapshot':
    case 'LabelsDropped':
    case 'OnlineFeaturesUpdated':
    case 'DeleteRun':
    case 'RestoreRun':
    case 'DeleteTag':
    case 'LogBatch':
    case 'CreateRegisteredModel':
    case 'UpdateRegisteredModel':
    case 'DeleteRegisteredModel':
    case 'SetModelTags':
    case 'UpdateModelVersion':
    case 'DeleteModelVersion':
    case 'CreateExperiment':
    case 'RenameExperiment':
    case 'DeleteExperiment':
    case 'RestoreExperiment':
    case 'SetExperimentTags':
    case 'WebhookSubscribed':
    case 'WebhookUnsubscribed':
    case 'WebhookRedeliveryRequested':
    case 'WebhookRedeliveryStarted':
    case 'DefineEntity':
    case 'DefineFeatureView':
    case 'EntityDefined':
    case 'FeatureViewDefined':
    case 'DeclareExpectationSuite':
      return [];
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** Run ids whose RunFinished needs start facts that are not in `events` themselves. */
export function missingRunStarts(events: readonly DecodedEvent[]): string[] {
  const started = new Set<string>();
  const missing = new Set<string>();
  for (const e of events) {
    if (e.type === 'RunStarted') started.add(e.value.runId);
    else if (e.type === 'RunFinished' && !started.has(e.value.runId)) missing.add(e.value.runId);
  }
  return [...missing];
}

/**
 * Projects a partition batch, in offset order, into rows per table. Rows whose
 * offset is at or below the table's watermark (`alreadyIn`) are dropped: they
 * reached that table before a crash (see docs/materializer.md).
 */
export function projectBatch(events: readonly DecodedEvent[], options: { knownStarts?: ReadonlyMap<string, RunStart>; alreadyIn?: (table: TableName) => number } = {}): Map<TableName, Row[]> {
  const starts = new Map(options.knownStarts ?? []);
  const out = new Map<TableName, Row[]>();
  const watermark = new Map<TableName, number>();
  const floor = (table: TableName) => {
    let w = watermark.get(table);
    if (w === undefined) watermark.set(table, (w = options.alreadyIn?.(table) ?? -1));
    return w;
  };
  for (const event of events) {
    if (event.type === 'RunStarted') starts.set(event.value.runId, runStartOf(event.value));
    const offset = Number(event.offset);
    for (const { table, row } of project(event, (id) => starts.get(id))) {
      if (offset <= floor(table)) continue;
      const list = out.get(table);
      if (list) list.push(row);
      else out.set(table, [row]);
    }
  }
  return out;
}
