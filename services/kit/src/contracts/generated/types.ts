// Generated from schemas/**/*.avsc by `npm run gen:types`. Do not edit by hand:
// services/kit/src/contracts/typegen.test.ts fails when this file and the schemas differ.

/** Bytes were stored in the artifact store under a path (content-addressed by sha256). */
export interface ArtifactStored {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Who uploaded it. */
  actor: string;
  /** Artifact path as the mlflow-artifacts API names it, e.g. `<experimentId>/<runId>/artifacts/model/MLmodel`. */
  path: string;
  /** Experiment the path belongs to. */
  experimentId?: null | string;
  /** Run that owns the artifact, if any. */
  runId?: null | string;
  /** Logged model that owns the artifact, if any. */
  loggedModelId?: null | string;
  /** Size in bytes. */
  size: number;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  /** Storage URI of the blob (file:// or s3://). */
  uri: string;
}

/** The state of an MLflow logged model after a change (a full snapshot: the latest record per model id wins). */
export interface LoggedModelRecorded {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Who changed it. */
  actor: string;
  /** Logged model id (the topic key). */
  modelId: string;
  /** Experiment. */
  experimentId: string;
  /** Run that produced it. */
  runId?: null | string;
  /** Model name within the run. */
  name: string;
  /** Where its artifacts live. */
  artifactLocation: string;
  /** PENDING, READY or FAILED. */
  status: string;
  /** Model type. */
  modelType?: null | string;
  /** Source the model was created from. */
  source?: null | string;
  /** Creation time. */
  createdAt: number;
  /** Params of the model. */
  params?: Record<string, string>;
  /** Tags (key → value). */
  tags?: Record<string, string>;
}

/** Coordinates of an event produced by the command. */
export interface EventRef {
  /** Event id. */
  eventId: string;
  /** Record full name. */
  type: string;
  /** Topic. */
  topic: string;
  /** Partition. */
  partition: number;
  /** Offset, when known at result time. */
  offset?: null | number;
}

/** A command was applied; lists the events it produced. */
export interface CommandAccepted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command (the topic key). */
  commandId: string;
  /** Record full name of the command. */
  commandType: string;
  /** Aggregate type: run or model. */
  aggregate: string;
  /** Run id or model name. */
  aggregateId: string;
  /** Aggregate version after the command. */
  aggregateVersion: number;
  /** Resulting events. */
  events: Array<EventRef>;
  /** Offset of the command in its command topic partition. */
  sourceOffset: number;
}

/** A command was rejected; nothing changed. */
export interface CommandRejected {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command (the topic key). */
  commandId: string;
  /** Record full name of the command. */
  commandType: string;
  /** Aggregate type: run or model. */
  aggregate: string;
  /** Run id or model name. */
  aggregateId: string;
  /** Stable rejection code (see docs/errors.md). */
  errorCode: string;
  /** Human-readable reason. */
  message: string;
  /** Aggregate version when rejected (helps optimistic-concurrency retries). */
  currentVersion?: null | number;
  /** Structured facts about the rejection (field, values compared, ...). */
  details?: Record<string, string>;
  /** Offset of the command in its command topic partition. */
  sourceOffset: number;
}

/** One original Kafka header. */
export interface Header {
  /** Header name. */
  key: string;
  /** Header value. */
  value?: null | Buffer;
}

/** A record that could not be handled, kept with its original bytes and the reason. */
export interface DeadLetter {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Topic the record came from (the topic key). */
  sourceTopic: string;
  /** Its partition. */
  sourcePartition: number;
  /** Its offset. */
  sourceOffset: number;
  /** Original key bytes. */
  key?: null | Buffer;
  /** Original value bytes. */
  value?: null | Buffer;
  /** Original headers. */
  headers?: Array<Header>;
  /** Error code (see docs/errors.md). */
  errorCode: string;
  /** Why it could not be handled. */
  reason: string;
  /** Consumer group that gave up on it. */
  consumer: string;
}

/** The policy that decided. */
export interface DriftPolicy {
  /** Drifted windows in a row needed. */
  consecutiveWindows: number;
  /** Minimum event time between retrain requests. */
  cooldownMs: number;
  /** Share of drifted features that makes a window drifted. */
  datasetDriftShare: number;
}

/** The policy decided the model has drifted (K consecutive drifted windows). */
export interface DriftDetected {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version. */
  version: number;
  /** Window that completed the streak. */
  windowId: string;
  /** eventIds of the DriftMeasured events that form the streak. */
  measurementIds: Array<string>;
  /** Features drifted in the last window. */
  driftedFeatures: Array<string>;
  /** Human-readable summary. */
  reason: string;
  /** Policy in force. */
  policy: DriftPolicy;
}

/** How windows are cut. */
export type WindowKind = 'COUNT' | 'EVENT_TIME';

/** The window of predictions a measurement covers. */
export interface Window {
  /** Deterministic id: model/version/kind/index. */
  id: string;
  /** Window number for this model version, from 0. */
  index: number;
  /** Count or event-time windows. */
  kind: WindowKind;
  /** Event time of the first record, epoch ms. */
  start: number;
  /** Event time of the last record, epoch ms. */
  end: number;
  /** Records in the window. */
  count: number;
}

/** One drift test result. */
export interface FeatureDrift {
  /** Feature name, or __prediction__ / __label__. */
  feature: string;
  /** numeric or categorical. */
  kind: string;
  /** Test used: ks, chisquare, wasserstein, jensenshannon, psi. */
  test: string;
  /** Test statistic or distance. */
  statistic: number;
  /** p-value, for tests that have one. */
  pValue?: null | number;
  /** Threshold applied. */
  threshold: number;
  /** Whether this feature drifted. */
  drifted: boolean;
}

/** Performance of the window on labels joined so far. */
export interface Performance {
  /** Predictions with a label. */
  labeled: number;
  /** Classification accuracy. */
  accuracy?: null | number;
  /** Macro F1 (classification). */
  f1?: null | number;
  /** Mean absolute error (regression). */
  mae?: null | number;
  /** Root mean squared error (regression). */
  rmse?: null | number;
  /** Whether the error-stream detector fired in this window. */
  conceptDrift?: boolean;
}

/** Kafka coordinates of the input a decision read. */
export interface SourceRange {
  /** Topic. */
  topic: string;
  /** Partition. */
  partition: number;
  /** First offset (inclusive). */
  fromOffset: number;
  /** Last offset (inclusive). */
  toOffset: number;
}

/** How far the window's performance fell below the version's baseline window. */
export interface PerformanceDrop {
  /** accuracy (classification) or mae (regression). */
  metric: string;
  /** The metric in the baseline window (the first window with enough joined labels). */
  baseline: number;
  /** The metric in this window. */
  current: number;
  /** Allowed change: accuracy may fall by this much (absolute); mae may grow by this fraction. */
  threshold: number;
  /** Window id of the baseline. */
  baselineWindowId: string;
}

/** Drift statistics of one window, emitted for every window. */
export interface DriftMeasured {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version. */
  version: number;
  /** The window. */
  window: Window;
  /** Which reference was used (dataset version or baseline window id). */
  referenceId: string;
  /** Per-feature results. */
  features: Array<FeatureDrift>;
  /** Drift of the prediction itself. */
  predictionDrift?: null | FeatureDrift;
  /** Drift of the labels. */
  labelDrift?: null | FeatureDrift;
  /** Performance on joined labels. */
  performance?: null | Performance;
  /** Share of features that drifted. */
  driftedShare: number;
  /** Whether the window counts as drifted. */
  datasetDrift: boolean;
  /** Input coordinates. */
  sources?: Array<SourceRange>;
  /** Set when performance dropped beyond the policy's threshold; such a window counts as drifted for the retrain policy even without data drift. */
  performanceDrop?: null | PerformanceDrop;
}

/** Why a label left the join buffers unjoined. BACKLOG: more labels arrived between two window closes of the model than the label horizon; NO_PREDICTION: it waited for its prediction and was pushed out by newer waiting labels (its prediction never came, or came before the horizon); REPLACED: a later label for the same request id replaced it while it waited; UNKNOWN_VERSION: its prediction's version has no detector stream. */
export type LabelDropReason = 'BACKLOG' | 'NO_PREDICTION' | 'REPLACED' | 'UNKNOWN_VERSION';

/** Labels dropped for one reason. */
export interface LabelDropCount {
  /** Why. */
  reason: LabelDropReason;
  /** Labels dropped for this reason. */
  count: number;
  /** Request ids of the first dropped labels, in the order they were dropped (at most 100; count is exact). */
  requestIds: Array<string>;
}

