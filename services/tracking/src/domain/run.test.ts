import { describe, expect, it } from 'vitest';
import { spec, stamped, type Envelope, type RecordTypes } from '@mlstream/kit';
import { finalMetrics, runDecider, type RunCommand, type RunEvent } from './run.ts';
import { runLimits } from './limits.ts';

const cmd = { eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'alice', expectedVersion: null, runId: 'r1' };
const command = <K extends RunCommand>(type: K, value: Omit<RecordTypes[K], keyof typeof cmd>): Envelope<RunCommand> => ({ type, value: { ...cmd, ...value } }) as unknown as Envelope<RunCommand>;
const started = stamped<RunEvent>({ type: 'RunStarted', value: { runId: 'r1', experiment: 'exp', name: null, tags: { team: 'a' }, codeVersion: 'abc', status: 'RUNNING' } }, 1);
const params = stamped<RunEvent>({ type: 'ParamsLogged', value: { runId: 'r1', params: { lr: '0.01' } } }, 2);
const finished = stamped<RunEvent>({ type: 'RunFinished', value: { runId: 'r1', status: 'FINISHED' } }, 3);
const run = spec(runDecider);

describe('Run decider', () => {
  describe('StartRun', () => {
    it('starts a run', () => {
      run.given([]).when(command('StartRun', { experiment: 'exp', name: null, tags: { team: 'a' }, codeVersion: 'abc' })).then([
        { type: 'RunStarted', value: { runId: 'r1', experiment: 'exp', name: null, tags: { team: 'a' }, codeVersion: 'abc', status: 'RUNNING' } },
      ]);
    });
    it('rejects a second start: RUN_ALREADY_EXISTS', () => {
      run.given([started]).when(command('StartRun', { experiment: 'exp', name: null, tags: {}, codeVersion: null })).thenRejects('RUN_ALREADY_EXISTS');
    });
    it('rejects an empty experiment: INVALID_COMMAND', () => {
      run.given([]).when(command('StartRun', { experiment: '', name: null, tags: {}, codeVersion: null })).thenRejects('INVALID_COMMAND');
    });
  });

  it('rejects any command on a missing run: RUN_NOT_FOUND', () => {
    run.given([]).when(command('LogParams', { params: { a: '1' } })).thenRejects('RUN_NOT_FOUND', { runId: 'r1' });
  });

  describe('params are immutable', () => {
    it('logs new params', () => {
      run.given([started]).when(command('LogParams', { params: { lr: '0.01', depth: '6' } })).then([{ type: 'ParamsLogged', value: { runId: 'r1', params: { lr: '0.01', depth: '6' } } }]);
    });
    it('accepts the same value again and emits only what is new', () => {
      run.given([started, params]).when(command('LogParams', { params: { lr: '0.01', depth: '6' } })).then([{ type: 'ParamsLogged', value: { runId: 'r1', params: { depth: '6' } } }]);
      run.given([started, params]).when(command('LogParams', { params: { lr: '0.01' } })).then([]);
    });
    it('rejects a different value: PARAM_IMMUTABLE with old and new', () => {
      run.given([started, params]).when(command('LogParams', { params: { lr: '0.1' } })).thenRejects('PARAM_IMMUTABLE', { key: 'lr', old: '0.01', new: '0.1' });
    });
  });

  describe('metrics are append-only', () => {
    it('appends metrics and keeps the latest by step then timestamp', () => {
      const m1 = stamped<RunEvent>({ type: 'MetricsLogged', value: { runId: 'r1', metrics: [{ key: 'acc', value: 0.7, step: 2, timestamp: 10 }] } }, 2);
      const m2 = stamped<RunEvent>({ type: 'MetricsLogged', value: { runId: 'r1', metrics: [{ key: 'acc', value: 0.5, step: 1, timestamp: 20 }, { key: 'loss', value: 0.3, step: 1, timestamp: 20 }] } }, 3);
      const state = run.given([started, m1, m2]).state;
      expect(finalMetrics(state)).toEqual({ acc: 0.7, loss: 0.3 });
      expect(state.metricCount).toBe(3);
      run.given([started]).when(command('LogMetrics', { metrics: [{ key: 'acc', value: 0.9, step: 3, timestamp: 30 }] })).then([{ type: 'MetricsLogged', value: { runId: 'r1', metrics: [{ key: 'acc', value: 0.9, step: 3, timestamp: 30 }] } }]);
    });
    it('rejects a non-finite value and an empty batch: INVALID_COMMAND', () => {
      run.given([started]).when(command('LogMetrics', { metrics: [{ key: 'acc', value: Number.NaN, step: 0, timestamp: 1 }] })).thenRejects('INVALID_COMMAND', { key: 'acc' });
      run.given([started]).when(command('LogMetrics', { metrics: [] })).thenRejects('INVALID_COMMAND');
    });
  });

  it('sets tags last-write-wins', () => {
    const t = stamped<RunEvent>({ type: 'TagsSet', value: { runId: 'r1', tags: { team: 'b', owner: 'x' } } }, 2);
    expect(run.given([started, t]).state.tags).toEqual({ team: 'b', owner: 'x' });
    run.given([started, t]).when(command('SetTags', { tags: { team: 'c' } })).then([{ type: 'TagsSet', value: { runId: 'r1', tags: { team: 'c' } } }]);
  });

  it('records inputs and artifacts', () => {
    const inputs = [{ datasetId: 'd1', version: 'v3', context: 'training' }];
    run.given([started]).when(command('LogInputs', { inputs })).then([{ type: 'InputsLogged', value: { runId: 'r1', inputs } }]);
    run.given([started]).when(command('LogInputs', { inputs: [] })).thenRejects('INVALID_COMMAND');
    const artifact = { name: 'model.pkl', uri: 's3://b/model.pkl', sha256: null, size: 10 };
    run.given([started]).when(command('LogArtifact', { artifact })).then([{ type: 'ArtifactLogged', value: { runId: 'r1', artifact } }]);
    run.given([started]).when(command('LogArtifact', { artifact: { ...artifact, uri: '' } })).thenRejects('INVALID_COMMAND');
  });

  describe('terminal statuses', () => {
    it('finishes a run', () => {
      run.given([started]).when(command('FinishRun', { status: 'FAILED' })).then([{ type: 'RunFinished', value: { runId: 'r1', status: 'FAILED' } }]);
    });
    it('rejects FinishRun to RUNNING: INVALID_COMMAND', () => {
      run.given([started]).when(command('FinishRun', { status: 'RUNNING' })).thenRejects('INVALID_COMMAND');
    });
    it('rejects every change after the end: RUN_TERMINAL', () => {
      for (const c of [command('LogParams', { params: { a: '1' } }), command('SetTags', { tags: { a: '1' } }), command('FinishRun', { status: 'KILLED' })]) {
        run.given([started, finished]).when(c).thenRejects('RUN_TERMINAL', { status: 'FINISHED' });
      }
    });
  });

  describe("MLflow's limits: LIMIT_EXCEEDED", () => {
    const many = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
    it('params, tags and metrics per batch', () => {
      run.given([started]).when(command('LogParams', { params: many(runLimits.paramsPerBatch + 1) })).thenRejects('LIMIT_EXCEEDED', { field: 'params', actual: '101' });
      run.given([started]).when(command('SetTags', { tags: many(runLimits.tagsPerBatch + 1) })).thenRejects('LIMIT_EXCEEDED', { field: 'tags' });
      const metrics = Array.from({ length: runLimits.metricsPerBatch + 1 }, (_, i) => ({ key: 'm', value: i, step: i, timestamp: i }));
      run.given([started]).when(command('LogMetrics', { metrics })).thenRejects('LIMIT_EXCEEDED', { field: 'metrics', limit: '1000' });
      run.given([started]).when(command('LogParams', { params: many(runLimits.paramsPerBatch) })).then([{ type: 'ParamsLogged', value: { runId: 'r1', params: many(100) } }]);
    });
    it('key and value lengths', () => {
      run.given([started]).when(command('LogParams', { params: { ['k'.repeat(251)]: 'v' } })).thenRejects('LIMIT_EXCEEDED', { field: 'params.key', limit: '250' });
      run.given([started]).when(command('LogParams', { params: { lr: 'x'.repeat(6001) } })).thenRejects('LIMIT_EXCEEDED', { field: 'params.lr', limit: '6000' });
      run.given([started]).when(command('SetTags', { tags: { note: 'x'.repeat(5001) } })).thenRejects('LIMIT_EXCEEDED', { field: 'tags.note', limit: '5000' });
      run.given([started]).when(command('LogParams', { params: { lr: 'x'.repeat(6000) } })).then([{ type: 'ParamsLogged', value: { runId: 'r1', params: { lr: 'x'.repeat(6000) } } }]);
    });
  });
});
