import { describe, expect, it } from 'vitest';
import type { LoggedModelView, ModelVersionView, RegisteredModelView, RunView } from '../views/types.ts';
import { MlflowError } from './errors.ts';
import { keyValues, latestVersions, loggedModelJson, mlflowStage, modelVersionJson, registeredModelJson, runJson, stageOf } from './json.ts';

const version = (n: number, stage: ModelVersionView['stage'], extra: Partial<ModelVersionView> = {}): ModelVersionView => ({
  model: 'fraud',
  version: n,
  runId: null,
  source: `models:/m-${n}`,
  stage,
  description: '',
  tags: {},
  aliases: [],
  userId: 'ci',
  creationTime: 100 + n,
  lastUpdatedTime: 200 + n,
  ...extra,
});

describe('MLflow JSON shapes', () => {
  it("maps our stages to MLflow's names and back, case-insensitively", () => {
    expect(['DEVELOPMENT', 'STAGING', 'PRODUCTION', 'ARCHIVED'].map((s) => mlflowStage(s as ModelVersionView['stage']))).toEqual(['None', 'Staging', 'Production', 'Archived']);
    expect(stageOf('None')).toBe('DEVELOPMENT');
    expect(stageOf('staging')).toBe('STAGING');
    expect(stageOf(' Production ')).toBe('PRODUCTION');
    expect(() => stageOf('Canary')).toThrow(MlflowError);
  });

  it('writes maps as {key, value} lists', () => {
    expect(keyValues({ a: '1', b: '2' })).toEqual([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
  });

  it('writes a run with int64 times as numbers, no end_time while running, and empty lists left out', () => {
    const run = {
      runId: 'abc',
      experimentId: '7',
      runName: 'r',
      status: 'RUNNING',
      startTime: 1_795_799_446_212,
      endTime: null,
      lifecycleStage: 'active',
      userId: 'ci',
      artifactUri: 'mlflow-artifacts:/7/abc/artifacts',
      params: {},
      tags: { 'mlflow.runName': 'r' },
      latestMetrics: {},
      inputs: [{ datasetId: 'ds', version: 'd1', context: 'training' }],
      loggedModelIds: ['m-1'],
      codeVersion: null,
      startedAt: { topic: 't', partition: 0, offset: 3 },
      version: 1,
    } as RunView;
    const json = runJson(run);
    expect(json.info).toEqual({ run_uuid: 'abc', run_id: 'abc', experiment_id: '7', run_name: 'r', user_id: 'ci', status: 'RUNNING', start_time: 1_795_799_446_212, artifact_uri: 'mlflow-artifacts:/7/abc/artifacts', lifecycle_stage: 'active' });
    expect(json.data).toEqual({ tags: [{ key: 'mlflow.runName', value: 'r' }] });
    expect(json.inputs).toEqual({ dataset_inputs: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset: expect.objectContaining({ name: 'ds', digest: 'd1' }) }] });
    expect(json.outputs).toEqual({ model_outputs: [{ model_id: 'm-1', step: 0 }] });
  });

  it('writes versions as strings and picks the newest version per stage for latest_versions', () => {
    const model: RegisteredModelView = {
      name: 'fraud',
      description: '',
      tags: { team: 'risk' },
      aliases: { champion: 3 },
      versions: [version(1, 'ARCHIVED'), version(2, 'PRODUCTION'), version(3, 'PRODUCTION', { aliases: ['champion'], runId: 'r3' }), version(4, 'DEVELOPMENT')],
      creationTime: 1,
      lastUpdatedTime: 2,
    };
    expect(latestVersions(model).map((v) => v.version)).toEqual([1, 3, 4]);
    expect(latestVersions(model, ['PRODUCTION']).map((v) => v.version)).toEqual([3]);
    const json: Record<string, unknown> = registeredModelJson(model);
    expect(json).not.toHaveProperty('description');
    expect(json.aliases).toEqual([{ alias: 'champion', version: '3' }]);
    expect(json.tags).toEqual([{ key: 'team', value: 'risk' }]);
    expect(modelVersionJson(model.versions[2]!)).toEqual({
      name: 'fraud',
      version: '3',
      creation_timestamp: 103,
      last_updated_timestamp: 203,
      user_id: 'ci',
      current_stage: 'Production',
      description: '',
      source: 'models:/m-3',
      run_id: 'r3',
      status: 'READY',
      run_link: '',
      aliases: ['champion'],
    });
    expect(modelVersionJson(model.versions[0]!)).not.toHaveProperty('run_id');
  });

  it('writes a logged model as MLflow 3 does (info + data, tags and params sorted by key)', () => {
    const m: LoggedModelView = {
      modelId: 'm-1',
      experimentId: '0',
      runId: 'r1',
      name: 'model',
      artifactLocation: 'mlflow-artifacts:/0/models/m-1/artifacts',
      status: 'LOGGED_MODEL_READY',
      modelType: null,
      source: null,
      params: { lr: '0.01', epochs: '100' },
      tags: { 'mlflow.user': 'root', 'mlflow.source.type': 'LOCAL' },
      creationTime: 5,
      lastUpdatedTime: 6,
    };
    expect(loggedModelJson(m)).toEqual({
      info: {
        model_id: 'm-1',
        experiment_id: '0',
        name: 'model',
        creation_timestamp_ms: 5,
        last_updated_timestamp_ms: 6,
        artifact_uri: 'mlflow-artifacts:/0/models/m-1/artifacts',
        status: 'LOGGED_MODEL_READY',
        model_type: '',
        source_run_id: 'r1',
        tags: [
          { key: 'mlflow.source.type', value: 'LOCAL' },
          { key: 'mlflow.user', value: 'root' },
        ],
      },
      data: {
        params: [
          { key: 'epochs', value: '100' },
          { key: 'lr', value: '0.01' },
        ],
      },
    });
  });
});