/** Cumulative label accounting of the model after this window close: accepted = joined + dropped + pending. */
export interface LabelAccounting {
  /** Labels accepted (LabelObserved records whose eventId is not a repeat). */
  accepted: number;
  /** Labels joined to a window (each to exactly one). */
  joined: number;
  /** Labels dropped (the sum of every LabelsDropped so far). */
  dropped: number;
  /** Labels still waiting: consumed since the last close, or waiting for their prediction. */
  pending: number;
}

/** Labels the drift detector accepted but will never join to a window, reported at the close of a window of their model: every label dropped since the model's previous report, by reason. Together with DriftMeasured.performance.labeled it accounts for every accepted label (docs/drift.md, label accounting). */
export interface LabelsDropped {
  /** Unique id of this record (UUID, derived from the window id); consumers deduplicate on it. */
  eventId: string;
  /** Event time: the last prediction of the window whose close reported the drops, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Version of the window whose close reported the drops. */
  version: number;
  /** The window whose close reported the drops (its DriftMeasured names the feedback offsets joined at that close). */
  windowId: string;
  /** Labels dropped since the model's previous LabelsDropped: the sum of the reasons' counts. */
  dropped: number;
  /** Per reason, in the order of the enum; reasons without drops are left out. */
  reasons: Array<LabelDropCount>;
  /** The model's accounting after this close. */
  accounting: LabelAccounting;
}

/** The drift detector's state for one input partition, written in the same Kafka transaction as its outputs and consumed offsets; the latest per key is kept by compaction. */
export interface DriftStateSnapshot {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Consumer group and input partition this state belongs to, '<group>|<partition>' (the topic key). */
  owner: string;
  /** Input partition (of the predictions and feedback topics). */
  partition: number;
  /** Next offset to consume per input topic, as committed in the same transaction. */
  offsets: Record<string, number>;
  /** Encoding of state, e.g. 'json+gzip/v1'. */
  format: string;
  /** The detector state (windows, references, label join, policy), encoded as format says. */
  state: Buffer;
}

/** One expectation, flat: which fields apply depends on kind (docs/data-quality.md). */
export interface ExpectationSpec {
  /** column_present, column_type, null_share_at_most, values_between, within_training_range, values_in_set, unseen_share_at_most, unique_share_between, row_count_between, mean_between, std_between or no_new_columns. */
  kind: string;
  /** The column it is about; null for row_count_between and no_new_columns. */
  column?: null | string;
  /** column_type: numeric or categorical. */
  type?: null | string;
  /** Inclusive lower bound (value, share or count), if any. */
  min?: null | number;
  /** Inclusive upper bound (value, share or count), if any. */
  max?: null | number;
  /** within_training_range: margin as a fraction of the reference range. */
  margin?: null | number;
  /** values_in_set: the allowed values. */
  values?: Array<string>;
}

/** A new version of a subject's expectation suite; it is in force from occurredAt until the next version. */
export interface ExpectationSuiteDeclared {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that produced this event. */
  commandId: string;
  /** Who sent the command. */
  actor: string;
  /** Version of the suite's subject after this event (1 for the first event of a subject). */
  aggregateVersion: number;
  /** Whose suite: `dataset:<dataset id>` or `model:<model name>` (the topic key). */
  subject: string;
  /** Suite version, 1..n per subject, assigned by the decider. */
  version: number;
  /** The expectations, in order. */
  expectations: Array<ExpectationSpec>;
  /** Why the suite was declared or changed. */
  reason?: null | string;
}

/** Declare (or replace) the expectation suite of a dataset or a model. */
export interface DeclareExpectationSuite {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Whose suite: `dataset:<dataset id>` or `model:<model name>` (the topic key). */
  subject: string;
  /** The expectations, in order. */
  expectations: Array<ExpectationSpec>;
  /** Why the suite was declared or changed. */
  reason?: null | string;
}

/** An experiment was created. */
export interface ExperimentCreated {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Experiment id (the topic key). */
  experimentId: string;
  /** Experiment name. */
  name: string;
  /** Where the experiment's artifacts go. */
  artifactLocation: string;
  /** Tags (key → value). */
  tags?: Record<string, string>;
}

/** An experiment was marked deleted. */
export interface ExperimentDeleted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Experiment id (the topic key). */
  experimentId: string;
}

/** An experiment was renamed. */
export interface ExperimentRenamed {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Experiment id (the topic key). */
  experimentId: string;
  /** New name. */
  name: string;
  /** Name before. */
  previousName: string;
}

/** A deleted experiment was restored. */
export interface ExperimentRestored {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Experiment id (the topic key). */
  experimentId: string;
}

/** Experiment tags were set or removed. */
export interface ExperimentTagsSet {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Experiment id (the topic key). */
  experimentId: string;
  /** Tags (key → value). */
  tags?: Record<string, string>;
  /** Tag keys removed. */
  removed?: Array<string>;
}

/** Create an experiment; its id is derived from its name, so two creators of one name meet on one key. */
export interface CreateExperiment {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Experiment id (the topic key). */
  experimentId: string;
  /** Experiment name, unique. */
  name: string;
  /** Where the experiment's artifacts go; null: the artifact store's default. */
  artifactLocation?: null | string;
  /** Tags (key → value). */
  tags?: Record<string, string>;
}

/** Mark an experiment deleted (restorable). */
export interface DeleteExperiment {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Experiment id (the topic key). */
  experimentId: string;
}

/** Give an experiment a new name. */
export interface RenameExperiment {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Experiment id (the topic key). */
  experimentId: string;
  /** New name. */
  name: string;
}

/** Restore a deleted experiment. */
export interface RestoreExperiment {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Experiment id (the topic key). */
  experimentId: string;
}

/** Set and remove experiment tags. */
export interface SetExperimentTags {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Experiment id (the topic key). */
  experimentId: string;
  /** Tags (key → value). */
  tags?: Record<string, string>;
  /** Tag keys removed. */
  removed?: Array<string>;
}

/** Type of an entity key. Keys travel as strings; INT64 keys must be decimal integers. */
export type EntityKeyType = 'STRING' | 'INT64';

/** An entity was defined: version 1, or a new version when the definition changed. */
export interface EntityDefined {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Definition version (1..n per entity), assigned by the decider. */
  version: number;
  /** Entity name, e.g. driver (the topic key is entity:<name>). */
  name: string;
  /** Name of the join key column in entity rows, e.g. driver_id. */
  keyName: string;
  /** Type of the join key. */
  keyType: EntityKeyType;
  /** Description. */
  description?: null | string;
  /** Free-form tags. */
  tags?: Record<string, string>;
}

/** Value type of a feature: numeric values are doubles, categorical values strings. */
export type FeatureValueType = 'NUMERIC' | 'CATEGORICAL';

/** One feature of a view: name and value type. */
export interface FeatureDefinition {
  /** Feature name, unique within the view. */
  name: string;
  /** Value type. */
  type: FeatureValueType;
  /** Description. */
  description?: null | string;
}

/** A feature view was defined: version 1, or a new version when the definition changed. */
export interface FeatureViewDefined {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Definition version (1..n per view), assigned by the decider. */
  version: number;
  /** Feature view name (the topic key is view:<name>). */
  name: string;
  /** Name of the entity the view is keyed by. */
  entity: string;
  /** Features of the view, in order. */
  features: Array<FeatureDefinition>;
  /** Logical topic the values come from (without deployment prefix), e.g. mlops.features.v1. */
  sourceTopic?: string;
  /** Field of the source record that carries the event time of the values. */
  eventTimeField?: string;
  /** How long a value stays valid after its event time, in seconds; 0 means it never expires. */
  ttlSeconds?: number;
  /** Description. */
  description?: null | string;
  /** Free-form tags. */
  tags?: Record<string, string>;
}

/** Define an entity, or a new version of it. */
export interface DefineEntity {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Entity name, e.g. driver (the topic key is entity:<name>). */
  name: string;
  /** Name of the join key column in entity rows, e.g. driver_id. */
  keyName: string;
  /** Type of the join key. */
  keyType: EntityKeyType;
  /** Description. */
  description?: null | string;
  /** Free-form tags. */
  tags?: Record<string, string>;
}

