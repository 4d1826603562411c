import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, resolveCatalog } from '@mlstream/kit';
import { connections, testKafka, uniqueName, applyTestTopics } from '../helpers/index.ts';

// `mlstream audit lineage` reaches the bytes: a model version registered from
// an MLflow 3 logged model shows the logged model, its artifacts and the run's
// artifacts (sha256, size, uri) with the Kafka coordinates of each fact.
describe('mlstream audit lineage: artifacts and logged models', () => {
  const prefix = `${uniqueName('lineage')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('lineage');
  const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_LOG_LEVEL: 'warn' };
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'services/cli/src/main.ts', ...args], { env, encoding: 'utf8' });
  const sha = (c: string) => c.repeat(64);
  const base = (actor = 'ana') => ({ eventId: randomUUID(), occurredAt: 1_764_201_600_000, commandId: randomUUID(), actor });

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const records = await Promise.all([
      serde.encode('RunStarted', { ...base(), aggregateVersion: 1, runId: 'r1', experiment: 'churn', experimentId: '7', name: 'fit', tags: {}, codeVersion: 'abc', status: 'RUNNING' }),
      serde.encode('ArtifactStored', { eventId: randomUUID(), occurredAt: 1_764_201_600_100, actor: 'ana', path: '7/r1/artifacts/metrics.json', experimentId: '7', runId: 'r1', loggedModelId: null, size: 42, sha256: sha('a'), uri: 'file:///blobs/aa/a' }),
      serde.encode('LoggedModelRecorded', { eventId: randomUUID(), occurredAt: 1_764_201_600_200, actor: 'ana', modelId: 'm-1', experimentId: '7', runId: 'r1', name: 'model', artifactLocation: 'mlflow-artifacts:/7/models/m-1/artifacts', status: 'READY', modelType: null, source: null, createdAt: 1_764_201_600_150, params: {}, tags: {} }),
      serde.encode('ArtifactStored', { eventId: randomUUID(), occurredAt: 1_764_201_600_300, actor: 'ana', path: '7/models/m-1/artifacts/model.pkl', experimentId: '7', runId: null, loggedModelId: 'm-1', size: 2048, sha256: sha('b'), uri: 'file:///blobs/bb/b' }),
      serde.encode('ModelVersionRegistered', { ...base('release'), aggregateVersion: 1, model: 'churn', version: 1, runId: null, artifactUri: 'models:/m-1', artifactSha256: null, signature: [], description: null, tags: {}, stage: 'DEVELOPMENT', reason: null }),
    ]);
    for (const r of records) await producer.send({ topic: r.topic, acks: -1, messages: [r.message] });
    await producer.disconnect();
  });

  it('JSON: the logged model and its artifacts, the run (found through the logged model) and its artifacts, each with coordinates', () => {
    const r = cli('audit', 'lineage', '--model', 'churn', '--version', '1', '--json');
    expect(r.status, r.stderr).toBe(0);
    const lineage = JSON.parse(r.stdout);
    const artifactsTopic = catalog.topic('artifacts');
    expect(lineage.loggedModel).toEqual({
      modelId: 'm-1', name: 'model', status: 'READY', runId: 'r1', artifactLocation: 'mlflow-artifacts:/7/models/m-1/artifacts', coordinates: { topic: artifactsTopic, partition: expect.any(Number), offset: expect.any(String) },
      artifacts: [{ path: '7/models/m-1/artifacts/model.pkl', sha256: sha('b'), size: 2048, uri: 'file:///blobs/bb/b', by: 'ana', at: 1_764_201_600_300, coordinates: { topic: artifactsTopic, partition: expect.any(Number), offset: expect.any(String) } }],
    });
    expect(lineage.run).toMatchObject({ runId: 'r1', codeVersion: 'abc', started: { topic: catalog.topic('runs') } });
    expect(lineage.runArtifacts).toEqual([expect.objectContaining({ path: '7/r1/artifacts/metrics.json', sha256: sha('a'), size: 42, uri: 'file:///blobs/aa/a' })]);
  });

  it('text: one line per artifact with its hash, size, uri and coordinates', () => {
    const r = cli('audit', 'lineage', '--model', 'churn', '--version', '1');
    expect(r.status, r.stderr).toBe(0);
    const topic = catalog.topic('artifacts').replace(/[.]/g, '\\.');
    expect(r.stdout).toMatch(new RegExp(`logged model m-1 "model" READY \\(run r1\\) at mlflow-artifacts:/7/models/m-1/artifacts \\[${topic}\\[\\d+\\]@\\d+\\]`));
    expect(r.stdout).toMatch(new RegExp(`artifact 7/models/m-1/artifacts/model\\.pkl {2}2048 B {2}sha256 ${sha('b')} {2}file:///blobs/bb/b \\[${topic}\\[\\d+\\]@\\d+\\]`));
    expect(r.stdout).toMatch(new RegExp(`artifact 7/r1/artifacts/metrics\\.json {2}42 B {2}sha256 ${sha('a')}`));
  });
});
