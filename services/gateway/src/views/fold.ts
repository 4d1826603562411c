import { DEFAULT_EXPERIMENT, emptyFeatureCatalog, experimentIdOf, foldDefinition, type DecodedEvent, type FeatureCatalog } from '@mlstream/kit';
import { createMetricSeries, type MetricSeries } from './series.ts';
import type { ExperimentView, LoggedModelView, MetricPoint, ModelVersionView, Position, RegisteredModelView, RunView, StoredArtifact } from './types.ts';

/** A decoded record with its coordinates: what the fold consumes. */
export type FoldInput = DecodedEvent extends infer E ? (E extends DecodedEvent ? Pick<E, 'type' | 'value' | 'topic' | 'partition' | 'offset'> : never) : never;

/**
 * Everything the read view knows, folded from the event topics. The maps are
 * mutated by `apply`, but every view object in them is replaced, never
 * changed, when an event touches it, so an object a reader holds stays as it
 * was when it was read.
 */
export interface ViewState {
  experiments: Map<string, ExperimentView>;
  /** Current name → experiment id (renames move the entry). */
  experimentIds: Map<string, string>;
  runs: Map<string, RunView>;
  /** Run id → metric key → every observation, in log order. */
  histories: Map<string, Map<string, MetricSeries>>;
  models: Map<string, RegisteredModelView>;
  loggedModels: Map<string, LoggedModelView>;
  /** Logged model ids whose run has not been seen yet (the artifacts topic may run ahead of the runs topic). */
  pendingLoggedModels: Map<string, string[]>;
  artifacts: Map<string, StoredArtifact>;
  /** RunStarted.name per run: the `mlflow.runName` tag wins over it, and deleting the tag brings it back. */
  startNames: Map<string, string>;
  /** Feature entities and views, every version (docs/features.md). */
  features: FeatureCatalog;
  /** `topic:partition` → next offset to apply (every offset below it has been applied). */
  applied: Map<string, number>;
}

export const defaultArtifactLocation = (experimentId: string): string => `mlflow-artifacts:/${experimentId}`;
export const runArtifactUri = (artifactLocation: string, runId: string): string => `${artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`;

const defaultExperiment = (): ExperimentView => ({
  experimentId: DEFAULT_EXPERIMENT.id,
  name: DEFAULT_EXPERIMENT.name,
  artifactLocation: defaultArtifactLocation(DEFAULT_EXPERIMENT.id),
  lifecycleStage: 'active',
  tags: {},
  creationTime: 0,
  lastUpdateTime: 0,
  explicit: true,
});

export function initialViewState(): ViewState {
  const state: ViewState = {
    experiments: new Map(),
    experimentIds: new Map(),
    runs: new Map(),
    histories: new Map(),
    models: new Map(),
    loggedModels: new Map(),
    pendingLoggedModels: new Map(),
    artifacts: new Map(),
    startNames: new Map(),
    features: emptyFeatureCatalog(),
    applied: new Map(),
  };
  putExperiment(state, defaultExperiment());
  return state;
}

export const tpOf = (topic: string, partition: number): string => `${topic}:${partition}`;

/** Marks an offset as passed (also for records the view skips: they are behind it). */
export function advance(state: ViewState, topic: string, partition: number, offset: string | number): void {
  const tp = tpOf(topic, partition);
  const next = Number(offset) + 1;
  if (next > (state.applied.get(tp) ?? 0)) state.applied.set(tp, next);
}

/** Whether every position has been applied. */
export const passed = (state: ViewState, positions: Iterable<Position>): boolean => {
  for (const p of positions) if ((state.applied.get(tpOf(p.topic, p.partition)) ?? 0) <= Number(p.offset)) return false;
  return true;
};

function putExperiment(state: ViewState, next: ExperimentView): void {
  const previous = state.experiments.get(next.experimentId);
  if (previous && previous.name !== next.name && state.experimentIds.get(previous.name) === previous.experimentId) state.experimentIds.delete(previous.name);
  state.experiments.set(next.experimentId, next);
  state.experimentIds.set(next.name, next.experimentId);
}