/** Define a feature view, or a new version of it. */
export interface DefineFeatureView {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Feature view name (the topic key is view:<name>). */
  name: string;
  /** Name of the entity the view is keyed by. */
  entity: string;
  /** Features of the view, in order. */
  features: Array<FeatureDefinition>;
  /** Logical topic the values come from (without deployment prefix), e.g. mlops.features.v1. */
  sourceTopic?: string;
  /** Field of the source record that carries the event time of the values. */
  eventTimeField?: string;
  /** How long a value stays valid after its event time, in seconds; 0 means it never expires. */
  ttlSeconds?: number;
  /** Description. */
  description?: null | string;
  /** Free-form tags. */
  tags?: Record<string, string>;
}

/** The online value of one entity in one feature view after a change: per feature, the value with the latest event time. Written by the features service in the same Kafka transaction as the consumed offsets of mlops.features.v1; the topic is compacted, so the latest record per key is the whole online view. */
export interface OnlineFeaturesUpdated {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: the latest event time of any feature of the entry, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Feature view name. */
  view: string;
  /** View version of the feature event that last changed the entry. */
  viewVersion: number;
  /** Entity key; the topic key is '<view>|<entityKey>'. */
  entityKey: string;
  /** Latest numeric value by feature name. */
  numericValues?: Record<string, number>;
  /** Latest categorical value by feature name. */
  categoricalValues?: Record<string, string>;
  /** Event time (epoch ms) of each feature's value, by feature name. */
  eventTimes?: Record<string, number>;
  /** eventId of the FeatureValuesLogged that caused this change. */
  sourceEventId: string;
  /** Kafka timestamp of that feature event: when it entered the log. */
  ingestedAt: number;
}

/** One feature compared. */
export interface FeatureSkew {
  /** Feature name. */
  feature: string;
  /** match, skew, missing_online (the store had no value), expired (the store's value was older than the TTL) or unknown (the store's retained history does not reach back to the prediction). */
  status: string;
  /** The numeric value the prediction used. */
  servedNumeric?: null | number;
  /** The categorical value the prediction used. */
  servedCategorical?: null | string;
  /** The store's numeric value at the prediction's time. */
  onlineNumeric?: null | number;
  /** The store's categorical value at the prediction's time. */
  onlineCategorical?: null | string;
  /** Event time of the store's value. */
  onlineEventTime?: null | number;
}

/** One prediction's feature inputs of one view compared with the online store's value of the same entity at the prediction's time (training/serving skew). */
export interface FeatureSkewMeasured {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: the prediction's occurredAt, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Feature view name (the topic key). */
  view: string;
  /** Entity key the prediction named with its '__entity.<view>' input. */
  entityKey: string;
  /** Registered model name of the prediction. */
  model: string;
  /** Model version that served the prediction. */
  version: number;
  /** Request id of the prediction. */
  requestId: string;
  /** eventId of the PredictionLogged compared. */
  predictionEventId: string;
  /** Features whose status is skew, missing_online or expired. */
  skewed: number;
  /** Per-feature comparison, in feature-name order. */
  features: Array<FeatureSkew>;
}

/** Feature values of one entity in one view, as of an event time. */
export interface FeatureValuesLogged {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time of the values (when they became true), in epoch milliseconds (UTC); point-in-time retrieval keys on it, not on ingestion time. */
  occurredAt: number;
  /** Feature view name. */
  view: string;
  /** Version of the view definition the values were validated against. */
  viewVersion: number;
  /** Entity key (INT64 keys as decimal strings); the topic key is <view>|<entityKey>. */
  entityKey: string;
  /** Values of numeric features by name (finite numbers). */
  numericValues?: Record<string, number>;
  /** Values of categorical features by name. */
  categoricalValues?: Record<string, string>;
}

/** The ground truth for an earlier prediction became known. */
export interface LabelObserved {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the inference request it labels. */
  requestId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Observed label: a number (regression) or a class. */
  label: number | string;
}

/** Logical type of a feature. */
export type FeatureType = 'NUMERIC' | 'CATEGORICAL' | 'BOOLEAN' | 'TEXT' | 'DATETIME';

/** Name and logical type of one column. */
export interface FeatureSpec {
  /** Column name. */
  name: string;
  /** Logical type. */
  type: FeatureType;
}

/** Profile of a numeric feature. */
export interface NumericProfile {
  /** Smallest value. */
  min: number;
  /** Largest value. */
  max: number;
  /** Arithmetic mean. */
  mean: number;
  /** Population standard deviation (ddof=0). */
  std: number;
  /** Ascending bin edges (reference quantiles); n+1 edges for n bins. */
  binEdges: Array<number>;
  /** Count of values per bin; bin i is [edge i, edge i+1), the last bin closed. */
  binCounts: Array<number>;
}

/** Profile of a categorical feature. */
export interface CategoricalProfile {
  /** Count per category for the top-k categories. */
  counts: Record<string, number>;
  /** How many categories are listed in counts. */
  topK: number;
  /** Count of all categories not listed in counts. */
  otherCount: number;
}

/** Summary statistics of one feature, enough to serve as a drift reference. */
export interface FeatureProfile {
  /** Feature name. */
  name: string;
  /** Non-null values. */
  count: number;
  /** Null or missing values. */
  nulls: number;
  /** Numeric profile; null for non-numeric features. */
  numeric?: null | NumericProfile;
  /** Categorical profile; null for non-categorical features. */
  categorical?: null | CategoricalProfile;
}

/** One validation check. */
export interface ValidationCheck {
  /** Check name. */
  name: string;
  /** Whether it passed. */
  passed: boolean;
  /** Human-readable detail. */
  detail?: null | string;
}

/** Outcome of the data validation suite for this version. */
export interface Validation {
  /** True when every check passed. */
  passed: boolean;
  /** Individual checks. */
  checks: Array<ValidationCheck>;
}

/** A new version of a dataset was produced, with its content hash, profile and validation verdict. */
export interface DatasetVersionIngested {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Stable id of the dataset (the topic key). */
  datasetId: string;
  /** Version label of this dataset version, unique per dataset. */
  version: string;
  /** Where the data lives (s3://, gs://, file://, ...). */
  uri: string;
  /** SHA-256 of the content, hex; identifies the exact bytes used for training. */
  contentSha256: string;
  /** Number of rows. */
  rowCount: number;
  /** Feature schema of the dataset. */
  features: Array<FeatureSpec>;
  /** Per-feature profile. */
  profile: Array<FeatureProfile>;
  /** Validation verdict. */
  validation: Validation;
  /** The pipeline or job that produced this version. */
  producer: string;
  /** Free-form tags. */
  tags?: Record<string, string>;
}

/** A model served one prediction. */
export interface PredictionLogged {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the inference request; labels join on it. */
  requestId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version that served it. */
  version: number;
  /** Numeric inputs by feature name. */
  numericFeatures?: Record<string, number>;
  /** Categorical inputs by feature name. */
  categoricalFeatures?: Record<string, string>;
  /** Predicted value (regression) or class (classification). */
  prediction: number | string;
  /** Class probabilities, when the model gives them. */
  probabilities?: null | Record<string, number>;
  /** Time to serve, in milliseconds. */
  latencyMs: number;
  /** Error message when the prediction failed. */
  error?: null | string;
}

/** One check a window failed. */
export interface QualityFailure {
  /** Feature the check is about; empty for window-level checks (score). */
  feature: string;
  /** missing_share, out_of_range_share, unseen_share, type_mismatch, constant, extra_feature, score or expectation:<kind>. */
  check: string;
  /** Observed value (a share, a score, 1 for a constant feature, rows carrying an extra feature). */
  observed: number;
  /** Threshold in force (fails when observed is above it; for score, below it). */
  threshold: number;
}

/** The quality policy decided: K consecutive windows failed their quality checks. Raises an alert; requests retraining only when configured (action RETRAIN). */
export interface DataQualityFailed {
  /** Unique id of this record (UUID, derived from the window id); consumers deduplicate on it. */
  eventId: string;
  /** Event time: the last prediction of the window, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version. */
  version: number;
  /** Window that completed the streak. */
  windowId: string;
  /** eventIds of the DataQualityMeasured events of the streak. */
  measurementIds: Array<string>;
  /** Failed checks of the last window. */
  failures: Array<QualityFailure>;
  /** Human-readable summary. */
  reason: string;
  /** ALERT (default: no retraining) or RETRAIN (failed windows count in the retrain policy). */
  action: string;
  /** Failed windows in a row the policy needs. */
  consecutiveWindows: number;
}

/** The window of predictions a measurement covers (the drift window). */
export interface QualityWindow {
  /** Deterministic id: model/version/kind/index, as in DriftMeasured. */
  id: string;
  /** Window number for this model version, from 0. */
  index: number;
  /** Event time of the first record, epoch ms. */
  start: number;
  /** Event time of the last record, epoch ms. */
  end: number;
  /** Predictions in the window. */
  count: number;
}

