import { describe, expect, it } from 'vitest';
import { experimentIdOf } from '@mlstream/kit';
import { apply, initialViewState, passed, type FoldInput, type ViewState } from './fold.ts';

const base = { eventId: 'e', commandId: 'c', actor: 'alice' };
let offset = 0;
const at = <T extends FoldInput['type']>(type: T, value: Record<string, unknown>, topic = 'mlops.runs.v1', partition = 0): FoldInput =>
  ({ type, value: { ...base, aggregateVersion: 1, occurredAt: 1_000, ...value }, topic, partition, offset: String(offset++) }) as unknown as FoldInput;

const given = (...events: FoldInput[]): ViewState => {
  const state = initialViewState();
  for (const e of events) apply(state, e);
  return state;
};

const started = (runId: string, extra: Record<string, unknown> = {}) => at('RunStarted', { runId, experiment: 'churn', status: 'RUNNING', name: 'first', experimentId: null, ...extra });

describe('fold: experiments', () => {
  it('knows the default experiment 0 without events', () => {
    const s = given();
    expect(s.experiments.get('0')).toMatchObject({ name: 'Default', artifactLocation: 'mlflow-artifacts:/0', lifecycleStage: 'active', explicit: true });
    expect(s.experimentIds.get('Default')).toBe('0');
  });

  it('creates, renames (the old name is free again), tags, deletes and restores', () => {
    const topic = 'mlops.experiments.v1';
    const s = given(
      at('ExperimentCreated', { experimentId: '7', name: 'a', artifactLocation: '', tags: { t: '1', u: '2' } }, topic),
      at('ExperimentRenamed', { experimentId: '7', name: 'b', previousName: 'a', occurredAt: 2_000 }, topic),
      at('ExperimentTagsSet', { experimentId: '7', tags: { v: '3' }, removed: ['t'] }, topic),
      at('ExperimentDeleted', { experimentId: '7' }, topic),
    );
    expect(s.experiments.get('7')).toMatchObject({ name: 'b', artifactLocation: 'mlflow-artifacts:/7', tags: { u: '2', v: '3' }, lifecycleStage: 'deleted', creationTime: 1_000 });
    expect(s.experimentIds.has('a')).toBe(false);
    expect(s.experimentIds.get('b')).toBe('7');
    apply(s, at('ExperimentRestored', { experimentId: '7' }, topic));
    expect(s.experiments.get('7')!.lifecycleStage).toBe('active');
  });

  it('shows an experiment a /v1 run named as implicit, until it is created', () => {
    const s = given(started('r1'));
    const id = experimentIdOf('churn');
    expect(s.runs.get('r1')!.experimentId).toBe(id);
    expect(s.experiments.get(id)).toMatchObject({ name: 'churn', explicit: false });
    apply(s, at('ExperimentCreated', { experimentId: id, name: 'churn', artifactLocation: 's3://b/x' }, 'mlops.experiments.v1'));
    expect(s.experiments.get(id)).toMatchObject({ explicit: true, artifactLocation: 's3://b/x' });
  });
});

describe('fold: runs', () => {
  it('folds params, tags, metrics, inputs, finish and delete into one run', () => {
    const s = given(
      at('ExperimentCreated', { experimentId: '5', name: 'e', artifactLocation: 'mlflow-artifacts:/5/' }, 'mlops.experiments.v1'),
      started('r1', { experimentId: '5', occurredAt: 10, codeVersion: 'abc' }),
      at('ParamsLogged', { runId: 'r1', params: { lr: '0.1' }, aggregateVersion: 2 }),
      at('MetricsLogged', { runId: 'r1', metrics: [{ key: 'acc', value: 0.5, step: 2, timestamp: 5 }, { key: 'acc', value: 0.9, step: 1, timestamp: 9 }], aggregateVersion: 3 }),
      at('TagsSet', { runId: 'r1', tags: { team: 'x', 'mlflow.runName': 'named' }, aggregateVersion: 4 }),
      at('InputsLogged', { runId: 'r1', inputs: [{ datasetId: 'd', version: 'v1', context: 'training' }], aggregateVersion: 5 }),
      at('InputsLogged', { runId: 'r1', inputs: [{ datasetId: 'd', version: 'v1', context: 'training' }], aggregateVersion: 6 }),
      at('RunFinished', { runId: 'r1', status: 'FINISHED', occurredAt: 50, aggregateVersion: 7 }),
      at('RunDeleted', { runId: 'r1', aggregateVersion: 8 }),
    );
    const run = s.runs.get('r1')!;
    expect(run).toMatchObject({
      experimentId: '5',
      runName: 'named',
      status: 'FINISHED',
      startTime: 10,
      endTime: 50,
      lifecycleStage: 'deleted',
      userId: 'alice',
      artifactUri: 'mlflow-artifacts:/5/r1/artifacts',
      params: { lr: '0.1' },
      codeVersion: 'abc',
      version: 8,
      inputs: [{ datasetId: 'd', version: 'v1', context: 'training' }],
    });
    // Latest = highest step, not last logged.
    expect(run.latestMetrics.acc).toEqual({ key: 'acc', value: 0.5, step: 2, timestamp: 5 });
    expect(s.histories.get('r1')!.get('acc')!.points().map((p) => p.value)).toEqual([0.5, 0.9]);
    expect(run.startedAt).toEqual({ topic: 'mlops.runs.v1', partition: 0, offset: expect.any(String) });
  });

  it('falls back to the start name when the mlflow.runName tag is deleted', () => {
    const s = given(started('r1'), at('TagsSet', { runId: 'r1', tags: { 'mlflow.runName': 'n2' } }));
    expect(s.runs.get('r1')!.runName).toBe('n2');
    apply(s, at('TagDeleted', { runId: 'r1', key: 'mlflow.runName' }));
    expect(s.runs.get('r1')!.runName).toBe('first');
  });

  it('never changes an object a reader already holds', () => {
    const s = given(started('r1'));
    const before = s.runs.get('r1')!;
    apply(s, at('ParamsLogged', { runId: 'r1', params: { a: '1' } }));
    expect(before.params).toEqual({});
    expect(s.runs.get('r1')!.params).toEqual({ a: '1' });
  });

  it('attaches logged models to their run, also when the model is seen first', () => {
    const lm = (modelId: string) => at('LoggedModelRecorded', { modelId, experimentId: '0', runId: 'r1', name: 'm', artifactLocation: 'x', status: 'READY', createdAt: 1 }, 'mlops.artifacts.v1');
    const s = given(lm('m-1'), started('r1', { experimentId: '0' }), lm('m-2'), lm('m-2'));
    expect(s.runs.get('r1')!.loggedModelIds).toEqual(['m-1', 'm-2']);
  });
});

