import { describe, expect, it } from 'vitest';
import type { Envelope, EventDraft, RecordTypes } from '@mlstream/kit';
import { spec } from '@mlstream/kit/testing';
import { finalMetrics, runDecider, type RunCommand, type RunEvent } from './run.ts';
import { runLimits } from './limits.ts';

const cmd = { eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'alice', expectedVersion: null, runId: 'r1' };
const command = <K extends RunCommand>(type: K, value: Omit<RecordTypes[K], keyof typeof cmd>): Envelope<RunCommand> => ({ type, value: { ...cmd, ...value } }) as unknown as Envelope<RunCommand>;
const event = <K extends RunEvent>(type: K, value: Omit<RecordTypes[K], 'eventId' | 'occurredAt' | 'commandId' | 'actor' | 'aggregateVersion' | 'runId'>): EventDraft<RunEvent> =>
  ({ type, value: { runId: 'r1', ...value } }) as unknown as EventDraft<RunEvent>;

const started = event('RunStarted', { experiment: 'exp', name: null, tags: { team: 'a' }, codeVersion: 'abc', status: 'RUNNING', experimentId: null });
const params = event('ParamsLogged', { params: { lr: '0.01' } });
const metric = (key: string, value: number, step: number, timestamp: number) => ({ key, value, step, timestamp });
const run = spec(runDecider);

/** One valid command of every type but StartRun, for rules that apply to all of them. */
const everyChange = () => [
  command('LogParams', { params: { a: '1' } }),
  command('LogMetrics', { metrics: [metric('acc', 1, 0, 1)] }),
  command('SetTags', { tags: { a: '1' } }),
  command('LogInputs', { inputs: [{ datasetId: 'd1', version: 'v1', context: 'training' }] }),
  command('LogArtifact', { artifact: { name: 'm', uri: 's3://m', sha256: null, size: null } }),
  command('FinishRun', { status: 'KILLED' }),
];