/** Quality of one feature of the training schema in the window. */
export interface FeatureQuality {
  /** Feature name. */
  feature: string;
  /** numeric or categorical (its kind in the training schema). */
  kind: string;
  /** Rows carrying a usable value of the training kind. */
  present: number;
  /** Rows without a value (absent from the prediction's maps, or NaN) / rows. */
  missingShare: number;
  /** Numeric: values outside the training [min, max] / present values; null when the range is unknown. */
  outOfRangeShare?: null | number;
  /** Categorical: values not among the training categories / present values; null when the category set is unknown or truncated. */
  unseenShare?: null | number;
  /** Rows carrying the feature in the other map (numeric as categorical or back) / rows. */
  typeMismatchShare: number;
  /** At least two values, all equal, while the reference varies. */
  constant: boolean;
}

/** How one expectation came out. */
export interface ExpectationOutcome {
  /** Stable name of the expectation, e.g. null_share_at_most(age, 0.1). */
  name: string;
  /** Expectation kind. */
  kind: string;
  /** Column, if any. */
  column?: null | string;
  /** Whether it passed (false when not evaluable). */
  passed: boolean;
  /** False when the profile cannot answer it; it is then neither passed nor failed. */
  evaluable: boolean;
  /** What was observed, when an exact number. */
  observedValue?: null | number;
  /** What was observed, when a bound (low..high), a type or a presence. */
  observedText?: null | string;
  /** Human-readable explanation. */
  detail: string;
}

/** Kafka coordinates of the inputs. */
export interface QualitySourceRange {
  /** Input topic. */
  topic: string;
  /** Input partition. */
  partition: number;
  /** First offset (inclusive). */
  fromOffset: number;
  /** Last offset (inclusive). */
  toOffset: number;
}

/** Data quality of one prediction window (the same window as the DriftMeasured with driftMeasurementId), emitted for every window. */
export interface DataQualityMeasured {
  /** Unique id of this record (UUID, derived from the window id); consumers deduplicate on it. */
  eventId: string;
  /** Event time: the last prediction of the window, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version. */
  version: number;
  /** The window. */
  window: QualityWindow;
  /** eventId of the DriftMeasured of the same window. */
  driftMeasurementId: string;
  /** What the schema, ranges and categories come from: dataset:<id>@<version> (training profile) or the reference window id; null when the window is its own reference. */
  referenceId?: null | string;
  /** Quality score in [0, 1]: valid feature values / (rows x training features); null when there is nothing to score. */
  score?: null | number;
  /** True when no check failed. */
  passed: boolean;
  /** Per feature of the training schema, sorted by name. */
  features: Array<FeatureQuality>;
  /** Training features no prediction of the window carried. */
  missingFeatures: Array<string>;
  /** Features carried by predictions but absent from the training schema. */
  extraFeatures: Array<string>;
  /** Checks that failed (empty when passed). */
  failures: Array<QualityFailure>;
  /** Results of the model's expectation suite (subject model:<name>) on the window, in the suite's order (same record as DatasetValidated.results); empty without a suite. */
  expectations?: Array<ExpectationOutcome>;
  /** Version of the model's expectation suite evaluated, null without one. */
  suiteVersion?: null | number;
  /** The predictions the window holds. */
  sources: Array<QualitySourceRange>;
}

/** An alias was removed. */
export interface AliasDeleted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Alias name. */
  alias: string;
  /** Version it pointed at. */
  version: number;
  /** Why. */
  reason?: null | string;
}

/** An alias now points at a version. */
export interface AliasSet {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Alias name. */
  alias: string;
  /** Version it points at. */
  version: number;
  /** Version it pointed at before. */
  previousVersion?: null | number;
  /** Why. */
  reason?: null | string;
}

/** Tags of a registered model (version null) or of one version were set or removed. */
export interface ModelTagsSet {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Version, or null for the model itself. */
  version?: null | number;
  /** Tags (key → value). */
  tags?: Record<string, string>;
  /** Tag keys removed. */
  removed?: Array<string>;
  /** Why. */
  reason?: null | string;
}

/** A model version was deleted. */
export interface ModelVersionDeleted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version. */
  version: number;
  /** Why. */
  reason?: null | string;
}

/** One input feature of the model signature. */
export interface SignatureField {
  /** Feature name. */
  name: string;
  /** Feature type (numeric, categorical, ...). */
  type: string;
}

/** Model version stage. */
export type Stage = 'DEVELOPMENT' | 'STAGING' | 'PRODUCTION' | 'ARCHIVED';

/** A model version was registered, in stage DEVELOPMENT. */
export interface ModelVersionRegistered {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Version number assigned (1..n per model). */
  version: number;
  /** Run that produced the model. */
  runId?: null | string;
  /** Model artifact. */
  artifactUri: string;
  /** SHA-256 of the artifact. */
  artifactSha256?: null | string;
  /** Input signature. */
  signature?: Array<SignatureField>;
  /** Description. */
  description?: null | string;
  /** Tags. */
  tags?: Record<string, string>;
  /** Initial stage. */
  stage: Stage;
  /** Why. */
  reason?: null | string;
}

/** A model version's description changed. */
export interface ModelVersionUpdated {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version. */
  version: number;
  /** Description. */
  description?: null | string;
  /** Why. */
  reason?: null | string;
}

/** A registered model was created. */
export interface RegisteredModelCreated {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Description. */
  description?: null | string;
  /** Tags (key → value). */
  tags?: Record<string, string>;
  /** Why. */
  reason?: null | string;
}

/** A registered model was deleted, with its versions and aliases. */
export interface RegisteredModelDeleted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Why. */
  reason?: null | string;
}

/** A registered model's description changed. */
export interface RegisteredModelUpdated {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Description. */
  description?: null | string;
  /** Why. */
  reason?: null | string;
}

/** How a promotion gate was evaluated. */
export interface GateResult {
  /** Metric compared. */
  metric: string;
  /** GT, GTE, LT or LTE. */
  comparator: string;
  /** Threshold used. */
  threshold?: null | number;
  /** Final metric value of the candidate run. */
  candidateValue: number;
  /** Production version compared with. */
  productionVersion?: null | number;
  /** Its metric value. */
  productionValue?: null | number;
  /** Whether the gate passed. */
  passed: boolean;
}

/** How the validatedData gate was evaluated. */
export interface DataValidationGateResult {
  /** Training datasets of the version's run, as <dataset id>@<version>. */
  datasets: Array<string>;
  /** Those whose platform validation failed. */
  failed: Array<string>;
  /** True when failed datasets were let through by an override. */
  overridden: boolean;
  /** The override's reason. */
  overrideReason?: null | string;
}

/** A model version changed stage. */
export interface StageTransitioned {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version number. */
  version: number;
  /** Stage before. */
  fromStage: Stage;
  /** Stage after. */
  toStage: Stage;
  /** Why (for an automatic archive: which promotion caused it). */
  reason?: null | string;
  /** Gate evaluation, when the transition carried a gate. */
  gate?: null | GateResult;
  /** The validatedData gate's outcome, when the transition asked for it. */
  dataValidation?: null | DataValidationGateResult;
}

/** Create a registered model with no versions yet. */
export interface CreateRegisteredModel {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Registered model name (the topic key). */
  model: string;
  /** Description. */
  description?: null | string;
  /** Tags (key → value). */
  tags?: Record<string, string>;
  /** Why. */
  reason?: null | string;
}

/** Remove an alias. */
export interface DeleteAlias {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Registered model name (the topic key). */
  model: string;
  /** Alias name. */
  alias: string;
  /** Why. */
  reason?: null | string;
}

/** Delete a model version (its aliases go with it). */
export interface DeleteModelVersion {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version. */
  version: number;
  /** Why. */
  reason?: null | string;
}

/** Delete a registered model with its versions and aliases; version numbers are never reused. */
export interface DeleteRegisteredModel {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Registered model name (the topic key). */
  model: string;
  /** Why. */
  reason?: null | string;
}

/** Register a new version of a model; the registry numbers it. */
export interface RegisterModelVersion {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Registered model name (the topic key). */
  model: string;
  /** Run that produced the model. */
  runId?: null | string;
  /** Where the model artifact lives. */
  artifactUri: string;
  /** SHA-256 of the artifact, hex. */
  artifactSha256?: null | string;
  /** Input signature. */
  signature?: Array<SignatureField>;
  /** Description. */
  description?: null | string;
  /** Tags. */
  tags?: Record<string, string>;
  /** Why it is registered. */
  reason?: null | string;
}

