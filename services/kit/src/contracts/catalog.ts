import type { RecordName, RecordTypes } from './generated/types.ts';

/** Every stream mlstream writes, declared once (DESIGN.md §4). */
export interface TopicSpec {
  /** Logical stream id, e.g. `runs.commands`. */
  stream: string;
  /** Topic name without the deployment prefix: `mlops.<stream>.v<major>`. */
  name: string;
  /** What the record key is, in words (docs and `topics apply` output). */
  keyDescription: string;
  partitions: number;
  /** Topic configs applied at creation and compared on every apply. */
  configs: Record<string, string>;
  /** Record types this topic carries (short Avro names). */
  records: RecordName[];
}

const FOREVER = { 'cleanup.policy': 'delete', 'retention.ms': '-1' };

/**
 * The topic catalog. Command and event topics of one aggregate share the key
 * and the partition count, so one processor instance owns both sides of a key.
 * Event topics keep data forever: the log is the audit trail.
 */
export const topicCatalog = [
  { stream: 'ingestion', name: 'mlops.ingestion.v1', keyDescription: 'dataset id', partitions: 3, configs: FOREVER, records: ['DatasetVersionIngested'] },
  {
    stream: 'runs.commands',
    name: 'mlops.runs.commands.v1',
    keyDescription: 'run id',
    partitions: 6,
    configs: FOREVER,
    records: ['StartRun', 'LogParams', 'LogMetrics', 'SetTags', 'LogInputs', 'LogArtifact', 'FinishRun', 'DeleteRun', 'RestoreRun', 'DeleteTag', 'LogBatch'],
  },
  {
    stream: 'runs',
    name: 'mlops.runs.v1',
    keyDescription: 'run id',
    partitions: 6,
    configs: FOREVER,
    records: ['RunStarted', 'ParamsLogged', 'MetricsLogged', 'TagsSet', 'InputsLogged', 'ArtifactLogged', 'RunFinished', 'RunDeleted', 'RunRestored', 'TagDeleted'],
  },
  {
    stream: 'experiments.commands',
    name: 'mlops.experiments.commands.v1',
    keyDescription: 'experiment id',
    partitions: 3,
    configs: FOREVER,
    records: ['CreateExperiment', 'RenameExperiment', 'DeleteExperiment', 'RestoreExperiment', 'SetExperimentTags'],
  },
  {
    stream: 'experiments',
    name: 'mlops.experiments.v1',
    keyDescription: 'experiment id',
    partitions: 3,
    configs: FOREVER,
    records: ['ExperimentCreated', 'ExperimentRenamed', 'ExperimentDeleted', 'ExperimentRestored', 'ExperimentTagsSet'],
  },
  {
    stream: 'artifacts',
    name: 'mlops.artifacts.v1',
    keyDescription: 'owning run id, else logged model id',
    partitions: 3,
    configs: FOREVER,
    records: ['ArtifactStored', 'LoggedModelRecorded'],
  },
  {
    stream: 'registry.commands',
    name: 'mlops.registry.commands.v1',
    keyDescription: 'model name',
    partitions: 3,
    configs: FOREVER,
    records: ['RegisterModelVersion', 'TransitionStage', 'SetAlias', 'DeleteAlias', 'CreateRegisteredModel', 'UpdateRegisteredModel', 'DeleteRegisteredModel', 'SetModelTags', 'UpdateModelVersion', 'DeleteModelVersion'],
  },
  {
    stream: 'registry',
    name: 'mlops.registry.v1',
    keyDescription: 'model name',
    partitions: 3,
    configs: FOREVER,
    records: ['ModelVersionRegistered', 'StageTransitioned', 'AliasSet', 'AliasDeleted', 'RegisteredModelCreated', 'RegisteredModelUpdated', 'RegisteredModelDeleted', 'ModelTagsSet', 'ModelVersionUpdated', 'ModelVersionDeleted'],
  },
  { stream: 'command-results', name: 'mlops.command-results.v1', keyDescription: 'command id', partitions: 6, configs: FOREVER, records: ['CommandAccepted', 'CommandRejected'] },
  { stream: 'predictions', name: 'mlops.predictions.v1', keyDescription: 'model name', partitions: 6, configs: FOREVER, records: ['PredictionLogged'] },
  { stream: 'feedback', name: 'mlops.feedback.v1', keyDescription: 'model name', partitions: 6, configs: FOREVER, records: ['LabelObserved'] },
  { stream: 'drift', name: 'mlops.drift.v1', keyDescription: 'model name', partitions: 3, configs: FOREVER, records: ['DriftMeasured', 'DriftDetected', 'LabelsDropped'] },
  { stream: 'retrain', name: 'mlops.retrain.v1', keyDescription: 'model name', partitions: 3, configs: FOREVER, records: ['RetrainRequested'] },
  {
    stream: 'drift-state',
    name: 'mlops.drift-state.v1',
    keyDescription: 'consumer group and input partition',
    partitions: 1,
    // A changelog: only the latest snapshot per key matters; snapshots can exceed the 1 MB default.
    configs: { 'cleanup.policy': 'compact', 'max.message.bytes': '16777216', 'min.compaction.lag.ms': '0' },
    records: ['DriftStateSnapshot'],
  },
  {
    stream: 'retrain-jobs',
    name: 'mlops.retrain-jobs.v1',
    keyDescription: 'model name',
    // Co-partitioned with retrain and registry (3, keyed by model): one orchestrator instance owns a model's requests, jobs and versions.
    partitions: 3,
    configs: FOREVER,
    records: ['RetrainJobRequested', 'RetrainJobStarted', 'RetrainJobRunLinked', 'RetrainJobVersionRegistered', 'RetrainJobEvaluated', 'RetrainJobPromoted', 'RetrainJobRejected', 'RetrainJobFailed', 'RetrainJobTimedOut'],
  },
  { stream: 'webhooks', name: 'mlops.webhooks.v1', keyDescription: 'webhook subscription id', partitions: 3, configs: FOREVER, records: ['WebhookSubscribed', 'WebhookUnsubscribed', 'WebhookRedeliveryRequested', 'WebhookRedeliveryStarted'] },
  {
    stream: 'webhook-deliveries',
    name: 'mlops.webhook-deliveries.v1',
    keyDescription: 'webhook subscription id',
    partitions: 3,
    configs: FOREVER,
    records: ['WebhookDeliveryAttempted', 'WebhookDeliveryDeadLettered'],
  },
  {
    stream: 'feature-definitions.commands',
    name: 'mlops.feature-definitions.commands.v1',
    keyDescription: 'entity:<name> or view:<name>',
    partitions: 3,
    configs: FOREVER,
    records: ['DefineEntity', 'DefineFeatureView'],
  },
  { stream: 'feature-definitions', name: 'mlops.feature-definitions.v1', keyDescription: 'entity:<name> or view:<name>', partitions: 3, configs: FOREVER, records: ['EntityDefined', 'FeatureViewDefined'] },
  { stream: 'features', name: 'mlops.features.v1', keyDescription: '<view>|<entity key>', partitions: 6, configs: FOREVER, records: ['FeatureValuesLogged'] },
  {
    stream: 'feature-online',
    name: 'mlops.feature-online.v1',
    keyDescription: 'feature view and entity key, <view>|<entityKey>',
    // Partition i holds the entries of mlops.features.v1's partition i (the features service writes it so): restore reads one partition.
    partitions: 6,
    // A changelog: the latest record per key is the whole online view.
    configs: { 'cleanup.policy': 'compact', 'min.compaction.lag.ms': '0' },
    records: ['OnlineFeaturesUpdated'],
  },
  { stream: 'feature-skew', name: 'mlops.feature-skew.v1', keyDescription: 'feature view', partitions: 3, configs: FOREVER, records: ['FeatureSkewMeasured'] },
  {
    stream: 'expectations.commands',
    name: 'mlops.expectations.commands.v1',
    keyDescription: 'suite subject (dataset:<id> or model:<name>)',
    partitions: 3,
    configs: FOREVER,
    records: ['DeclareExpectationSuite'],
  },
  { stream: 'expectations', name: 'mlops.expectations.v1', keyDescription: 'suite subject (dataset:<id> or model:<name>)', partitions: 3, configs: FOREVER, records: ['ExpectationSuiteDeclared'] },
  { stream: 'validation', name: 'mlops.validation.v1', keyDescription: 'dataset id', partitions: 3, configs: FOREVER, records: ['DatasetValidated'] },
  { stream: 'quality', name: 'mlops.quality.v1', keyDescription: 'model name', partitions: 3, configs: FOREVER, records: ['DataQualityMeasured', 'DataQualityFailed'] },
  { stream: 'deadletter', name: 'mlops.deadletter.v1', keyDescription: 'source topic', partitions: 1, configs: FOREVER, records: ['DeadLetter'] },
] as const satisfies readonly TopicSpec[];

