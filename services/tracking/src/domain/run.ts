import type { DatasetInput, Decider, Decision, Envelope, EventDraft, Rejection, RunStatus } from '@mlstream/kit';
import { batchProblem } from './limits.ts';

export type RunCommand = 'StartRun' | 'LogParams' | 'LogMetrics' | 'SetTags' | 'LogInputs' | 'LogArtifact' | 'FinishRun' | 'DeleteRun' | 'RestoreRun' | 'DeleteTag' | 'LogBatch';
export type RunEvent = 'RunStarted' | 'ParamsLogged' | 'MetricsLogged' | 'TagsSet' | 'InputsLogged' | 'ArtifactLogged' | 'RunFinished' | 'RunDeleted' | 'RunRestored' | 'TagDeleted';

export interface LatestMetric {
  value: number;
  step: number;
  timestamp: number;
}

export interface RunState {
  /** NONE until RunStarted; FINISHED, FAILED and KILLED are terminal. */
  status: RunStatus | 'NONE';
  experiment: string;
  /** MLflow's lifecycle stage: a deleted run keeps its data, refuses changes, and can be restored. */
  deleted: boolean;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** Latest observation per metric key (highest step, then timestamp); the full series lives in the log. */
  latest: Record<string, LatestMetric>;
  metricCount: number;
  inputs: DatasetInput[];
  artifacts: number;
}

export const initialRunState: RunState = { status: 'NONE', experiment: '', deleted: false, params: {}, tags: {}, latest: {}, metricCount: 0, inputs: [], artifacts: 0 };

const reject = (code: Rejection['code'], message: string, details?: Record<string, string>): Decision<RunEvent> => ({ rejection: { code, message, details } });
const rejection = (r: Rejection): Decision<RunEvent> => ({ rejection: r });

/** Whether observation `m` supersedes `seen` as a key's final value: higher step, then later or equal timestamp (so the last logged wins ties). */
export const isLaterObservation = (m: { step?: number; timestamp: number }, seen: LatestMetric | undefined): boolean =>
  !seen || (m.step ?? 0) > seen.step || ((m.step ?? 0) === seen.step && m.timestamp >= seen.timestamp);

function decideStart(command: Envelope<'StartRun'>, state: RunState): Decision<RunEvent> {
  const { runId, experiment, name = null, codeVersion = null, experimentId = null } = command.value;
  if (state.status !== 'NONE') return reject('RUN_ALREADY_EXISTS', `run ${runId} already exists (${state.status})`, { runId, status: state.status });
  if (!runId || !experiment) return reject('INVALID_COMMAND', 'runId and experiment must not be empty');
  const tags = command.value.tags ?? {};
  // Initial tags are optional, so only a non-empty set is checked against the limits.
  const problem = Object.keys(tags).length ? batchProblem('tags', Object.entries(tags)) : undefined;
  if (problem) return rejection(problem);
  return { events: [{ type: 'RunStarted', value: { runId, experiment, name, tags, codeVersion, status: 'RUNNING', experimentId } }] };
}

function decideParams(runId: string, params: Record<string, string>, state: RunState): Decision<RunEvent> {
  const problem = batchProblem('params', Object.entries(params));
  if (problem) return rejection(problem);
  const fresh: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    const old = state.params[key];
    if (old === undefined) fresh[key] = value;
    else if (old !== value) return reject('PARAM_IMMUTABLE', `param ${key} is ${JSON.stringify(old)}; it cannot become ${JSON.stringify(value)}`, { key, old, new: value });
  }
  // Repeating known values (a retried client) is accepted; only what is new is recorded, possibly nothing.
  return { events: Object.keys(fresh).length ? [{ type: 'ParamsLogged', value: { runId, params: fresh } }] : [] };
}

const sameObservation = (m: { value: number; step?: number; timestamp: number }, seen: LatestMetric | undefined): boolean =>
  seen !== undefined && seen.value === m.value && seen.step === (m.step ?? 0) && seen.timestamp === m.timestamp;

function decideMetrics(runId: string, metrics: Envelope<'LogMetrics'>['value']['metrics'], state: RunState): Decision<RunEvent> {
  const problem = batchProblem('metrics', metrics.map((m) => [m.key, undefined]));
  if (problem) return rejection(problem);
  // Avro can carry NaN and ±Infinity; the gateway rejects them, this guards every other producer.
  const bad = metrics.find((m) => !Number.isFinite(m.value));
  if (bad) return reject('INVALID_COMMAND', `metric ${bad.key} is ${bad.value}; metric values must be finite`, { key: bad.key, value: String(bad.value) });
  // An observation identical to its key's latest one (value, step and timestamp) is a repeat, recorded once:
  // a retried client, or MLflow 3's log_model sending the run's metrics again with the model id (as MLflow's store, which keys
  // metrics by all four fields, keeps one).
  const latest: Record<string, LatestMetric> = { ...state.latest };
  const fresh = metrics.filter((m) => {
    if (sameObservation(m, latest[m.key])) return false;
    if (isLaterObservation(m, latest[m.key])) latest[m.key] = { value: m.value, step: m.step ?? 0, timestamp: m.timestamp };
    return true;
  });
  return { events: fresh.length ? [{ type: 'MetricsLogged', value: { runId, metrics: fresh } }] : [] };
}

/**
 * MLflow's log-batch as one decision: the params, metrics and tags are
 * checked like their own commands and recorded together, or the whole batch
 * is refused (a changed param refuses the metrics beside it too).
 */