/** Point an alias (champion, challenger, ...) at a version. */
export interface SetAlias {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Registered model name (the topic key). */
  model: string;
  /** Alias name, unique per model. */
  alias: string;
  /** Model version number. */
  version: number;
  /** Why. */
  reason?: null | string;
}

/** Set and remove tags of a registered model (version null) or of one version. */
export interface SetModelTags {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Registered model name (the topic key). */
  model: string;
  /** Version, or null for the model itself. */
  version?: null | number;
  /** Tags (key → value). */
  tags?: Record<string, string>;
  /** Tag keys removed. */
  removed?: Array<string>;
  /** Why. */
  reason?: null | string;
}

/** How the candidate value must compare. */
export type Comparator = 'GT' | 'GTE' | 'LT' | 'LTE';

/** A metric condition a transition to PRODUCTION must pass. */
export interface PromotionGate {
  /** Final metric of the candidate run to compare. */
  metric: string;
  /** Comparator. */
  comparator: Comparator;
  /** Fixed threshold; null when comparing with the current Production version. */
  threshold?: null | number;
  /** Compare with the same metric of the current Production version instead of a threshold. */
  beatProduction?: boolean;
}

/** Move a model version to another stage. */
export interface TransitionStage {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version number. */
  version: number;
  /** Target stage. */
  toStage: Stage;
  /** When promoting to PRODUCTION, archive the current Production version(s). */
  archivePrevious?: boolean;
  /** Optional promotion gate. */
  gate?: null | PromotionGate;
  /** Why. */
  reason?: null | string;
  /** validatedData gate: when promoting to PRODUCTION, refuse if a training dataset of the version's run failed the platform's validation (DatasetValidated), unless overrideReason is given. */
  requireValidatedData?: boolean;
  /** Promote despite failed data validation, for this reason (recorded in StageTransitioned.dataValidation). */
  overrideReason?: null | string;
}

/** Change a model version's description. */
export interface UpdateModelVersion {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version. */
  version: number;
  /** Description. */
  description?: null | string;
  /** Why. */
  reason?: null | string;
}

/** Change a registered model's description. */
export interface UpdateRegisteredModel {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Registered model name (the topic key). */
  model: string;
  /** Description. */
  description?: null | string;
  /** Why. */
  reason?: null | string;
}

/** A drift decision behind the request. */
export interface Evidence {
  /** DriftDetected or DriftMeasured event id. */
  eventId: string;
  /** Window id. */
  windowId: string;
  /** Share of drifted features. */
  driftedShare: number;
  /** Drifted features. */
  features: Array<string>;
}

/** The policy that decided. */
export interface RetrainPolicy {
  /** Drifted windows in a row needed. */
  consecutiveWindows: number;
  /** Minimum event time between requests. */
  cooldownMs: number;
  /** Share of drifted features that makes a window drifted. */
  datasetDriftShare: number;
}

/** A model should be retrained; carries its evidence. */
export interface RetrainRequested {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Registered model name (the topic key). */
  model: string;
  /** Model version. */
  version: number;
  /** Deterministic key: the same evidence always yields the same key. */
  idempotencyKey: string;
  /** Human-readable summary. */
  reason: string;
  /** Evidence. */
  evidence: Array<Evidence>;
  /** Policy in force. */
  policy: RetrainPolicy;
  /** Component that decided (drift-detector). */
  requestedBy: string;
}

/** The challenger was compared with the champion on the same labeled hold-out rows; carries the numbers and the decision. */
export interface RetrainJobEvaluated {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Retrain job id, derived from the request's idempotency key. */
  jobId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Idempotency key of the RetrainRequested that opened the job: one job per key. */
  idempotencyKey: string;
  /** Challenger version. */
  challengerVersion: number;
  /** Version that served the compared rows (the champion), if known. */
  championVersion: null | number;
  /** Labeled hold-out rows compared (both models scored on each). */
  labeled: number;
  /** Accuracy of the served (champion) predictions on those rows. */
  championAccuracy: number;
  /** Accuracy of the challenger on the same rows. */
  challengerAccuracy: number;
  /** Rows the challenger got right and the champion wrong (McNemar b). */
  onlyChallengerRight: number;
  /** Rows the champion got right and the challenger wrong (McNemar c). */
  onlyChampionRight: number;
  /** Exact one-sided McNemar p-value that the challenger is not better. */
  pValue: number;
  /** Policy: fewest labeled rows to decide. */
  minLabeled: number;
  /** Policy: the challenger's accuracy must exceed the champion's by at least this much. */
  margin: number;
  /** Policy: significance level of the McNemar test. */
  alpha: number;
  /** `promote` or `reject`. */
  decision: string;
  /** Why, in words, with the numbers. */
  reason: string;
}

/** The job failed; nothing more happens for it. */
export interface RetrainJobFailed {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Retrain job id, derived from the request's idempotency key. */
  jobId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Idempotency key of the RetrainRequested that opened the job: one job per key. */
  idempotencyKey: string;
  /** Step that failed (snapshot, execute, evaluate, …). */
  step: string;
  /** Error, in words. */
  reason: string;
}

/** The challenger was promoted to Production and @champion through registry commands. */
export interface RetrainJobPromoted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Retrain job id, derived from the request's idempotency key. */
  jobId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Idempotency key of the RetrainRequested that opened the job: one job per key. */
  idempotencyKey: string;
  /** Promoted version. */
  version: number;
  /** Champion it replaced (archived by the stage transition). */
  previousVersion: null | number;
  /** eventId of the RetrainJobEvaluated that decided. */
  evaluationEventId: string;
}

/** The challenger was not promoted; the evaluation says why. */
export interface RetrainJobRejected {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Retrain job id, derived from the request's idempotency key. */
  jobId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Idempotency key of the RetrainRequested that opened the job: one job per key. */
  idempotencyKey: string;
  /** Rejected challenger version. */
  version: number;
  /** eventId of the RetrainJobEvaluated that decided. */
  evaluationEventId: string;
  /** Why, with the numbers. */
  reason: string;
}

/** A retrain job was opened for a RetrainRequested (once per idempotency key). */
export interface RetrainJobRequested {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Retrain job id, derived from the request's idempotency key. */
  jobId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Idempotency key of the RetrainRequested that opened the job: one job per key. */
  idempotencyKey: string;
  /** Model version whose traffic drifted. */
  version: number;
  /** eventId of the RetrainRequested. */
  requestEventId: string;
  /** Event time of the RetrainRequested; the snapshot's label cut-off is derived from it. */
  requestOccurredAt: number;
  /** Drift windows named by the request's evidence (the drifted range). */
  evidenceWindowIds: Array<string>;
  /** Drift event ids named by the request's evidence. */
  evidenceEventIds: Array<string>;
  /** Executor that runs the job: `local` (command template) or `webhook` (CI dispatch). */
  executor: string;
  /** The job times out when it is not finished this long after it was opened (wall clock). */
  timeoutMs: number;
  /** The request's reason. */
  reason: string;
}

/** The training run of the job is known. */
export interface RetrainJobRunLinked {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Retrain job id, derived from the request's idempotency key. */
  jobId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Idempotency key of the RetrainRequested that opened the job: one job per key. */
  idempotencyKey: string;
  /** Tracking run that trained the challenger. */
  runId: string;
}

/** The training snapshot was built and the executor was asked to train on it. */
export interface RetrainJobStarted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Retrain job id, derived from the request's idempotency key. */
  jobId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Idempotency key of the RetrainRequested that opened the job: one job per key. */
  idempotencyKey: string;
  /** Dataset id of the snapshot (DatasetVersionIngested). */
  datasetId: string;
  /** Dataset version of the snapshot. */
  datasetVersion: string;
  /** Where the snapshot file lives in the artifact store. */
  snapshotUri: string;
  /** SHA-256 of the snapshot file. */
  snapshotSha256: string;
  /** Labeled predictions in the snapshot. */
  rowCount: number;
  /** Rows of the snapshot kept out of training for the challenger evaluation. */
  holdoutRows: number;
  /** Only labels observed at or before this event time were joined (point in time). */
  labelCutoffMs: number;
  /** Executor asked to train. */
  executor: string;
}