function updateExperiment(state: ViewState, experimentId: string, at: number, change: (e: ExperimentView) => Partial<ExperimentView>): void {
  const e = state.experiments.get(experimentId);
  if (!e) return;
  putExperiment(state, { ...e, ...change(e), lastUpdateTime: at });
}

function updateRun(state: ViewState, runId: string, version: number, change: (r: RunView) => Partial<RunView>): void {
  const r = state.runs.get(runId);
  if (!r) return;
  const next = { ...r, ...change(r), version };
  next.runName = next.tags['mlflow.runName'] ?? state.startNames.get(runId) ?? '';
  state.runs.set(runId, next);
}


const isLater = (m: MetricPoint, seen: MetricPoint | undefined): boolean => !seen || m.step > seen.step || (m.step === seen.step && m.timestamp >= seen.timestamp);

function updateModel(state: ViewState, name: string, at: number, change: (m: RegisteredModelView) => Partial<RegisteredModelView>): void {
  const m = state.models.get(name);
  if (!m) return;
  state.models.set(name, { ...m, ...change(m), lastUpdatedTime: at });
}

function updateVersion(state: ViewState, name: string, version: number, at: number, change: (v: ModelVersionView) => Partial<ModelVersionView>): void {
  updateModel(state, name, at, (m) => ({
    versions: m.versions.map((v) => (v.version === version ? { ...v, ...change(v), lastUpdatedTime: at } : v)),
  }));
}

const withoutKeys = (tags: Record<string, string>, removed: readonly string[] = []): Record<string, string> => {
  const out = { ...tags };
  for (const k of removed) delete out[k];
  return out;
};

/** Folds one event into the state. Pure apart from mutating `state`: no I/O, no clock. */
export function apply(state: ViewState, event: FoldInput): void {
  applyEvent(state, event);
  advance(state, event.topic, event.partition, event.offset);
}