describe('fold: registry', () => {
  const topic = 'mlops.registry.v1';
  const reg = (version: number) => at('ModelVersionRegistered', { model: 'm', version, runId: 'r1', artifactUri: `s3://m/${version}`, stage: 'DEVELOPMENT' }, topic);

  it('creates the model implicitly, moves stages and aliases, deletes versions with their aliases', () => {
    const s = given(
      reg(1),
      reg(2),
      at('StageTransitioned', { model: 'm', version: 1, fromStage: 'DEVELOPMENT', toStage: 'PRODUCTION' }, topic),
      at('AliasSet', { model: 'm', alias: 'champion', version: 1 }, topic),
      at('AliasSet', { model: 'm', alias: 'champion', version: 2, previousVersion: 1 }, topic),
      at('AliasSet', { model: 'm', alias: 'b', version: 2 }, topic),
      at('ModelTagsSet', { model: 'm', version: null, tags: { owner: 'x' } }, topic),
      at('ModelTagsSet', { model: 'm', version: 2, tags: { v: 'y' } }, topic),
      at('ModelVersionUpdated', { model: 'm', version: 2, description: 'd2' }, topic),
    );
    const m = s.models.get('m')!;
    expect(m.aliases).toEqual({ champion: 2, b: 2 });
    expect(m.tags).toEqual({ owner: 'x' });
    expect(m.versions.map((v) => [v.version, v.stage, v.aliases])).toEqual([
      [1, 'PRODUCTION', []],
      [2, 'DEVELOPMENT', ['b', 'champion']],
    ]);
    expect(m.versions[1]).toMatchObject({ description: 'd2', tags: { v: 'y' }, source: 's3://m/2', runId: 'r1' });
    apply(s, at('AliasDeleted', { model: 'm', alias: 'b', version: 2 }, topic));
    apply(s, at('ModelVersionDeleted', { model: 'm', version: 2 }, topic));
    expect(s.models.get('m')!.versions.map((v) => v.version)).toEqual([1]);
    expect(s.models.get('m')!.aliases).toEqual({});
    apply(s, at('RegisteredModelDeleted', { model: 'm' }, topic));
    expect(s.models.has('m')).toBe(false);
  });

  it('keeps an explicit model description', () => {
    const s = given(at('RegisteredModelCreated', { model: 'm', description: 'first', tags: { a: '1' } }, topic), at('RegisteredModelUpdated', { model: 'm', description: 'second' }, topic));
    expect(s.models.get('m')).toMatchObject({ description: 'second', tags: { a: '1' }, versions: [] });
  });
});

describe('fold: artifacts and positions', () => {
  it('keeps the last artifact per path and tracks the applied offset per partition', () => {
    const topic = 'mlops.artifacts.v1';
    const s = given(
      at('ArtifactStored', { path: '0/r1/artifacts/a', size: 1, sha256: 'x', uri: 'file:/x' }, topic, 2),
      at('ArtifactStored', { path: '0/r1/artifacts/a', size: 2, sha256: 'y', uri: 'file:/y' }, topic, 2),
    );
    expect(s.artifacts.get('0/r1/artifacts/a')).toMatchObject({ size: 2, sha256: 'y' });
    const last = Number([...s.applied.values()][0]) - 1;
    expect(passed(s, [{ topic, partition: 2, offset: last }])).toBe(true);
    expect(passed(s, [{ topic, partition: 2, offset: last + 1 }])).toBe(false);
    expect(passed(s, [{ topic, partition: 1, offset: 0 }])).toBe(false);
  });
});