/** The job did not finish within its timeout; nothing more happens for it. */
export interface RetrainJobTimedOut {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Retrain job id, derived from the request's idempotency key. */
  jobId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Idempotency key of the RetrainRequested that opened the job: one job per key. */
  idempotencyKey: string;
  /** Last step reached. */
  step: string;
  /** The timeout that expired. */
  timeoutMs: number;
}

/** The job's model version was registered and set as @challenger. */
export interface RetrainJobVersionRegistered {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Retrain job id, derived from the request's idempotency key. */
  jobId: string;
  /** Registered model name (the topic key). */
  model: string;
  /** Idempotency key of the RetrainRequested that opened the job: one job per key. */
  idempotencyKey: string;
  /** Registered challenger version. */
  version: number;
  /** Run of the version, if any. */
  runId: null | string;
  /** Artifact URI of the version. */
  artifactUri: string;
}

/** A file or directory the run produced. */
export interface Artifact {
  /** Artifact name or path within the run. */
  name: string;
  /** Where it is stored. */
  uri: string;
  /** SHA-256 of the content, hex. */
  sha256?: null | string;
  /** Size in bytes. */
  size?: null | number;
}

/** An artifact was recorded. */
export interface ArtifactLogged {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Run id (the topic key). */
  runId: string;
  /** The artifact. */
  artifact: Artifact;
}

/** A dataset version a run read. */
export interface DatasetInput {
  /** Dataset id. */
  datasetId: string;
  /** Dataset version label. */
  version: string;
  /** How it was used: training, validation, test, ... */
  context: string;
}

/** Dataset inputs were recorded. */
export interface InputsLogged {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Run id (the topic key). */
  runId: string;
  /** Dataset inputs. */
  inputs: Array<DatasetInput>;
}

/** One metric observation; metrics are append-only. */
export interface Metric {
  /** Metric name (at most 250 characters). */
  key: string;
  /** Observed value (finite). */
  value: number;
  /** Training step or epoch. */
  step?: number;
  /** When it was observed, epoch ms. */
  timestamp: number;
}

/** Metric observations were appended. */
export interface MetricsLogged {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Run id (the topic key). */
  runId: string;
  /** Observations. */
  metrics: Array<Metric>;
}

/** Parameters were logged (only new ones; repeats of the same value are not re-emitted). */
export interface ParamsLogged {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Run id (the topic key). */
  runId: string;
  /** Parameter name to value. */
  params: Record<string, string>;
}

/** A run was marked deleted. */
export interface RunDeleted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Run id (the topic key). */
  runId: string;
}

/** Lifecycle status of a run; FINISHED, FAILED and KILLED are terminal. */
export type RunStatus = 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';

/** The run reached a terminal status. */
export interface RunFinished {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Run id (the topic key). */
  runId: string;
  /** FINISHED, FAILED or KILLED. */
  status: RunStatus;
}

/** A deleted run was restored. */
export interface RunRestored {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Run id (the topic key). */
  runId: string;
}

/** A run started. */
export interface RunStarted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Run id (the topic key). */
  runId: string;
  /** Experiment name. */
  experiment: string;
  /** Display name. */
  name?: null | string;
  /** Initial tags. */
  tags?: Record<string, string>;
  /** Source version of the training code. */
  codeVersion?: null | string;
  /** Always RUNNING. */
  status: RunStatus;
  /** Experiment id; null for runs started by name only (their experiment id is derived from the name). */
  experimentId?: null | string;
}

/** A run tag was removed. */
export interface TagDeleted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Run id (the topic key). */
  runId: string;
  /** Tag key. */
  key: string;
}

/** Tags were set. */
export interface TagsSet {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Id of the command that caused this event. */
  commandId: string;
  /** Who caused the event. */
  actor: string;
  /** Version of the aggregate after this event (1 for the first event of a key). */
  aggregateVersion: number;
  /** Run id (the topic key). */
  runId: string;
  /** Tag name to value. */
  tags: Record<string, string>;
}

/** Mark a run deleted (restorable). */
export interface DeleteRun {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
}

/** Remove a run tag. */
export interface DeleteTag {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
  /** Tag key. */
  key: string;
}

/** End the run with a terminal status. */
export interface FinishRun {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
  /** Terminal status: FINISHED, FAILED or KILLED. */
  status: RunStatus;
}

/** Record an artifact the run produced. */
export interface LogArtifact {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
  /** The artifact. */
  artifact: Artifact;
}

/** Params, metrics and tags of one run in one command, decided all or nothing (MLflow's log-batch). */
export interface LogBatch {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
  /** Params to log (immutable once logged). */
  params?: Record<string, string>;
  /** Metric observations. */
  metrics?: Array<Metric>;
  /** Tags to set (last write wins). */
  tags?: Record<string, string>;
}

/** Record the dataset versions the run reads. */
export interface LogInputs {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
  /** Dataset inputs. */
  inputs: Array<DatasetInput>;
}

/** Append metric observations. */
export interface LogMetrics {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
  /** Observations (at most 1000 a batch). */
  metrics: Array<Metric>;
}

/** Log hyper-parameters; params are immutable once logged. */
export interface LogParams {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
  /** Parameter name to value (at most 100 a batch; value at most 6000 characters). */
  params: Record<string, string>;
}

/** Restore a deleted run. */
export interface RestoreRun {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
}

/** Set tags; last write wins. */
export interface SetTags {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
  /** Tag name to value (at most 100 a batch). */
  tags: Record<string, string>;
}

/** Start a new run in an experiment. */
export interface StartRun {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Client-chosen id of this command; a repeated id is answered with the first outcome and never applied twice. */
  commandId: string;
  /** Who sent the command (the API key name or user), recorded on every resulting event. */
  actor: string;
  /** Optimistic concurrency: the aggregate version the sender last saw; the command is rejected if the aggregate has moved on. Null skips the check. */
  expectedVersion?: null | number;
  /** Run id (the topic key). */
  runId: string;
  /** Experiment name. */
  experiment: string;
  /** Display name. */
  name?: null | string;
  /** Initial tags. */
  tags?: Record<string, string>;
  /** Source version (git sha) of the training code. */
  codeVersion?: null | string;
  /** Experiment id (MLflow clients name experiments by id); null: the experiment is known by name only. */
  experimentId?: null | string;
}

/** The platform's own verdict on a dataset version: its suite in force at ingestion time evaluated against the submitted profile. */
export interface DatasetValidated {
  /** Unique id of this record, derived from the ingestion event id (a re-run writes the same id). */
  eventId: string;
  /** Event time: the ingestion's occurredAt (the time the suite in force is looked up at). */
  occurredAt: number;
  /** Dataset id (the topic key). */
  datasetId: string;
  /** Dataset version label. */
  version: string;
  /** eventId of the DatasetVersionIngested validated. */
  ingestionEventId: string;
  /** Partition of that event in the ingestion topic. */
  ingestionPartition: number;
  /** Offset of that event in the ingestion topic. */
  ingestionOffset: number;
  /** Version of the dataset's suite in force; null when the dataset had none. */
  suiteVersion?: null | number;
  /** The dataset's previous version, the reference of within_training_range, unseen_share_at_most and no_new_columns; null for the first. */
  referenceVersion?: null | string;
  /** passed (every expectation evaluable and passed), failed (at least one evaluable failure), incomplete (no failure, some not evaluable) or no_suite. */
  verdict: string;
  /** True when the verdict is passed (or no_suite). */
  passed: boolean;
  /** Per-expectation results, in suite order. */
  results: Array<ExpectationOutcome>;
  /** The verdict the producer asserted in the ingestion event (validation.passed). */
  producerPassed: boolean;
  /** True when the producer asserted passed but the platform found a failure, or asserted failed while the platform found none. */
  producerDisagrees: boolean;
}

/** One HTTP attempt to deliver a source event to a subscription, successful or not. */
export interface WebhookDeliveryAttempted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Webhook subscription id (the topic key). */
  subscriptionId: string;
  /** The CloudEvent id of the delivery, stable across attempts and redeliveries: `<source event id>:<subscription id>`. Receivers deduplicate on it. */
  deliveryId: string;
  /** Where it was POSTed. */
  url: string;
  /** Topic of the source event, without the deployment prefix. */
  sourceTopic: string;
  /** Partition of the source event. */
  sourcePartition: number;
  /** Offset of the source event. */
  sourceOffset: number;
  /** eventId of the source event. */
  sourceEventId: string;
  /** Avro record name of the source event (the CloudEvent type without its prefix). */
  eventType: string;
  /** Model the source event is about. */
  model: string;
  /** Attempt number for this delivery, from 1 (counting restarts from the last recorded attempt). */
  attempt: number;
  /** `delivered` (2xx) or `failed` (anything else, or no answer). */
  outcome: string;
  /** HTTP status answered, if any. */
  httpStatus?: null | number;
  /** Why it failed, when it failed without an HTTP answer or with a non-2xx one. */
  error?: null | string;
  /** Time from sending the request to its end. */
  durationMs: number;
  /** When the next attempt is due (failed attempts that will be retried). */
  nextAttemptAt?: null | number;
  /** The redelivery request this attempt belongs to, if any. */
  redeliveryId?: null | string;
}