function applyEvent(state: ViewState, event: FoldInput): void {
  switch (event.type) {
    // Experiments
    case 'ExperimentCreated': {
      const v = event.value;
      putExperiment(state, {
        experimentId: v.experimentId,
        name: v.name,
        artifactLocation: v.artifactLocation || defaultArtifactLocation(v.experimentId),
        lifecycleStage: 'active',
        tags: { ...(v.tags ?? {}) },
        creationTime: v.occurredAt,
        lastUpdateTime: v.occurredAt,
        explicit: true,
      });
      return;
    }
    case 'ExperimentRenamed':
      return updateExperiment(state, event.value.experimentId, event.value.occurredAt, () => ({ name: event.value.name }));
    case 'ExperimentDeleted':
      return updateExperiment(state, event.value.experimentId, event.value.occurredAt, () => ({ lifecycleStage: 'deleted' }));
    case 'ExperimentRestored':
      return updateExperiment(state, event.value.experimentId, event.value.occurredAt, () => ({ lifecycleStage: 'active' }));
    case 'ExperimentTagsSet':
      return updateExperiment(state, event.value.experimentId, event.value.occurredAt, (e) => ({ tags: { ...withoutKeys(e.tags, event.value.removed), ...(event.value.tags ?? {}) } }));

    // Runs
    case 'RunStarted': {
      const v = event.value;
      const experimentId = v.experimentId ?? experimentIdOf(v.experiment);
      let experiment = state.experiments.get(experimentId);
      if (!experiment) {
        // A /v1 run naming an experiment nobody created: the experiment exists implicitly.
        experiment = {
          experimentId,
          name: v.experiment,
          artifactLocation: defaultArtifactLocation(experimentId),
          lifecycleStage: 'active',
          tags: {},
          creationTime: v.occurredAt,
          lastUpdateTime: v.occurredAt,
          explicit: false,
        };
        putExperiment(state, experiment);
      }
      const tags = { ...(v.tags ?? {}) };
      if (v.name) state.startNames.set(v.runId, v.name);
      state.runs.set(v.runId, {
        runId: v.runId,
        experimentId,
        runName: tags['mlflow.runName'] ?? v.name ?? '',
        status: v.status,
        startTime: v.occurredAt,
        endTime: null,
        lifecycleStage: 'active',
        userId: v.actor,
        artifactUri: runArtifactUri(experiment.artifactLocation, v.runId),
        params: {},
        tags,
        latestMetrics: {},
        inputs: [],
        codeVersion: v.codeVersion ?? null,
        loggedModelIds: state.pendingLoggedModels.get(v.runId) ?? [],
        startedAt: { topic: event.topic, partition: event.partition, offset: event.offset },
        version: v.aggregateVersion,
      });
      state.pendingLoggedModels.delete(v.runId);
      return;
    }
    case 'ParamsLogged':
      return updateRun(state, event.value.runId, event.value.aggregateVersion, (r) => ({ params: { ...r.params, ...event.value.params } }));
    case 'MetricsLogged': {
      const v = event.value;
      if (!state.runs.has(v.runId)) return;
      let series = state.histories.get(v.runId);
      if (!series) state.histories.set(v.runId, (series = new Map()));
      return updateRun(state, v.runId, v.aggregateVersion, (r) => {
        const latestMetrics = { ...r.latestMetrics };
        for (const m of v.metrics) {
          let history = series.get(m.key);
          if (!history) series.set(m.key, (history = createMetricSeries(m.key)));
          const point: MetricPoint = { key: history.key, value: m.value, step: m.step ?? 0, timestamp: m.timestamp };
          history.push(point.value, point.step, point.timestamp);
          if (isLater(point, latestMetrics[m.key])) latestMetrics[m.key] = point;
        }
        return { latestMetrics };
      });
    }
    case 'TagsSet':
      return updateRun(state, event.value.runId, event.value.aggregateVersion, (r) => ({ tags: { ...r.tags, ...event.value.tags } }));
    case 'TagDeleted':
      return updateRun(state, event.value.runId, event.value.aggregateVersion, (r) => ({ tags: withoutKeys(r.tags, [event.value.key]) }));
    case 'InputsLogged':
      return updateRun(state, event.value.runId, event.value.aggregateVersion, (r) => {
        const seen = new Set(r.inputs.map((i) => `${i.datasetId}\0${i.version}\0${i.context}`));
        const added = event.value.inputs.filter((i) => !seen.has(`${i.datasetId}\0${i.version}\0${i.context}`));
        return { inputs: [...r.inputs, ...added.map((i) => ({ datasetId: i.datasetId, version: i.version, context: i.context }))] };
      });
    case 'ArtifactLogged':
      return updateRun(state, event.value.runId, event.value.aggregateVersion, () => ({}));
    case 'RunFinished':
      return updateRun(state, event.value.runId, event.value.aggregateVersion, (r) =>
        event.value.status === 'RUNNING' ? {} : { status: event.value.status, endTime: r.endTime ?? event.value.occurredAt },
      );
    case 'RunDeleted':
      return updateRun(state, event.value.runId, event.value.aggregateVersion, () => ({ lifecycleStage: 'deleted' }));
    case 'RunRestored':
      return updateRun(state, event.value.runId, event.value.aggregateVersion, () => ({ lifecycleStage: 'active' }));

    // Registry
    case 'RegisteredModelCreated': {
      const v = event.value;
      state.models.set(v.model, { name: v.model, description: v.description ?? '', tags: { ...(v.tags ?? {}) }, aliases: {}, versions: [], creationTime: v.occurredAt, lastUpdatedTime: v.occurredAt });
      return;
    }
    case 'RegisteredModelUpdated':
      return updateModel(state, event.value.model, event.value.occurredAt, () => ({ description: event.value.description ?? '' }));
    case 'RegisteredModelDeleted':
      state.models.delete(event.value.model);
      return;
    case 'ModelVersionRegistered': {
      const v = event.value;
      if (!state.models.has(v.model)) {
        // RegisterModelVersion creates the model implicitly (the /v1 way).
        state.models.set(v.model, { name: v.model, description: '', tags: {}, aliases: {}, versions: [], creationTime: v.occurredAt, lastUpdatedTime: v.occurredAt });
      }
      const version: ModelVersionView = {
        model: v.model,
        version: v.version,
        runId: v.runId ?? null,
        source: v.artifactUri,
        stage: v.stage,
        description: v.description ?? '',
        tags: { ...(v.tags ?? {}) },
        aliases: [],
        userId: v.actor,
        creationTime: v.occurredAt,
        lastUpdatedTime: v.occurredAt,
      };
      return updateModel(state, v.model, v.occurredAt, (m) => ({ versions: [...m.versions.filter((x) => x.version !== v.version), version].sort((a, b) => a.version - b.version) }));
    }
    case 'StageTransitioned':
      return updateVersion(state, event.value.model, event.value.version, event.value.occurredAt, () => ({ stage: event.value.toStage }));
    case 'ModelVersionUpdated':
      return updateVersion(state, event.value.model, event.value.version, event.value.occurredAt, () => ({ description: event.value.description ?? '' }));
    case 'ModelVersionDeleted':
      return updateModel(state, event.value.model, event.value.occurredAt, (m) => ({
        versions: m.versions.filter((v) => v.version !== event.value.version),
        aliases: Object.fromEntries(Object.entries(m.aliases).filter(([, version]) => version !== event.value.version)),
      }));
    case 'ModelTagsSet': {
      const v = event.value;
      if (v.version === null || v.version === undefined) {
        return updateModel(state, v.model, v.occurredAt, (m) => ({ tags: { ...withoutKeys(m.tags, v.removed), ...(v.tags ?? {}) } }));
      }
      return updateVersion(state, v.model, v.version, v.occurredAt, (x) => ({ tags: { ...withoutKeys(x.tags, v.removed), ...(v.tags ?? {}) } }));
    }
    case 'AliasSet':
    case 'AliasDeleted': {
      const v = event.value;
      const set = event.type === 'AliasSet';
      return updateModel(state, v.model, v.occurredAt, (m) => {
        const aliases = { ...m.aliases };
        if (set) aliases[v.alias] = v.version;
        else delete aliases[v.alias];
        const versions = m.versions.map((x) => {
          const names = Object.entries(aliases)
            .filter(([, n]) => n === x.version)
            .map(([a]) => a)
            .sort();
          return names.join('\0') === x.aliases.join('\0') ? x : { ...x, aliases: names };
        });
        return { aliases, versions };
      });
    }

    // Artifacts
    case 'ArtifactStored': {
      const v = event.value;
      state.artifacts.set(v.path, { path: v.path, size: v.size, sha256: v.sha256, uri: v.uri, storedAt: v.occurredAt });
      return;
    }
    case 'LoggedModelRecorded': {
      const v = event.value;
      const previous = state.loggedModels.get(v.modelId);
      state.loggedModels.set(v.modelId, {
        modelId: v.modelId,
        experimentId: v.experimentId,
        runId: v.runId ?? null,
        name: v.name,
        artifactLocation: v.artifactLocation,
        status: v.status,
        modelType: v.modelType ?? null,
        source: v.source ?? null,
        params: { ...(v.params ?? {}) },
        tags: { ...(v.tags ?? {}) },
        creationTime: previous?.creationTime ?? v.createdAt,
        lastUpdatedTime: v.occurredAt,
      });
      if (v.runId && !previous?.runId) {
        const run = state.runs.get(v.runId);
        if (run) {
          if (!run.loggedModelIds.includes(v.modelId)) state.runs.set(v.runId, { ...run, loggedModelIds: [...run.loggedModelIds, v.modelId] });
        } else {
          const pending = state.pendingLoggedModels.get(v.runId) ?? [];
          if (!pending.includes(v.modelId)) state.pendingLoggedModels.set(v.runId, [...pending, v.modelId]);
        }
      }
      return;
    }
    case 'EntityDefined':
    case 'FeatureViewDefined':
      foldDefinition(state.features, event);
      return;
    default:
      // Records of other topics (commands, results) never reach the view; nothing to fold.
      return;
  }
}