export type StreamId = (typeof topicCatalog)[number]['stream'];

/** Which field of each record is its Kafka key (the aggregate or entity id). */
export const recordKeys: { [K in RecordName]: (value: RecordTypes[K]) => string } = {
  DatasetVersionIngested: (v) => v.datasetId,
  StartRun: (v) => v.runId,
  LogParams: (v) => v.runId,
  LogMetrics: (v) => v.runId,
  SetTags: (v) => v.runId,
  LogInputs: (v) => v.runId,
  LogArtifact: (v) => v.runId,
  FinishRun: (v) => v.runId,
  RunStarted: (v) => v.runId,
  ParamsLogged: (v) => v.runId,
  MetricsLogged: (v) => v.runId,
  TagsSet: (v) => v.runId,
  InputsLogged: (v) => v.runId,
  ArtifactLogged: (v) => v.runId,
  RunFinished: (v) => v.runId,
  DeleteRun: (v) => v.runId,
  RestoreRun: (v) => v.runId,
  DeleteTag: (v) => v.runId,
  LogBatch: (v) => v.runId,
  RunDeleted: (v) => v.runId,
  RunRestored: (v) => v.runId,
  TagDeleted: (v) => v.runId,
  CreateExperiment: (v) => v.experimentId,
  RenameExperiment: (v) => v.experimentId,
  DeleteExperiment: (v) => v.experimentId,
  RestoreExperiment: (v) => v.experimentId,
  SetExperimentTags: (v) => v.experimentId,
  ExperimentCreated: (v) => v.experimentId,
  ExperimentRenamed: (v) => v.experimentId,
  ExperimentDeleted: (v) => v.experimentId,
  ExperimentRestored: (v) => v.experimentId,
  ExperimentTagsSet: (v) => v.experimentId,
  ArtifactStored: (v) => v.runId ?? v.loggedModelId ?? v.path,
  LoggedModelRecorded: (v) => v.modelId,
  RegisterModelVersion: (v) => v.model,
  TransitionStage: (v) => v.model,
  SetAlias: (v) => v.model,
  DeleteAlias: (v) => v.model,
  ModelVersionRegistered: (v) => v.model,
  StageTransitioned: (v) => v.model,
  AliasSet: (v) => v.model,
  AliasDeleted: (v) => v.model,
  CreateRegisteredModel: (v) => v.model,
  UpdateRegisteredModel: (v) => v.model,
  DeleteRegisteredModel: (v) => v.model,
  SetModelTags: (v) => v.model,
  UpdateModelVersion: (v) => v.model,
  DeleteModelVersion: (v) => v.model,
  RegisteredModelCreated: (v) => v.model,
  RegisteredModelUpdated: (v) => v.model,
  RegisteredModelDeleted: (v) => v.model,
  ModelTagsSet: (v) => v.model,
  ModelVersionUpdated: (v) => v.model,
  ModelVersionDeleted: (v) => v.model,
  CommandAccepted: (v) => v.commandId,
  CommandRejected: (v) => v.commandId,
  PredictionLogged: (v) => v.model,
  LabelObserved: (v) => v.model,
  DriftMeasured: (v) => v.model,
  DriftDetected: (v) => v.model,
  LabelsDropped: (v) => v.model,
  RetrainRequested: (v) => v.model,
  DeadLetter: (v) => v.sourceTopic,
  DriftStateSnapshot: (v) => v.owner,
  RetrainJobRequested: (v) => v.model,
  RetrainJobStarted: (v) => v.model,
  RetrainJobRunLinked: (v) => v.model,
  RetrainJobVersionRegistered: (v) => v.model,
  RetrainJobEvaluated: (v) => v.model,
  RetrainJobPromoted: (v) => v.model,
  RetrainJobRejected: (v) => v.model,
  RetrainJobFailed: (v) => v.model,
  RetrainJobTimedOut: (v) => v.model,
  WebhookSubscribed: (v) => v.subscriptionId,
  WebhookUnsubscribed: (v) => v.subscriptionId,
  WebhookRedeliveryRequested: (v) => v.subscriptionId,
  WebhookRedeliveryStarted: (v) => v.subscriptionId,
  WebhookDeliveryAttempted: (v) => v.subscriptionId,
  WebhookDeliveryDeadLettered: (v) => v.subscriptionId,
  DefineEntity: (v) => `entity:${v.name}`,
  DefineFeatureView: (v) => `view:${v.name}`,
  EntityDefined: (v) => `entity:${v.name}`,
  FeatureViewDefined: (v) => `view:${v.name}`,
  FeatureValuesLogged: (v) => `${v.view}|${v.entityKey}`,
  OnlineFeaturesUpdated: (v) => `${v.view}|${v.entityKey}`,
  FeatureSkewMeasured: (v) => v.view,
  DeclareExpectationSuite: (v) => v.subject,
  ExpectationSuiteDeclared: (v) => v.subject,
  DatasetValidated: (v) => v.datasetId,
  DataQualityMeasured: (v) => v.model,
  DataQualityFailed: (v) => v.model,
};

