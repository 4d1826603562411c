import { describe, expect, it } from 'vitest';
import type { DecodedEvent, RecordName, RecordTypes } from '@mlstream/kit';
import { missingRunStarts, project, projectBatch, tableNames, tablesOfStream } from './index.ts';
import { baseColumns } from './types.ts';

let offset = 0;
const ev = <K extends RecordName>(type: K, value: Omit<RecordTypes[K], 'eventId' | 'occurredAt'> & { occurredAt?: number }, topic = 'p.mlops.runs.v1'): DecodedEvent =>
  ({ type, value: { eventId: `e${offset}`, occurredAt: 1_764_201_600_500, ...value }, schemaId: 1, topic, partition: 2, offset: String(offset++), key: null, headers: {} }) as unknown as DecodedEvent;
const cmd = { commandId: 'c', actor: 'ana' };

describe('projections', () => {
  it('every row carries coordinates, event id and both time columns', () => {
    offset = 41;
    const [row] = project(ev('LabelObserved', { requestId: 'r1', model: 'churn', label: 1 }, 'p.mlops.feedback.v1'));
    expect(row).toEqual({
      table: 'labels',
      row: { _topic: 'p.mlops.feedback.v1', _partition: 2, _offset: 41, event_id: 'e41', occurred_at: 1_764_201_600, occurred_ms: 1_764_201_600_500, request_id: 'r1', model: 'churn', label: '1', label_num: 1 },
    });
  });

  it('RunStarted feeds runs and run_tags; RunFinished repeats the start facts', () => {
    offset = 0;
    const started = ev('RunStarted', { ...cmd, aggregateVersion: 1, runId: 'r', experiment: 'exp', name: 'n', tags: { team: 'x' }, codeVersion: 'abc', status: 'RUNNING' });
    const finished = ev('RunFinished', { ...cmd, aggregateVersion: 2, runId: 'r', status: 'FINISHED', occurredAt: 1_764_201_660_000 });
    const rows = projectBatch([started, finished]);
    expect(rows.get('run_tags')).toMatchObject([{ run_id: 'r', key: 'team', value: 'x', _offset: 0 }]);
    expect(rows.get('runs')).toMatchObject([
      { _version: 1, status: 'RUNNING', experiment: 'exp', start_ms: 1_764_201_600_500, end_ms: 0 },
      { _version: 2, status: 'FINISHED', experiment: 'exp', name: 'n', code_version: 'abc', actor: 'ana', start_ms: 1_764_201_600_500, end_ms: 1_764_201_660_000, end_time: 1_764_201_660 },
    ]);
    expect(missingRunStarts([started, finished])).toEqual([]);
    expect(missingRunStarts([finished])).toEqual(['r']);
  });

  it('metrics, params, inputs and artifacts become one row each', () => {
    const rows = projectBatch([
      ev('MetricsLogged', { ...cmd, aggregateVersion: 2, runId: 'r', metrics: [{ key: 'acc', value: 0.9, step: 3, timestamp: 5_000 }, { key: 'loss', value: 0.1, timestamp: 6_000 }] }),
      ev('ParamsLogged', { ...cmd, aggregateVersion: 3, runId: 'r', params: { lr: '0.01', depth: '3' } }),
      ev('InputsLogged', { ...cmd, aggregateVersion: 4, runId: 'r', inputs: [{ datasetId: 'd', version: 'v1', context: 'training' }] }),
      ev('ArtifactLogged', { ...cmd, aggregateVersion: 5, runId: 'r', artifact: { name: 'model.pkl', uri: 's3://m', sha256: null, size: null } }),
    ]);
    expect(rows.get('run_metrics')).toMatchObject([{ key: 'acc', value: 0.9, step: 3, ts_ms: 5_000, timestamp: 5 }, { key: 'loss', step: 0 }]);
    expect(rows.get('run_params')!.map((r) => [r.key, r.value])).toEqual([['lr', '0.01'], ['depth', '3']]);
    expect(rows.get('run_inputs')).toMatchObject([{ dataset_id: 'd', dataset_version: 'v1', context: 'training' }]);
    expect(rows.get('run_artifacts')).toMatchObject([{ name: 'model.pkl', sha256: '', size: -1 }]);
  });

  it('drops rows at or below each table watermark, independently per table', () => {
    offset = 10;
    const batch = [
      ev('RunStarted', { ...cmd, aggregateVersion: 1, runId: 'q', experiment: 'e', name: null, tags: { a: '1' }, codeVersion: null, status: 'RUNNING' }), // 10
      ev('TagsSet', { ...cmd, aggregateVersion: 2, runId: 'q', tags: { b: '2' } }), // 11
    ];
    // A crash after `runs` got offset 10 and `run_tags` got nothing.
    const rows = projectBatch(batch, { alreadyIn: (t) => (t === 'runs' ? 10 : -1) });
    expect(rows.get('runs')).toBeUndefined();
    expect(rows.get('run_tags')!.map((r) => r.key)).toEqual(['a', 'b']);
    // ... and after run_tags got offset 10 too.
    expect(projectBatch(batch, { alreadyIn: () => 10 }).get('run_tags')!.map((r) => r.key)).toEqual(['b']);
  });

  it('predictions keep numeric and class predictions, errors and sorted feature maps', () => {
    const event = ev('PredictionLogged', { requestId: 'q', model: 'm', version: 2, numericFeatures: { b: 2, a: 1 }, categoricalFeatures: { plan: 'pro' }, prediction: 'yes', probabilities: { yes: 0.7, no: 0.3 }, latencyMs: 4.5, error: 'boom' });
    const [p] = project(event);
    // The hot path writes its row as one flat literal: the same base columns as every other row.
    expect(p!.row).toMatchObject(baseColumns(event));
    expect(p!.row).toMatchObject({ prediction: 'yes', prediction_num: null, is_error: 1, error: 'boom', numeric_keys: ['a', 'b'], numeric_values: [1, 2], probability_keys: ['no', 'yes'], probability_values: [0.3, 0.7] });
  });

  it('registry events: registration opens the stage history, aliases keep their history', () => {
    const reg = project(ev('ModelVersionRegistered', { ...cmd, aggregateVersion: 1, model: 'm', version: 1, runId: 'r', artifactUri: 'u', artifactSha256: null, signature: [{ name: 'age', type: 'numeric' }], description: null, tags: {}, stage: 'DEVELOPMENT', reason: null }));
    expect(reg.map((r) => r.table)).toEqual(['model_versions', 'stage_history']);
    expect(reg[1]!.row).toMatchObject({ from_stage: '', to_stage: 'DEVELOPMENT', gate_passed: null });
    const st = project(ev('StageTransitioned', { ...cmd, aggregateVersion: 2, model: 'm', version: 1, fromStage: 'STAGING', toStage: 'PRODUCTION', reason: 'ok', gate: { metric: 'acc', comparator: 'GT', threshold: 0.8, candidateValue: 0.9, productionVersion: null, productionValue: null, passed: true } }));
    expect(st[0]!.row).toMatchObject({ gate_metric: 'acc', gate_passed: 1, gate_candidate: 0.9, gate_threshold: 0.8 });
    expect(project(ev('AliasDeleted', { ...cmd, aggregateVersion: 3, model: 'm', alias: 'champion', version: 1, reason: null }))[0]!.row).toMatchObject({ action: 'DELETE', version: 1 });
  });

  it('run lifecycle: STARTED carries the experiment id (derived from the name when RunStarted has none); deletions and restores', () => {
    offset = 0;
    const rows = projectBatch([
      ev('RunStarted', { ...cmd, aggregateVersion: 1, runId: 'r', experiment: 'Default', experimentId: null, name: null, tags: {}, codeVersion: null, status: 'RUNNING' }),
      ev('RunStarted', { ...cmd, aggregateVersion: 1, runId: 's', experiment: 'exp', experimentId: '42', name: null, tags: {}, codeVersion: null, status: 'RUNNING' }),
      ev('RunDeleted', { ...cmd, aggregateVersion: 2, runId: 'r' }),
      ev('RunRestored', { ...cmd, aggregateVersion: 3, runId: 'r' }),
      ev('TagDeleted', { ...cmd, aggregateVersion: 4, runId: 'r', key: 'team' }),
    ]);
    expect(rows.get('run_lifecycle')!.map((r) => [r.run_id, r.action, r.lifecycle_stage, r.experiment_id, r._offset, r._version])).toEqual([
      ['r', 'STARTED', 'active', '0', 0, 1],
      ['s', 'STARTED', 'active', '42', 1, 1],
      ['r', 'DELETED', 'deleted', '', 2, 2],
      ['r', 'RESTORED', 'active', '', 3, 3],
    ]);
    expect(rows.get('run_tag_deletions')).toEqual([
      { _topic: 'p.mlops.runs.v1', _partition: 2, _offset: 4, _version: 4, event_id: 'e4', occurred_at: 1_764_201_600, occurred_ms: 1_764_201_600_500, run_id: 'r', key: 'team', actor: 'ana', command_id: 'c' },
    ]);
  });

  it('experiments: one event row each, tags set and removed as rows of their own', () => {
    offset = 0;
    const t = 'p.mlops.experiments.v1';
    const rows = projectBatch([
      ev('ExperimentCreated', { ...cmd, aggregateVersion: 1, experimentId: '7', name: 'churn', artifactLocation: 'mlflow-artifacts:/7', tags: { team: 'x', a: '1' } }, t),
      ev('ExperimentRenamed', { ...cmd, aggregateVersion: 2, experimentId: '7', name: 'churn-v2', previousName: 'churn' }, t),
      ev('ExperimentTagsSet', { ...cmd, aggregateVersion: 3, experimentId: '7', tags: { b: '2' }, removed: ['a'] }, t),
      ev('ExperimentDeleted', { ...cmd, aggregateVersion: 4, experimentId: '7' }, t),
      ev('ExperimentRestored', { ...cmd, aggregateVersion: 5, experimentId: '7' }, t),
    ]);
    expect(rows.get('experiment_events')!.map((r) => [r.event, r.name, r.previous_name, r.artifact_location, r.lifecycle_stage, r._version])).toEqual([
      ['Created', 'churn', '', 'mlflow-artifacts:/7', 'active', 1],
      ['Renamed', 'churn-v2', 'churn', '', '', 2],
      ['TagsSet', '', '', '', '', 3],
      ['Deleted', '', '', '', 'deleted', 4],
      ['Restored', '', '', '', 'active', 5],
    ]);
    expect(rows.get('experiment_events')![0]).toMatchObject({ _topic: t, experiment_id: '7', actor: 'ana', command_id: 'c', tag_keys: ['a', 'team'], tag_values: ['1', 'x'] });
    expect(rows.get('experiment_events')![2]).toMatchObject({ tag_keys: ['b'], tag_values: ['2'], removed_tag_keys: ['a'] });
    expect(rows.get('experiment_tags')!.map((r) => [r.key, r.value, r.deleted, r._offset])).toEqual([
      ['a', '1', 0, 0],
      ['team', 'x', 0, 0],
      ['b', '2', 0, 2],
      ['a', '', 1, 2],
    ]);
  });

  it('registry: model create / update / delete, model and version tags, version update / delete', () => {
    offset = 0;
    const t = 'p.mlops.registry.v1';
    const rows = projectBatch([
      ev('RegisteredModelCreated', { ...cmd, aggregateVersion: 1, model: 'm', description: 'first', tags: { owner: 'ana' }, reason: null }, t),
      ev('RegisteredModelUpdated', { ...cmd, aggregateVersion: 2, model: 'm', description: null, reason: 'clear' }, t),
      ev('ModelTagsSet', { ...cmd, aggregateVersion: 3, model: 'm', version: null, tags: {}, removed: ['owner'], reason: null }, t),
      ev('ModelTagsSet', { ...cmd, aggregateVersion: 4, model: 'm', version: 2, tags: { ok: 'yes' }, removed: [], reason: null }, t),
      ev('ModelVersionUpdated', { ...cmd, aggregateVersion: 5, model: 'm', version: 2, description: 'v2 notes', reason: null }, t),
      ev('ModelVersionDeleted', { ...cmd, aggregateVersion: 6, model: 'm', version: 2, reason: 'bad' }, t),
      ev('RegisteredModelDeleted', { ...cmd, aggregateVersion: 7, model: 'm', reason: 'gone' }, t),
    ]);
    expect(rows.get('registered_models')!.map((r) => [r.event, r.description, r.has_description, r.reason, r._version, r.command_id])).toEqual([
      ['Created', 'first', 1, '', 1, 'c'],
      ['Updated', '', 0, 'clear', 2, 'c'],
      ['Deleted', '', 0, 'gone', 7, 'c'],
    ]);
    expect(rows.get('model_tags')!.map((r) => [r.version, r.key, r.value, r.deleted, r._offset])).toEqual([
      [0, 'owner', 'ana', 0, 0],
      [0, 'owner', '', 1, 2],
      [2, 'ok', 'yes', 0, 3],
    ]);
    expect(rows.get('model_version_changes')!.map((r) => [r.version, r.event, r.description, r.has_description, r.reason, r.actor])).toEqual([
      [2, 'Updated', 'v2 notes', 1, '', 'ana'],
      [2, 'Deleted', '', 0, 'bad', 'ana'],
    ]);
  });

  it('artifacts: every stored blob with hash, size, uri and owner; logged-model snapshots', () => {
    offset = 5;
    const t = 'p.mlops.artifacts.v1';
    const [stored] = project(ev('ArtifactStored', { actor: 'ana', path: '7/r1/artifacts/model/MLmodel', experimentId: '7', runId: 'r1', loggedModelId: null, size: 123, sha256: 'ab'.repeat(32), uri: 'file:///blobs/ab/abab' }, t));
    expect(stored).toEqual({
      table: 'artifacts',
      row: { _topic: t, _partition: 2, _offset: 5, event_id: 'e5', occurred_at: 1_764_201_600, occurred_ms: 1_764_201_600_500, path: '7/r1/artifacts/model/MLmodel', experiment_id: '7', run_id: 'r1', logged_model_id: '', size: 123, sha256: 'ab'.repeat(32), uri: 'file:///blobs/ab/abab', actor: 'ana' },
    });
    const [lm] = project(
      ev('LoggedModelRecorded', { actor: 'ana', modelId: 'm-1', experimentId: '7', runId: null, name: 'model', artifactLocation: 'mlflow-artifacts:/7/models/m-1/artifacts', status: 'READY', modelType: null, source: null, createdAt: 1_764_201_000_999, params: { b: '2', a: '1' }, tags: { t: 'x' } }, t),
    );
    expect(lm).toMatchObject({
      table: 'logged_models',
      row: { model_id: 'm-1', run_id: '', status: 'READY', model_type: '', source: '', created_ms: 1_764_201_000_999, created_at: 1_764_201_000, param_keys: ['a', 'b'], param_values: ['1', '2'], tag_keys: ['t'], tag_values: ['x'] },
    });
  });

  it('commands and snapshots produce nothing; every table belongs to exactly one stream', () => {
    expect(project(ev('StartRun', { ...cmd, runId: 'r', experiment: 'e', expectedVersion: null, name: null, tags: {}, codeVersion: null }))).toEqual([]);
    const owned = Object.values(tablesOfStream).flat();
    expect(owned.sort()).toEqual([...tableNames].sort());
    expect(new Set(owned).size).toBe(owned.length);
  });
});
