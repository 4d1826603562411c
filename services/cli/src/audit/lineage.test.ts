import { describe, expect, it } from 'vitest';
import type { DecodedEvent, RecordName, RecordTypes } from '@mlstream/kit';
import { lineageLines, lineageOf, loggedModelIdOf, profileSummary } from './lineage.ts';

describe('profile summaries in lineage reports', () => {
  it('summarizes a numeric feature by mean ± std and range', () => {
    expect(profileSummary({ name: 'age', count: 10, nulls: 2, numeric: { min: 18, max: 90.123456, mean: 41.23456, std: 12.5, binEdges: [18, 90.123456], binCounts: [10] }, categorical: null })).toBe('mean 41.23 ± 12.5 [18, 90.12], 2 null');
  });

  it('summarizes a categorical feature by its top categories and the rest', () => {
    const f = { name: 'plan', count: 100, nulls: 0, numeric: null, categorical: { counts: { basic: 50, pro: 25, team: 10, edu: 5 }, topK: 4, otherCount: 10 } };
    expect(profileSummary(f)).toBe('basic 50%, pro 25%, team 10% (+1 more), other 10%');
  });
});

let offset = 0;
const ev = <K extends RecordName>(type: K, value: Omit<RecordTypes[K], 'eventId' | 'occurredAt'>, topic: string): DecodedEvent =>
  ({ type, value: { eventId: `e${offset}`, occurredAt: 1_764_201_600_000 + offset, ...value }, schemaId: 1, topic, partition: 0, offset: String(offset++), key: null, headers: {} }) as unknown as DecodedEvent;
const cmd = { commandId: 'c', actor: 'ana' };
const sha = (c: string) => c.repeat(64);