function decideBatch(command: Envelope<'LogBatch'>, state: RunState): Decision<RunEvent> {
  const { runId, params = {}, metrics = [], tags = {} } = command.value;
  const hasParams = Object.keys(params).length > 0;
  const hasTags = Object.keys(tags).length > 0;
  if (!hasParams && !metrics.length && !hasTags) return { events: [] };
  const parts = [hasParams ? decideParams(runId, params, state) : undefined, metrics.length ? decideMetrics(runId, metrics, state) : undefined];
  const events: Array<EventDraft<RunEvent>> = [];
  for (const part of parts) {
    if (!part) continue;
    if ('rejection' in part) return part;
    events.push(...part.events);
  }
  if (hasTags) {
    const problem = batchProblem('tags', Object.entries(tags));
    if (problem) return rejection(problem);
    events.push({ type: 'TagsSet', value: { runId, tags } });
  }
  return { events };
}

/**
 * The Run aggregate, keyed by run id: params immutable, metrics append-only,
 * tags last-write-wins, RUNNING → FINISHED | FAILED | KILLED terminal, and
 * MLflow's limits (limits.ts). Deduplication of command ids and
 * expectedVersion are the runtime's.
 */
export const runDecider: Decider<RunCommand, RunEvent, RunState, undefined> = {
  aggregate: 'run',
  initialState: initialRunState,

  decide(command, state) {
    if (command.type === 'StartRun') return decideStart(command, state);
    const runId = command.value.runId;
    if (state.status === 'NONE') return reject('RUN_NOT_FOUND', `no run ${runId}`, { runId });
    // Deleting and restoring are lifecycle moves, allowed in any status; repeating one changes nothing.
    if (command.type === 'DeleteRun') return { events: state.deleted ? [] : [{ type: 'RunDeleted', value: { runId } }] };
    if (command.type === 'RestoreRun') return { events: state.deleted ? [{ type: 'RunRestored', value: { runId } }] : [] };
    if (state.deleted) return reject('RUN_DELETED', `run ${runId} is deleted; restore it first`, { runId });
    if (command.type === 'DeleteTag') {
      // Like SetTags below: allowed on finished runs.
      const { key } = command.value;
      if (state.tags[key] === undefined) return reject('TAG_NOT_FOUND', `run ${runId} has no tag ${JSON.stringify(key)}`, { runId, key });
      return { events: [{ type: 'TagDeleted', value: { runId, key } }] };
    }
    if (command.type === 'SetTags') {
      // Tags annotate a run (its name is the mlflow.runName tag), so they stay editable after it ends, as in MLflow.
      const problem = batchProblem('tags', Object.entries(command.value.tags));
      if (problem) return rejection(problem);
      return { events: [{ type: 'TagsSet', value: { runId, tags: command.value.tags } }] };
    }
    if (command.type === 'FinishRun' && state.status === command.value.status) return { events: [] };
    if (state.status !== 'RUNNING') return reject('RUN_TERMINAL', `run ${runId} is ${state.status}; it accepts no more changes`, { runId, status: state.status });

    switch (command.type) {
      case 'LogParams':
        return decideParams(runId, command.value.params, state);
      case 'LogMetrics':
        return decideMetrics(runId, command.value.metrics, state);
      case 'LogBatch':
        return decideBatch(command, state);
      case 'LogInputs': {
        const { inputs } = command.value;
        if (!inputs.length) return reject('INVALID_COMMAND', 'LogInputs needs at least one input', { field: 'inputs' });
        const bad = inputs.find((i) => !i.datasetId || !i.version);
        if (bad) return reject('INVALID_COMMAND', 'each input needs a datasetId and a version', { field: 'inputs', datasetId: bad.datasetId });
        return { events: [{ type: 'InputsLogged', value: { runId, inputs } }] };
      }
      case 'LogArtifact': {
        const { artifact } = command.value;
        if (!artifact.name || !artifact.uri) return reject('INVALID_COMMAND', 'an artifact needs a name and a uri', { field: 'artifact' });
        return { events: [{ type: 'ArtifactLogged', value: { runId, artifact } }] };
      }
      case 'FinishRun': {
        // Asking a running run to be RUNNING changes nothing (MLflow's update_run sends it when only the name changes).
        if (command.value.status === 'RUNNING') return { events: [] };
        return { events: [{ type: 'RunFinished', value: { runId, status: command.value.status } }] };
      }
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'RunStarted':
        return { ...state, status: 'RUNNING', experiment: event.value.experiment, tags: { ...(event.value.tags ?? {}) } };
      case 'ParamsLogged':
        return { ...state, params: { ...state.params, ...event.value.params } };
      case 'MetricsLogged': {
        const latest = { ...state.latest };
        for (const m of event.value.metrics) if (isLaterObservation(m, latest[m.key])) latest[m.key] = { value: m.value, step: m.step ?? 0, timestamp: m.timestamp };
        return { ...state, latest, metricCount: state.metricCount + event.value.metrics.length };
      }
      case 'TagsSet':
        return { ...state, tags: { ...state.tags, ...event.value.tags } };
      case 'InputsLogged':
        return { ...state, inputs: [...state.inputs, ...event.value.inputs] };
      case 'ArtifactLogged':
        return { ...state, artifacts: state.artifacts + 1 };
      case 'RunFinished':
        return { ...state, status: event.value.status };
      case 'RunDeleted':
        return { ...state, deleted: true };
      case 'RunRestored':
        return { ...state, deleted: false };
      case 'TagDeleted': {
        const { [event.value.key]: _removed, ...tags } = state.tags;
        return { ...state, tags };
      }
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  },
};

/** Final value per metric key (highest step, then latest timestamp): what promotion gates compare. */
export const finalMetrics = (state: RunState): Record<string, number> => Object.fromEntries(Object.entries(state.latest).map(([k, m]) => [k, m.value]));

export type RunEnvelope = Envelope<RunEvent>;
