import type { DatasetInput, FeatureCatalog, RunStatus, Stage } from '@mlstream/kit';

/**
 * The gateway's read view: every experiment, run, registered model, logged
 * model and artifact path, folded in memory from the event topics
 * (experiments, runs, registry, artifacts) by one topic follower per gateway
 * process. It answers MLflow's reads and the `/v1` entity reads with
 * read-your-writes (docs/read-your-writes.md): a read first awaits
 * `barrier()`, which resolves once every event this gateway acknowledged
 * (and any positions the client passed) has been applied.
 *
 * Times are epoch milliseconds. Maps are plain objects; lists are sorted as
 * each comment says. Nothing returned may be mutated by callers.
 */

/** A record's coordinates: the consistency token is a list of these. */
export interface Position {
  topic: string;
  partition: number;
  /** Offset of the record itself (the view has passed it once it applied it). */
  offset: string | number;
}

export type LifecycleStage = 'active' | 'deleted';

export interface ExperimentView {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  tags: Record<string, string>;
  creationTime: number;
  lastUpdateTime: number;
  /** False for experiments known only because `/v1` runs named them (never created explicitly). */
  explicit: boolean;
}

export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

export interface RunView {
  runId: string;
  experimentId: string;
  /** MLflow's run name: the `mlflow.runName` tag if set, else the name given at start, else ''. */
  runName: string;
  status: RunStatus;
  startTime: number;
  endTime: number | null;
  lifecycleStage: LifecycleStage;
  /** The actor of RunStarted (MLflow's user_id). */
  userId: string;
  /** `mlflow-artifacts:/<experimentId>/<runId>/artifacts` unless the experiment says otherwise. */
  artifactUri: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** Latest observation per key (highest step, then latest timestamp), as the run decider defines it. */
  latestMetrics: Record<string, MetricPoint>;
  inputs: DatasetInput[];
  /** RunStarted.codeVersion (mlstream's own attribute `code_version`). */
  codeVersion: string | null;
  /** Logged models whose source run is this run, in creation order. */
  loggedModelIds: string[];
  /** Where RunStarted is in Kafka. */
  startedAt: Position;
  /** Aggregate version after the last event (the processor's expectedVersion). */
  version: number;
}

export interface ModelVersionView {
  model: string;
  version: number;
  runId: string | null;
  /** The artifact URI given at registration (MLflow's `source`). */
  source: string;
  stage: Stage;
  description: string;
  tags: Record<string, string>;
  /** Aliases pointing at this version, sorted. */
  aliases: string[];
  userId: string;
  creationTime: number;
  lastUpdatedTime: number;
}

export interface RegisteredModelView {
  name: string;
  description: string;
  tags: Record<string, string>;
  /** Alias → version. */
  aliases: Record<string, number>;
  /** Live versions (deleted ones are gone), ascending. */
  versions: ModelVersionView[];
  creationTime: number;
  lastUpdatedTime: number;
}

export interface LoggedModelView {
  modelId: string;
  experimentId: string;
  runId: string | null;
  name: string;
  artifactLocation: string;
  status: string;
  modelType: string | null;
  source: string | null;
  params: Record<string, string>;
  tags: Record<string, string>;
  creationTime: number;
  lastUpdatedTime: number;
}

export interface StoredArtifact {
  /** Path as the mlflow-artifacts API names it: `<experimentId>/<runId>/artifacts/model/MLmodel`. */
  path: string;
  size: number;
  sha256: string;
  uri: string;
  storedAt: number;
}

export interface ReadView {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Records positions this gateway acknowledged to a client (command result events, facts it produced). */
  written(positions: readonly Position[]): void;
  /**
   * Resolves once the view has applied every position passed to `written`
   * before this call, and `extra` (a client's consistency token); rejects
   * with KAFKA_UNAVAILABLE after `timeoutMs` (default: the command timeout).
   */
  barrier(extra?: readonly Position[], timeoutMs?: number): Promise<void>;
  /**
   * Whether a run was ever started: a run the view holds answers at once; an
   * unseen one only after the view has applied every event this gateway
   * answered for and `extra` (the client's consistency token), and has read
   * its topics to their committed end as it is NOW. So a run whose StartRun
   * this gateway answered, or whose token the client passes, is never
   * refused; one answered by another gateway without a token is refused only
   * in the instant between its result's commit marker and its event's
   * (Kafka writes a commit's markers partition by partition).
   */
  runStarted(runId: string, timeoutMs: number, extra?: readonly Position[]): Promise<boolean>;

  experiment(experimentId: string): ExperimentView | undefined;
  experimentByName(name: string): ExperimentView | undefined;
  /** Every experiment (the default `0` included), by creation time then id. */
  experiments(): ExperimentView[];

  run(runId: string): RunView | undefined;
  /** Runs of these experiments (all when omitted), unordered. */
  runs(experimentIds?: readonly string[]): RunView[];
  /** Every observation of one metric of one run, in the order logged. */
  metricHistory(runId: string, key: string): MetricPoint[];

  model(name: string): RegisteredModelView | undefined;
  /** Live registered models, by name. */
  models(): RegisteredModelView[];

  loggedModel(modelId: string): LoggedModelView | undefined;
  loggedModels(experimentIds?: readonly string[]): LoggedModelView[];

  /** Feature entities and views, every version (from mlops.feature-definitions.v1). */
  featureCatalog(): FeatureCatalog;

  /** The artifact last stored at exactly this path. */
  artifact(path: string): StoredArtifact | undefined;
  /** Artifacts whose path starts with `prefix/` (or all under the root when prefix is ''), by path. */
  artifactsUnder(prefix: string): StoredArtifact[];
}