describe('lineage with artifacts and logged models', () => {
  const registered = (artifactUri: string, runId: string | null) =>
    ev('ModelVersionRegistered', { ...cmd, aggregateVersion: 1, model: 'm', version: 1, runId, artifactUri, artifactSha256: null, signature: [], description: null, tags: {}, stage: 'DEVELOPMENT', reason: null }, 'registry');
  const runs = () => [ev('RunStarted', { ...cmd, aggregateVersion: 1, runId: 'r1', experiment: 'e', experimentId: '7', name: null, tags: {}, codeVersion: null, status: 'RUNNING' }, 'runs')];
  const artifacts = () => [
    ev('ArtifactStored', { actor: 'ana', path: '7/r1/artifacts/model/model.pkl', experimentId: '7', runId: 'r1', loggedModelId: null, size: 10, sha256: sha('a'), uri: 'file:///b/a' }, 'artifacts'),
    ev('ArtifactStored', { actor: 'ana', path: '7/r2/artifacts/other', experimentId: '7', runId: 'r2', loggedModelId: null, size: 1, sha256: sha('f'), uri: 'file:///b/f' }, 'artifacts'),
    // A re-upload of a path: the latest wins.
    ev('ArtifactStored', { actor: 'bob', path: '7/r1/artifacts/model/model.pkl', experimentId: '7', runId: 'r1', loggedModelId: null, size: 12, sha256: sha('b'), uri: 'file:///b/b' }, 'artifacts'),
    ev('LoggedModelRecorded', { actor: 'ana', modelId: 'm-1', experimentId: '7', runId: 'r1', name: 'model', artifactLocation: 'mlflow-artifacts:/7/models/m-1/artifacts', status: 'PENDING', createdAt: 1, params: {}, tags: {} }, 'artifacts'),
    ev('ArtifactStored', { actor: 'ana', path: '7/models/m-1/artifacts/MLmodel', experimentId: '7', runId: null, loggedModelId: 'm-1', size: 5, sha256: sha('c'), uri: 'file:///b/c' }, 'artifacts'),
    ev('LoggedModelRecorded', { actor: 'ana', modelId: 'm-1', experimentId: '7', runId: 'r1', name: 'model', artifactLocation: 'mlflow-artifacts:/7/models/m-1/artifacts', status: 'READY', createdAt: 1, params: {}, tags: {} }, 'artifacts'),
  ];

  it('finds the logged model a version source names, and nothing in registry URIs', () => {
    expect(loggedModelIdOf('models:/m-0123abc')).toBe('m-0123abc');
    expect(loggedModelIdOf('mlflow-artifacts:/7/models/m-1/artifacts')).toBe('m-1');
    expect(loggedModelIdOf('mlflow-artifacts:/7/models/m-1/artifacts/model.pkl')).toBe('m-1');
    expect(loggedModelIdOf('mlflow-artifacts://127.0.0.1:8080/7/models/m-2/artifacts')).toBe('m-2');
    for (const none of ['models:/churn/1', 'models:/churn@champion', 'mlflow-artifacts:/7/r1/artifacts/model', 's3://m/run-a', 'runs:/r1/model']) expect(loggedModelIdOf(none), none).toBeNull();
  });

  it('a version from a run: the run artifacts, latest upload per path, with hashes and coordinates', () => {
    offset = 0;
    const reg = registered('mlflow-artifacts:/7/r1/artifacts/model', 'r1');
    const lineage = lineageOf('m', 1, [reg], runs(), [], artifacts());
    expect(lineage.loggedModel).toBeNull();
    expect(lineage.runArtifacts).toEqual([{ path: '7/r1/artifacts/model/model.pkl', sha256: sha('b'), size: 12, uri: 'file:///b/b', by: 'bob', at: 1_764_201_600_004, coordinates: { topic: 'artifacts', partition: 0, offset: '4' } }]);
    expect(lineage.deleted).toBeNull();
  });

  it('a version from a logged model: its latest snapshot and artifacts; the run comes from the logged model when the version names none', () => {
    offset = 0;
    const reg = registered('models:/m-1', null);
    const deleted = ev('ModelVersionDeleted', { ...cmd, actor: 'bob', aggregateVersion: 2, model: 'm', version: 1, reason: 'oops' }, 'registry');
    const lineage = lineageOf('m', 1, [reg, deleted], runs(), [], artifacts());
    expect(lineage.loggedModel).toEqual({
      modelId: 'm-1', name: 'model', status: 'READY', runId: 'r1', artifactLocation: 'mlflow-artifacts:/7/models/m-1/artifacts', coordinates: { topic: 'artifacts', partition: 0, offset: '8' },
      artifacts: [expect.objectContaining({ path: '7/models/m-1/artifacts/MLmodel', sha256: sha('c'), size: 5 })],
    });
    expect(lineage.run?.runId).toBe('r1');
    expect(lineage.runArtifacts.map((a) => a.sha256)).toEqual([sha('b')]);
    expect(lineage.deleted).toMatchObject({ by: 'bob', reason: 'oops', coordinates: { offset: '1' } });
    const text = lineageLines(lineage);
    expect(text[0]).toMatch(/^m v1 {2}models:\/m-1 {2}registered by ana at 2025-11-27T00:00:00.000Z \[registry\[0\]@0\]$/);
    expect(text).toContain('  DELETED by bob at 2025-11-27T00:00:00.001Z (oops) [registry[0]@1]');
    expect(text).toContain('  logged model m-1 "model" READY (run r1) at mlflow-artifacts:/7/models/m-1/artifacts [artifacts[0]@8]');
    expect(text).toContain(`    artifact 7/models/m-1/artifacts/MLmodel  5 B  sha256 ${sha('c')}  file:///b/c [artifacts[0]@7]`);
    expect(text).toContain(`    artifact 7/r1/artifacts/model/model.pkl  12 B  sha256 ${sha('b')}  file:///b/b [artifacts[0]@5]`);
  });

  it('a logged model missing from the log is said so; an unknown version is not registered', () => {
    offset = 0;
    const lineage = lineageOf('m', 1, [registered('models:/m-9', null)], [], [], []);
    expect(lineage.loggedModel).toMatchObject({ modelId: 'm-9', coordinates: null, artifacts: [] });
    expect(lineageLines(lineage)).toContain('  logged model m-9: no LoggedModelRecorded in the log');
    expect(lineageLines(lineageOf('m', 2, [], [], [], []))).toEqual(['m v2: not registered']);
  });
});