/** A catalog bound to a deployment: every topic name carries the prefix. */
export interface ResolvedCatalog {
  prefix: string;
  topics: Array<TopicSpec & { topic: string }>;
  /** Prefixed topic name of a stream. */
  topic(stream: StreamId): string;
  /** Prefixed topic that carries a record type. */
  topicOf(record: RecordName): string;
  /** The spec of a prefixed topic name, if it is ours. */
  byTopic(topic: string): (TopicSpec & { topic: string }) | undefined;
}

export function resolveCatalog(prefix = ''): ResolvedCatalog {
  const topics = topicCatalog.map((t) => ({ ...t, records: [...t.records] as RecordName[], topic: `${prefix}${t.name}` }));
  const byStream = new Map(topics.map((t) => [t.stream, t]));
  const byRecord = new Map(topics.flatMap((t) => t.records.map((r) => [r, t] as const)));
  const byName = new Map(topics.map((t) => [t.topic, t]));
  return {
    prefix,
    topics,
    topic: (stream) => byStream.get(stream)!.topic,
    topicOf: (record) => {
      const spec = byRecord.get(record);
      if (!spec) throw new Error(`record ${record} is not carried by any catalog topic`);
      return spec.topic;
    },
    byTopic: (topic) => byName.get(topic),
  };
}

/** Subject under TopicRecordNameStrategy: `<topic>-<record full name>`. */
export const subjectFor = (topic: string, fullName: string): string => `${topic}-${fullName}`;