/** A delivery failed every allowed attempt; the deliverer moved on. Redeliver it with POST /v1/webhooks/{id}/redeliver. */
export interface WebhookDeliveryDeadLettered {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Webhook subscription id (the topic key). */
  subscriptionId: string;
  /** The CloudEvent id of the delivery, stable across attempts and redeliveries: `<source event id>:<subscription id>`. Receivers deduplicate on it. */
  deliveryId: string;
  /** Where it was POSTed. */
  url: string;
  /** Topic of the source event, without the deployment prefix. */
  sourceTopic: string;
  /** Partition of the source event. */
  sourcePartition: number;
  /** Offset of the source event. */
  sourceOffset: number;
  /** eventId of the source event. */
  sourceEventId: string;
  /** Avro record name of the source event (the CloudEvent type without its prefix). */
  eventType: string;
  /** Model the source event is about. */
  model: string;
  /** Attempts made. */
  attempts: number;
  /** HTTP status of the last attempt, if any. */
  lastHttpStatus?: null | number;
  /** Error of the last attempt. */
  lastError?: null | string;
}

/** A position in one partition of a source topic. */
export interface WebhookSourceOffset {
  /** Source topic, without the deployment prefix (e.g. mlops.registry.v1). */
  topic: string;
  /** Partition. */
  partition: number;
  /** Offset of the first record to (re)deliver. */
  offset: number;
}

/** Deliveries of a subscription should be sent again from a position (offsets) or from a time. */
export interface WebhookRedeliveryRequested {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Webhook subscription id (the topic key). */
  subscriptionId: string;
  /** Per source partition, the first offset to deliver again; partitions not named keep their position (unless fromTime is set). */
  fromOffsets: Array<WebhookSourceOffset>;
  /** Deliver again every source event appended at or after this time (Kafka log time), on every source partition. */
  fromTime?: null | number;
  /** Who did it: the API key name, or the service. */
  actor: string;
}

/** The deliverer moved a subscription back to the requested position; deliveries from there follow. */
export interface WebhookRedeliveryStarted {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Webhook subscription id (the topic key). */
  subscriptionId: string;
  /** eventId of the WebhookRedeliveryRequested it answers. */
  requestId: string;
  /** The positions the subscription was moved to. */
  positions: Array<WebhookSourceOffset>;
}

/** A webhook subscription was created: matching events are POSTed to its URL as signed CloudEvents. */
export interface WebhookSubscribed {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Webhook subscription id (the topic key). */
  subscriptionId: string;
  /** HTTP(S) endpoint the deliveries are POSTed to. */
  url: string;
  /** Record names delivered (e.g. RetrainRequested); empty means every source type. */
  eventTypes: Array<string>;
  /** Models delivered; empty means every model. */
  models: Array<string>;
  /** HMAC-SHA256 signing secret. Never returned by the API; protect this topic with ACLs. */
  secret: string;
  /** Free text for people. */
  description?: string;
  /** Who did it: the API key name, or the service. */
  actor: string;
  /** Attempts per delivery before it is dead-lettered; null = the deliverer default (MLSTREAM_WEBHOOKS_MAX_ATTEMPTS). */
  maxAttempts?: null | number;
}

/** A webhook subscription was deleted: nothing more is delivered to it. */
export interface WebhookUnsubscribed {
  /** Unique id of this record (UUID); consumers deduplicate on it. */
  eventId: string;
  /** Event time: when the fact happened, in epoch milliseconds (UTC). */
  occurredAt: number;
  /** Webhook subscription id (the topic key). */
  subscriptionId: string;
  /** Who did it: the API key name, or the service. */
  actor: string;
  /** Why, if given. */
  reason?: null | string;
}

/** Every top-level record, by its short name (= the Avro record name). */
export interface RecordTypes {
  ArtifactStored: ArtifactStored;
  LoggedModelRecorded: LoggedModelRecorded;
  CommandAccepted: CommandAccepted;
  CommandRejected: CommandRejected;
  DeadLetter: DeadLetter;
  DriftDetected: DriftDetected;
  DriftMeasured: DriftMeasured;
  LabelsDropped: LabelsDropped;
  DriftStateSnapshot: DriftStateSnapshot;
  ExpectationSuiteDeclared: ExpectationSuiteDeclared;
  DeclareExpectationSuite: DeclareExpectationSuite;
  ExperimentCreated: ExperimentCreated;
  ExperimentDeleted: ExperimentDeleted;
  ExperimentRenamed: ExperimentRenamed;
  ExperimentRestored: ExperimentRestored;
  ExperimentTagsSet: ExperimentTagsSet;
  CreateExperiment: CreateExperiment;
  DeleteExperiment: DeleteExperiment;
  RenameExperiment: RenameExperiment;
  RestoreExperiment: RestoreExperiment;
  SetExperimentTags: SetExperimentTags;
  EntityDefined: EntityDefined;
  FeatureViewDefined: FeatureViewDefined;
  DefineEntity: DefineEntity;
  DefineFeatureView: DefineFeatureView;
  OnlineFeaturesUpdated: OnlineFeaturesUpdated;
  FeatureSkewMeasured: FeatureSkewMeasured;
  FeatureValuesLogged: FeatureValuesLogged;
  LabelObserved: LabelObserved;
  DatasetVersionIngested: DatasetVersionIngested;
  PredictionLogged: PredictionLogged;
  DataQualityFailed: DataQualityFailed;
  DataQualityMeasured: DataQualityMeasured;
  AliasDeleted: AliasDeleted;
  AliasSet: AliasSet;
  ModelTagsSet: ModelTagsSet;
  ModelVersionDeleted: ModelVersionDeleted;
  ModelVersionRegistered: ModelVersionRegistered;
  ModelVersionUpdated: ModelVersionUpdated;
  RegisteredModelCreated: RegisteredModelCreated;
  RegisteredModelDeleted: RegisteredModelDeleted;
  RegisteredModelUpdated: RegisteredModelUpdated;
  StageTransitioned: StageTransitioned;
  CreateRegisteredModel: CreateRegisteredModel;
  DeleteAlias: DeleteAlias;
  DeleteModelVersion: DeleteModelVersion;
  DeleteRegisteredModel: DeleteRegisteredModel;
  RegisterModelVersion: RegisterModelVersion;
  SetAlias: SetAlias;
  SetModelTags: SetModelTags;
  TransitionStage: TransitionStage;
  UpdateModelVersion: UpdateModelVersion;
  UpdateRegisteredModel: UpdateRegisteredModel;
  RetrainRequested: RetrainRequested;
  RetrainJobEvaluated: RetrainJobEvaluated;
  RetrainJobFailed: RetrainJobFailed;
  RetrainJobPromoted: RetrainJobPromoted;
  RetrainJobRejected: RetrainJobRejected;
  RetrainJobRequested: RetrainJobRequested;
  RetrainJobRunLinked: RetrainJobRunLinked;
  RetrainJobStarted: RetrainJobStarted;
  RetrainJobTimedOut: RetrainJobTimedOut;
  RetrainJobVersionRegistered: RetrainJobVersionRegistered;
  ArtifactLogged: ArtifactLogged;
  InputsLogged: InputsLogged;
  MetricsLogged: MetricsLogged;
  ParamsLogged: ParamsLogged;
  RunDeleted: RunDeleted;
  RunFinished: RunFinished;
  RunRestored: RunRestored;
  RunStarted: RunStarted;
  TagDeleted: TagDeleted;
  TagsSet: TagsSet;
  DeleteRun: DeleteRun;
  DeleteTag: DeleteTag;
  FinishRun: FinishRun;
  LogArtifact: LogArtifact;
  LogBatch: LogBatch;
  LogInputs: LogInputs;
  LogMetrics: LogMetrics;
  LogParams: LogParams;
  RestoreRun: RestoreRun;
  SetTags: SetTags;
  StartRun: StartRun;
  DatasetValidated: DatasetValidated;
  WebhookDeliveryAttempted: WebhookDeliveryAttempted;
  WebhookDeliveryDeadLettered: WebhookDeliveryDeadLettered;
  WebhookRedeliveryRequested: WebhookRedeliveryRequested;
  WebhookRedeliveryStarted: WebhookRedeliveryStarted;
  WebhookSubscribed: WebhookSubscribed;
  WebhookUnsubscribed: WebhookUnsubscribed;
}