describe('Run decider', () => {
  describe('StartRun', () => {
    it('starts a RUNNING run with its initial tags', () => {
      const when = run.given([]).when(command('StartRun', { experiment: 'exp', name: null, tags: { team: 'a' }, codeVersion: 'abc' }));
      when.then([started]);
      expect(run.given([started]).state).toMatchObject({ status: 'RUNNING', experiment: 'exp', tags: { team: 'a' } });
    });
    it('rejects a second start, even of a finished run: RUN_ALREADY_EXISTS', () => {
      run.given([started]).when(command('StartRun', { experiment: 'exp', name: null, tags: {}, codeVersion: null })).thenRejects('RUN_ALREADY_EXISTS', { runId: 'r1' });
      run.given([started, event('RunFinished', { status: 'FAILED' })]).when(command('StartRun', { experiment: 'exp', name: null, tags: {}, codeVersion: null })).thenRejects('RUN_ALREADY_EXISTS', { status: 'FAILED' });
    });
    it('rejects an empty experiment: INVALID_COMMAND', () => {
      run.given([]).when(command('StartRun', { experiment: '', name: null, tags: {}, codeVersion: null })).thenRejects('INVALID_COMMAND');
    });
    it('checks initial tags against the tag limits: LIMIT_EXCEEDED', () => {
      run.given([]).when(command('StartRun', { experiment: 'exp', name: null, tags: { note: 'x'.repeat(runLimits.tagValueLength + 1) }, codeVersion: null })).thenRejects('LIMIT_EXCEEDED', { field: 'tags.note' });
    });
  });

  it('rejects every other command on a missing run: RUN_NOT_FOUND', () => {
    for (const c of everyChange()) run.given([]).when(c).thenRejects('RUN_NOT_FOUND', { runId: 'r1' });
  });

  describe('params are immutable', () => {
    it('logs new params', () => {
      run.given([started]).when(command('LogParams', { params: { lr: '0.01', depth: '6' } })).then([event('ParamsLogged', { params: { lr: '0.01', depth: '6' } })]);
    });
    it('accepts the same value again and records only the params that are new', () => {
      run.given([started, params]).when(command('LogParams', { params: { lr: '0.01', depth: '6' } })).then([event('ParamsLogged', { params: { depth: '6' } })]);
    });
    it('accepts a pure repeat with no event at all', () => {
      run.given([started, params]).when(command('LogParams', { params: { lr: '0.01' } })).then([]);
    });
    it('rejects a different value with key, old and new: PARAM_IMMUTABLE', () => {
      run.given([started, params]).when(command('LogParams', { params: { depth: '6', lr: '0.1' } })).thenRejects('PARAM_IMMUTABLE', { key: 'lr', old: '0.01', new: '0.1' });
    });
    it('folds params into the state', () => {
      expect(run.given([started, params, event('ParamsLogged', { params: { depth: '6' } })]).state.params).toEqual({ lr: '0.01', depth: '6' });
    });
  });

  describe('metrics are append-only', () => {
    it('records every observation, repeated keys and steps included', () => {
      const metrics = [metric('acc', 0.9, 3, 30), metric('acc', 0.8, 3, 31), metric('loss', 0.1, 3, 30)];
      run.given([started]).when(command('LogMetrics', { metrics })).then([event('MetricsLogged', { metrics })]);
      expect(run.given([started, event('MetricsLogged', { metrics }), event('MetricsLogged', { metrics })]).state.metricCount).toBe(6);
    });
    it('rejects NaN and infinite values: INVALID_COMMAND', () => {
      for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        run.given([started]).when(command('LogMetrics', { metrics: [metric('ok', 1, 0, 1), metric('acc', value, 0, 1)] })).thenRejects('INVALID_COMMAND', { key: 'acc', value: String(value) });
      }
    });
  });

  describe('finalMetrics: the latest value per key, by step then timestamp', () => {
    it('prefers the higher step over the later timestamp', () => {
      const state = run.given([started, event('MetricsLogged', { metrics: [metric('acc', 0.7, 2, 10)] }), event('MetricsLogged', { metrics: [metric('acc', 0.5, 1, 20), metric('loss', 0.3, 1, 20)] })]).state;
      expect(finalMetrics(state)).toEqual({ acc: 0.7, loss: 0.3 });
    });
    it('breaks a step tie by timestamp, and a full tie by log order', () => {
      const state = run.given([started, event('MetricsLogged', { metrics: [metric('acc', 0.2, 1, 20), metric('acc', 0.1, 1, 10), metric('f1', 0.4, 1, 5)] }), event('MetricsLogged', { metrics: [metric('f1', 0.6, 1, 5)] })]).state;
      expect(finalMetrics(state)).toEqual({ acc: 0.2, f1: 0.6 });
    });
    it('is empty for a run without metrics', () => {
      expect(finalMetrics(run.given([started]).state)).toEqual({});
    });
  });

  describe('tags are last-write-wins', () => {
    it('records a tag batch and lets later values win', () => {
      run.given([started]).when(command('SetTags', { tags: { team: 'c' } })).then([event('TagsSet', { tags: { team: 'c' } })]);
      expect(run.given([started, event('TagsSet', { tags: { team: 'b', owner: 'x' } }), event('TagsSet', { tags: { owner: 'y' } })]).state.tags).toEqual({ team: 'b', owner: 'y' });
    });
  });

  describe('inputs and artifacts are recorded', () => {
    const inputs = [{ datasetId: 'd1', version: 'v3', context: 'training' }];
    const artifact = { name: 'model.pkl', uri: 's3://b/model.pkl', sha256: null, size: 10 };
    it('records dataset inputs', () => {
      run.given([started]).when(command('LogInputs', { inputs })).then([event('InputsLogged', { inputs })]);
      expect(run.given([started, event('InputsLogged', { inputs })]).state.inputs).toEqual(inputs);
    });
    it('records an artifact', () => {
      run.given([started]).when(command('LogArtifact', { artifact })).then([event('ArtifactLogged', { artifact })]);
      expect(run.given([started, event('ArtifactLogged', { artifact })]).state.artifacts).toBe(1);
    });
    it('rejects no inputs, an input without a version, and an artifact without a uri: INVALID_COMMAND', () => {
      run.given([started]).when(command('LogInputs', { inputs: [] })).thenRejects('INVALID_COMMAND');
      run.given([started]).when(command('LogInputs', { inputs: [{ datasetId: 'd1', version: '', context: 'test' }] })).thenRejects('INVALID_COMMAND', { datasetId: 'd1' });
      run.given([started]).when(command('LogArtifact', { artifact: { ...artifact, uri: '' } })).thenRejects('INVALID_COMMAND');
    });
  });

  describe('RUNNING → FINISHED | FAILED | KILLED is terminal', () => {
    it('finishes a run with each terminal status', () => {
      for (const status of ['FINISHED', 'FAILED', 'KILLED'] as const) {
        run.given([started]).when(command('FinishRun', { status })).then([event('RunFinished', { status })]);
        expect(run.given([started, event('RunFinished', { status })]).state.status).toBe(status);
      }
    });
    it('accepts FinishRun to RUNNING on a running run as a no-op (MLflow update_run sends it with a new name)', () => {
      run.given([started]).when(command('FinishRun', { status: 'RUNNING' })).then([]);
    });
    it('accepts finishing again with the same status, recording nothing', () => {
      run.given([started, event('RunFinished', { status: 'KILLED' })]).when(command('FinishRun', { status: 'KILLED' })).then([]);
    });
    it('rejects every change but tags to a terminal run, RUNNING again included: RUN_TERMINAL', () => {
      for (const status of ['FINISHED', 'FAILED'] as const) {
        const changes = [...everyChange().filter((c) => c.type !== 'SetTags'), command('FinishRun', { status: 'RUNNING' })];
        for (const c of changes) run.given([started, event('RunFinished', { status })]).when(c).thenRejects('RUN_TERMINAL', { runId: 'r1', status });
      }
    });
    it('keeps tags editable after the run ended (a rename is the mlflow.runName tag)', () => {
      run.given([started, event('RunFinished', { status: 'FINISHED' })]).when(command('SetTags', { tags: { 'mlflow.runName': 'best' } })).then([event('TagsSet', { tags: { 'mlflow.runName': 'best' } })]);
    });
  });

  describe("MLflow's limits", () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    const metrics = (n: number) => Array.from({ length: n }, (_, i) => metric('m', i, i, i));
    it('accepts batches at the limit', () => {
      run.given([started]).when(command('LogParams', { params: many(runLimits.paramsPerBatch) })).then([event('ParamsLogged', { params: many(runLimits.paramsPerBatch) })]);
      run.given([started]).when(command('SetTags', { tags: many(runLimits.tagsPerBatch) })).then([event('TagsSet', { tags: many(runLimits.tagsPerBatch) })]);
      run.given([started]).when(command('LogMetrics', { metrics: metrics(runLimits.metricsPerBatch) })).then([event('MetricsLogged', { metrics: metrics(runLimits.metricsPerBatch) })]);
    });
    it('rejects batches over the limit: LIMIT_EXCEEDED with field, limit and actual', () => {
      run.given([started]).when(command('LogParams', { params: many(101) })).thenRejects('LIMIT_EXCEEDED', { field: 'params', limit: '100', actual: '101' });
      run.given([started]).when(command('SetTags', { tags: many(101) })).thenRejects('LIMIT_EXCEEDED', { field: 'tags', limit: '100', actual: '101' });
      run.given([started]).when(command('LogMetrics', { metrics: metrics(1001) })).thenRejects('LIMIT_EXCEEDED', { field: 'metrics', limit: '1000', actual: '1001' });
    });
    it('rejects keys over 250 characters, for params, tags and metrics: LIMIT_EXCEEDED', () => {
      const key = 'k'.repeat(runLimits.keyLength + 1);
      run.given([started]).when(command('LogParams', { params: { [key]: 'v' } })).thenRejects('LIMIT_EXCEEDED', { field: 'params.key', limit: '250', actual: '251' });
      run.given([started]).when(command('SetTags', { tags: { [key]: 'v' } })).thenRejects('LIMIT_EXCEEDED', { field: 'tags.key' });
      run.given([started]).when(command('LogMetrics', { metrics: [metric(key, 1, 0, 1)] })).thenRejects('LIMIT_EXCEEDED', { field: 'metrics.key' });
      run.given([started]).when(command('LogParams', { params: { ['k'.repeat(runLimits.keyLength)]: 'v' } })).then([event('ParamsLogged', { params: { ['k'.repeat(runLimits.keyLength)]: 'v' } })]);
    });
    it('rejects param values over 6000 and tag values over 5000 characters: LIMIT_EXCEEDED', () => {
      run.given([started]).when(command('LogParams', { params: { lr: 'x'.repeat(6001) } })).thenRejects('LIMIT_EXCEEDED', { field: 'params.lr', limit: '6000', actual: '6001' });
      run.given([started]).when(command('SetTags', { tags: { note: 'x'.repeat(5001) } })).thenRejects('LIMIT_EXCEEDED', { field: 'tags.note', limit: '5000', actual: '5001' });
      run.given([started]).when(command('LogParams', { params: { lr: 'x'.repeat(6000) } })).then([event('ParamsLogged', { params: { lr: 'x'.repeat(6000) } })]);
      run.given([started]).when(command('SetTags', { tags: { note: 'x'.repeat(5000) } })).then([event('TagsSet', { tags: { note: 'x'.repeat(5000) } })]);
    });
    it('checks limits before immutability, so an oversized batch changes nothing', () => {
      run.given([started, params]).when(command('LogParams', { params: { ...many(100), lr: 'other' } })).thenRejects('LIMIT_EXCEEDED', { field: 'params' });
    });
    it('rejects empty batches and empty keys: INVALID_COMMAND', () => {
      run.given([started]).when(command('LogParams', { params: {} })).thenRejects('INVALID_COMMAND', { field: 'params' });
      run.given([started]).when(command('SetTags', { tags: {} })).thenRejects('INVALID_COMMAND', { field: 'tags' });
      run.given([started]).when(command('LogMetrics', { metrics: [] })).thenRejects('INVALID_COMMAND', { field: 'metrics' });
      run.given([started]).when(command('SetTags', { tags: { '': 'v' } })).thenRejects('INVALID_COMMAND', { field: 'tags.key' });
    });
  });

  describe('delete and restore (MLflow lifecycle stage)', () => {
    const deleted = event('RunDeleted', {});
    it('deletes a run in any status and restores it; repeats record nothing', () => {
      run.given([started]).when(command('DeleteRun', {})).then([deleted]);
      run.given([started, event('RunFinished', { status: 'FINISHED' })]).when(command('DeleteRun', {})).then([deleted]);
      run.given([started, deleted]).when(command('DeleteRun', {})).then([]);
      run.given([started, deleted]).when(command('RestoreRun', {})).then([event('RunRestored', {})]);
      run.given([started]).when(command('RestoreRun', {})).then([]);
      expect(run.given([started, deleted]).state.deleted).toBe(true);
      expect(run.given([started, deleted, event('RunRestored', {})]).state.deleted).toBe(false);
    });
    it('refuses changes to a deleted run until it is restored: RUN_DELETED', () => {
      for (const c of everyChange()) run.given([started, deleted]).when(c).thenRejects('RUN_DELETED', { runId: 'r1' });
      run.given([started, deleted, event('RunRestored', {})]).when(command('SetTags', { tags: { a: '1' } })).then([event('TagsSet', { tags: { a: '1' } })]);
    });
    it('answers RUN_NOT_FOUND for a run never started', () => {
      run.given([]).when(command('DeleteRun', {})).thenRejects('RUN_NOT_FOUND');
    });
  });

  describe('DeleteTag', () => {
    it('removes a tag, also of a finished run', () => {
      run.given([started]).when(command('DeleteTag', { key: 'team' })).then([event('TagDeleted', { key: 'team' })]);
      run.given([started, event('RunFinished', { status: 'FINISHED' })]).when(command('DeleteTag', { key: 'team' })).then([event('TagDeleted', { key: 'team' })]);
      expect(run.given([started, event('TagDeleted', { key: 'team' })]).state.tags).toEqual({});
    });
    it('rejects a tag that is not set: TAG_NOT_FOUND', () => {
      run.given([started, event('TagDeleted', { key: 'team' })]).when(command('DeleteTag', { key: 'team' })).thenRejects('TAG_NOT_FOUND', { key: 'team' });
    });
  });

  describe('repeated metric observations', () => {
    const logged = event('MetricsLogged', { metrics: [metric('acc', 0.9, 2, 100)] });
    it('records an observation identical to the key latest one once (a retry, or MLflow 3 log_model re-sending metrics)', () => {
      run.given([started, logged]).when(command('LogMetrics', { metrics: [metric('acc', 0.9, 2, 100)] })).then([]);
      run.given([started]).when(command('LogMetrics', { metrics: [metric('acc', 0.9, 2, 100), metric('acc', 0.9, 2, 100)] })).then([event('MetricsLogged', { metrics: [metric('acc', 0.9, 2, 100)] })]);
    });
    it('keeps observations that differ in value, step or timestamp', () => {
      const changed = [metric('acc', 0.8, 2, 100), metric('acc', 0.9, 3, 100), metric('acc', 0.9, 2, 101)];
      for (const m of changed) run.given([started, logged]).when(command('LogMetrics', { metrics: [m] })).then([event('MetricsLogged', { metrics: [m] })]);
    });
  });

  describe('LogBatch (MLflow log-batch): all or nothing', () => {
    it('records params, metrics and tags of one batch together, in that order', () => {
      run.given([started]).when(command('LogBatch', { params: { depth: '6' }, metrics: [metric('acc', 0.9, 1, 10)], tags: { t: 'x' } })).then([
        event('ParamsLogged', { params: { depth: '6' } }),
        event('MetricsLogged', { metrics: [metric('acc', 0.9, 1, 10)] }),
        event('TagsSet', { tags: { t: 'x' } }),
      ]);
    });
    it('refuses the whole batch when one param would change: PARAM_IMMUTABLE, nothing recorded', () => {
      run.given([started, params]).when(command('LogBatch', { params: { lr: '0.02' }, metrics: [metric('acc', 0.9, 1, 10)], tags: { t: 'x' } })).thenRejects('PARAM_IMMUTABLE', { key: 'lr' });
    });
    it('checks every part against the limits and the run state', () => {
      run.given([started]).when(command('LogBatch', { params: {}, metrics: [metric('acc', Number.NaN, 1, 10)], tags: {} })).thenRejects('INVALID_COMMAND');
      run.given([started]).when(command('LogBatch', { params: {}, metrics: [], tags: { ['k'.repeat(251)]: 'v' } })).thenRejects('LIMIT_EXCEEDED');
      run.given([started, event('RunFinished', { status: 'FINISHED' })]).when(command('LogBatch', { params: {}, metrics: [metric('acc', 1, 1, 1)], tags: {} })).thenRejects('RUN_TERMINAL');
    });
    it('records only what is new: repeated params and an empty batch record nothing', () => {
      run.given([started, params]).when(command('LogBatch', { params: { lr: '0.01' }, metrics: [], tags: {} })).then([]);
      run.given([started]).when(command('LogBatch', { params: {}, metrics: [], tags: {} })).then([]);
    });
  });
});
