import type { Decider, Decision, Envelope, Rejection, RunStatus } from '@mlstream/kit';
import { runLimits } from './limits.ts';

export type RunCommand = 'StartRun' | 'LogParams' | 'LogMetrics' | 'SetTags' | 'LogInputs' | 'LogArtifact' | 'FinishRun';
export type RunEvent = 'RunStarted' | 'ParamsLogged' | 'MetricsLogged' | 'TagsSet' | 'InputsLogged' | 'ArtifactLogged' | 'RunFinished';

export interface LatestMetric {
  value: number;
  step: number;
  timestamp: number;
}

export interface RunState {
  status: RunStatus | 'NONE';
  experiment: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  /** Latest observation per metric key (highest step, then timestamp). */
  latest: Record<string, LatestMetric>;
  metricCount: number;
  inputs: Array<{ datasetId: string; version: string; context: string }>;
  artifacts: number;
}

export const initialRunState: RunState = { status: 'NONE', experiment: '', params: {}, tags: {}, latest: {}, metricCount: 0, inputs: [], artifacts: 0 };

const reject = (code: Rejection['code'], message: string, details?: Record<string, string>): Decision<RunEvent> => ({ rejection: { code, message, details } });

/** The first key over the length limit, or a batch over its size limit. */
function limitProblem(kind: 'params' | 'tags' | 'metrics', keys: string[], values: string[] = []): Decision<RunEvent> | undefined {
  const max = kind === 'params' ? runLimits.paramsPerBatch : kind === 'tags' ? runLimits.tagsPerBatch : runLimits.metricsPerBatch;
  if (keys.length > max) return reject('LIMIT_EXCEEDED', `${keys.length} ${kind} in one batch; at most ${max}`, { field: kind, limit: String(max), actual: String(keys.length) });
  const longKey = keys.find((k) => k.length > runLimits.keyLength || k.length === 0);
  if (longKey !== undefined) {
    return reject('LIMIT_EXCEEDED', `${kind} key of ${longKey.length} characters; keys have 1 to ${runLimits.keyLength}`, { field: `${kind}.key`, limit: String(runLimits.keyLength), actual: String(longKey.length) });
  }
  const valueLimit = kind === 'params' ? runLimits.paramValueLength : runLimits.tagValueLength;
  const longValue = values.findIndex((v) => v.length > valueLimit);
  if (kind !== 'metrics' && longValue >= 0) {
    return reject('LIMIT_EXCEEDED', `${kind}.${keys[longValue]} value has ${values[longValue]!.length} characters; at most ${valueLimit}`, { field: `${kind}.${keys[longValue]}`, limit: String(valueLimit), actual: String(values[longValue]!.length) });
  }
  return undefined;
}

const isLater = (m: { step?: number; timestamp: number }, seen: LatestMetric | undefined) =>
  !seen || (m.step ?? 0) > seen.step || ((m.step ?? 0) === seen.step && m.timestamp >= seen.timestamp);

/**
 * The Run aggregate: params immutable, metrics append-only, tags
 * last-write-wins, RUNNING → FINISHED | FAILED | KILLED terminal.
 */
export const runDecider: Decider<RunCommand, RunEvent, RunState> = {
  aggregate: 'run',
  initialState: initialRunState,

  decide(command, state) {
    const runId = command.value.runId;
    if (command.type === 'StartRun') {
      if (state.status !== 'NONE') return reject('RUN_ALREADY_EXISTS', `run ${runId} already exists`, { runId });
      if (!runId || !command.value.experiment) return reject('INVALID_COMMAND', 'runId and experiment must not be empty');
      const tags = command.value.tags ?? {};
      const problem = limitProblem('tags', Object.keys(tags), Object.values(tags));
      if (problem) return problem;
      const { experiment, name = null, codeVersion = null } = command.value;
      return { events: [{ type: 'RunStarted', value: { runId, experiment, name, tags, codeVersion, status: 'RUNNING' } }] };
    }
    if (state.status === 'NONE') return reject('RUN_NOT_FOUND', `no run ${runId}`, { runId });
    if (state.status !== 'RUNNING') return reject('RUN_TERMINAL', `run ${runId} is ${state.status}; it accepts no more changes`, { runId, status: state.status });

    switch (command.type) {
      case 'LogParams': {
        const params = command.value.params;
        const problem = limitProblem('params', Object.keys(params), Object.values(params));
        if (problem) return problem;
        const fresh: Record<string, string> = {};
        for (const [key, value] of Object.entries(params)) {
          const old = state.params[key];
          if (old === undefined) fresh[key] = value;
          else if (old !== value) return reject('PARAM_IMMUTABLE', `param ${key} is ${JSON.stringify(old)}; it cannot become ${JSON.stringify(value)}`, { key, old, new: value });
        }
        // Repeating known values is accepted and changes nothing.
        return { events: Object.keys(fresh).length ? [{ type: 'ParamsLogged', value: { runId, params: fresh } }] : [] };
      }
      case 'LogMetrics': {
        const metrics = command.value.metrics;
        if (!metrics.length) return reject('INVALID_COMMAND', 'LogMetrics needs at least one metric');
        const problem = limitProblem('metrics', metrics.map((m) => m.key));
        if (problem) return problem;
        const bad = metrics.find((m) => !Number.isFinite(m.value));
        if (bad) return reject('INVALID_COMMAND', `metric ${bad.key} is ${bad.value}; metrics must be finite`, { key: bad.key });
        return { events: [{ type: 'MetricsLogged', value: { runId, metrics } }] };
      }
      case 'SetTags': {
        const tags = command.value.tags;
        const problem = limitProblem('tags', Object.keys(tags), Object.values(tags));
        if (problem) return problem;
        return { events: [{ type: 'TagsSet', value: { runId, tags } }] };
      }
      case 'LogInputs': {
        if (!command.value.inputs.length) return reject('INVALID_COMMAND', 'LogInputs needs at least one input');
        return { events: [{ type: 'InputsLogged', value: { runId, inputs: command.value.inputs } }] };
      }
      case 'LogArtifact': {
        const { artifact } = command.value;
        if (!artifact.name || !artifact.uri) return reject('INVALID_COMMAND', 'an artifact needs a name and a uri');
        return { events: [{ type: 'ArtifactLogged', value: { runId, artifact } }] };
      }
      case 'FinishRun': {
        if (command.value.status === 'RUNNING') return reject('INVALID_COMMAND', 'FinishRun needs FINISHED, FAILED or KILLED', { status: 'RUNNING' });
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
        for (const m of event.value.metrics) if (isLater(m, latest[m.key])) latest[m.key] = { value: m.value, step: m.step ?? 0, timestamp: m.timestamp };
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
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  },
};

/** Final value per metric key: the observation with the highest step, then the latest timestamp. */
export const finalMetrics = (state: RunState): Record<string, number> => Object.fromEntries(Object.entries(state.latest).map(([k, m]) => [k, m.value]));

export type RunEnvelope = Envelope<RunEvent>;