export type RecordName = keyof RecordTypes;

/** Avro full name of each record; also its CloudEvents `ce_type`. */
export const recordFullNames = {
  ArtifactStored: 'dev.mlstream.artifacts.ArtifactStored',
  LoggedModelRecorded: 'dev.mlstream.artifacts.LoggedModelRecorded',
  CommandAccepted: 'dev.mlstream.commands.CommandAccepted',
  CommandRejected: 'dev.mlstream.commands.CommandRejected',
  DeadLetter: 'dev.mlstream.deadletter.DeadLetter',
  DriftDetected: 'dev.mlstream.drift.DriftDetected',
  DriftMeasured: 'dev.mlstream.drift.DriftMeasured',
  LabelsDropped: 'dev.mlstream.drift.LabelsDropped',
  DriftStateSnapshot: 'dev.mlstream.driftstate.DriftStateSnapshot',
  ExpectationSuiteDeclared: 'dev.mlstream.expectations.ExpectationSuiteDeclared',
  DeclareExpectationSuite: 'dev.mlstream.expectations.commands.DeclareExpectationSuite',
  ExperimentCreated: 'dev.mlstream.experiments.ExperimentCreated',
  ExperimentDeleted: 'dev.mlstream.experiments.ExperimentDeleted',
  ExperimentRenamed: 'dev.mlstream.experiments.ExperimentRenamed',
  ExperimentRestored: 'dev.mlstream.experiments.ExperimentRestored',
  ExperimentTagsSet: 'dev.mlstream.experiments.ExperimentTagsSet',
  CreateExperiment: 'dev.mlstream.experiments.commands.CreateExperiment',
  DeleteExperiment: 'dev.mlstream.experiments.commands.DeleteExperiment',
  RenameExperiment: 'dev.mlstream.experiments.commands.RenameExperiment',
  RestoreExperiment: 'dev.mlstream.experiments.commands.RestoreExperiment',
  SetExperimentTags: 'dev.mlstream.experiments.commands.SetExperimentTags',
  EntityDefined: 'dev.mlstream.features.EntityDefined',
  FeatureViewDefined: 'dev.mlstream.features.FeatureViewDefined',
  DefineEntity: 'dev.mlstream.features.commands.DefineEntity',
  DefineFeatureView: 'dev.mlstream.features.commands.DefineFeatureView',
  OnlineFeaturesUpdated: 'dev.mlstream.featureonline.OnlineFeaturesUpdated',
  FeatureSkewMeasured: 'dev.mlstream.featureskew.FeatureSkewMeasured',
  FeatureValuesLogged: 'dev.mlstream.features.FeatureValuesLogged',
  LabelObserved: 'dev.mlstream.feedback.LabelObserved',
  DatasetVersionIngested: 'dev.mlstream.ingestion.DatasetVersionIngested',
  PredictionLogged: 'dev.mlstream.predictions.PredictionLogged',
  DataQualityFailed: 'dev.mlstream.quality.DataQualityFailed',
  DataQualityMeasured: 'dev.mlstream.quality.DataQualityMeasured',
  AliasDeleted: 'dev.mlstream.registry.AliasDeleted',
  AliasSet: 'dev.mlstream.registry.AliasSet',
  ModelTagsSet: 'dev.mlstream.registry.ModelTagsSet',
  ModelVersionDeleted: 'dev.mlstream.registry.ModelVersionDeleted',
  ModelVersionRegistered: 'dev.mlstream.registry.ModelVersionRegistered',
  ModelVersionUpdated: 'dev.mlstream.registry.ModelVersionUpdated',
  RegisteredModelCreated: 'dev.mlstream.registry.RegisteredModelCreated',
  RegisteredModelDeleted: 'dev.mlstream.registry.RegisteredModelDeleted',
  RegisteredModelUpdated: 'dev.mlstream.registry.RegisteredModelUpdated',
  StageTransitioned: 'dev.mlstream.registry.StageTransitioned',
  CreateRegisteredModel: 'dev.mlstream.registry.commands.CreateRegisteredModel',
  DeleteAlias: 'dev.mlstream.registry.commands.DeleteAlias',
  DeleteModelVersion: 'dev.mlstream.registry.commands.DeleteModelVersion',
  DeleteRegisteredModel: 'dev.mlstream.registry.commands.DeleteRegisteredModel',
  RegisterModelVersion: 'dev.mlstream.registry.commands.RegisterModelVersion',
  SetAlias: 'dev.mlstream.registry.commands.SetAlias',
  SetModelTags: 'dev.mlstream.registry.commands.SetModelTags',
  TransitionStage: 'dev.mlstream.registry.commands.TransitionStage',
  UpdateModelVersion: 'dev.mlstream.registry.commands.UpdateModelVersion',
  UpdateRegisteredModel: 'dev.mlstream.registry.commands.UpdateRegisteredModel',
  RetrainRequested: 'dev.mlstream.retrain.RetrainRequested',
  RetrainJobEvaluated: 'dev.mlstream.retrainjobs.RetrainJobEvaluated',
  RetrainJobFailed: 'dev.mlstream.retrainjobs.RetrainJobFailed',
  RetrainJobPromoted: 'dev.mlstream.retrainjobs.RetrainJobPromoted',
  RetrainJobRejected: 'dev.mlstream.retrainjobs.RetrainJobRejected',
  RetrainJobRequested: 'dev.mlstream.retrainjobs.RetrainJobRequested',
  RetrainJobRunLinked: 'dev.mlstream.retrainjobs.RetrainJobRunLinked',
  RetrainJobStarted: 'dev.mlstream.retrainjobs.RetrainJobStarted',
  RetrainJobTimedOut: 'dev.mlstream.retrainjobs.RetrainJobTimedOut',
  RetrainJobVersionRegistered: 'dev.mlstream.retrainjobs.RetrainJobVersionRegistered',
  ArtifactLogged: 'dev.mlstream.runs.ArtifactLogged',
  InputsLogged: 'dev.mlstream.runs.InputsLogged',
  MetricsLogged: 'dev.mlstream.runs.MetricsLogged',
  ParamsLogged: 'dev.mlstream.runs.ParamsLogged',
  RunDeleted: 'dev.mlstream.runs.RunDeleted',
  RunFinished: 'dev.mlstream.runs.RunFinished',
  RunRestored: 'dev.mlstream.runs.RunRestored',
  RunStarted: 'dev.mlstream.runs.RunStarted',
  TagDeleted: 'dev.mlstream.runs.TagDeleted',
  TagsSet: 'dev.mlstream.runs.TagsSet',
  DeleteRun: 'dev.mlstream.runs.commands.DeleteRun',
  DeleteTag: 'dev.mlstream.runs.commands.DeleteTag',
  FinishRun: 'dev.mlstream.runs.commands.FinishRun',
  LogArtifact: 'dev.mlstream.runs.commands.LogArtifact',
  LogBatch: 'dev.mlstream.runs.commands.LogBatch',
  LogInputs: 'dev.mlstream.runs.commands.LogInputs',
  LogMetrics: 'dev.mlstream.runs.commands.LogMetrics',
  LogParams: 'dev.mlstream.runs.commands.LogParams',
  RestoreRun: 'dev.mlstream.runs.commands.RestoreRun',
  SetTags: 'dev.mlstream.runs.commands.SetTags',
  StartRun: 'dev.mlstream.runs.commands.StartRun',
  DatasetValidated: 'dev.mlstream.validation.DatasetValidated',
  WebhookDeliveryAttempted: 'dev.mlstream.webhookdeliveries.WebhookDeliveryAttempted',
  WebhookDeliveryDeadLettered: 'dev.mlstream.webhookdeliveries.WebhookDeliveryDeadLettered',
  WebhookRedeliveryRequested: 'dev.mlstream.webhooks.WebhookRedeliveryRequested',
  WebhookRedeliveryStarted: 'dev.mlstream.webhooks.WebhookRedeliveryStarted',
  WebhookSubscribed: 'dev.mlstream.webhooks.WebhookSubscribed',
  WebhookUnsubscribed: 'dev.mlstream.webhooks.WebhookUnsubscribed',
} as const satisfies Record<RecordName, string>;
