// Real MLflow client code (Python, mlflow-skinny 3.17.2) against a real
// gateway, the command processors and the materializer on the local stack:
// the compatibility suite (test/mlflow/compat_suite.py) and the README
// snippet (test/mlflow/snippet.py), whose facts are then checked on the
// topics and in ClickHouse.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type RunningService } from '@mlstream/kit';
import { runMaterializerService } from '@mlstream/materializer';
import { applyContracts } from '../../services/cli/src/commands/contracts.ts';
import { lineageOf } from '../../services/cli/src/audit/lineage.ts';
import { connections, startCommandProcessors, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { ensurePythonEnv } from '../helpers/python.ts';
import { startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

const here = import.meta.dirname;

/** Runs a script of this folder with the client venv; resolves with its exit code and output. */
function runPython(python: string, script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 240_000): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [path.join(here, script), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

const lastJson = <T>(out: string): T => JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as T;

describe('MLflow client code runs unchanged against mlstream', () => {
  const prefix = `${uniqueName('mlflow')}.`;
  const database = prefix.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '');
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('mlflow-test');
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const clickhouse = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const artifactRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstream-artifacts-'));
  const services: RunningService[] = [];
  let gw: TestGateway;
  let python: string;
  let pyEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // The venv first: on a fresh machine it is the slow part (about a minute), and it needs no stack.
    python = ensurePythonEnv({ requirements: path.join(here, 'requirements-client.txt'), name: 'mlflow-client' }).python;
    const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: database, MLSTREAM_LOG_LEVEL: 'warn', MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200' };
    await applyContracts(env);
    services.push(...(await startCommandProcessors(env)));
    services.push(await runMaterializerService({ env, signals: false }));
    gw = await startTestGateway({ prefix, env: { MLSTREAM_ARTIFACT_ROOT: artifactRoot } });
    await gw.commandsReady;
    const { hostname, port } = new URL(gw.url);
    // The key travels in the URL's user info: python-requests sends it as Basic auth, so nothing else is set.
    pyEnv = { PATH: process.env.PATH, HOME: process.env.HOME, MLFLOW_TRACKING_URI: `http://mlstream:${tokens.admin}@${hostname}:${port}`, MLFLOW_HTTP_REQUEST_MAX_RETRIES: '0' };
  }, 600_000);

  afterAll(async () => {
    await gw?.stop();
    await Promise.all(services.map((s) => s.stop()));
    await clickhouse.close();
    fs.rmSync(artifactRoot, { recursive: true, force: true });
  });

  it('passes every scenario of the compatibility suite (snippet, registry, search, metric history, log_batch, experiments, error paths)', async () => {
    const { code, out, err } = await runPython(python, 'compat_suite.py', [], pyEnv);
    const summary = lastJson<{ passed: number; failed: number; results: Array<{ scenario: string; status: string; reason: string }> }>(out);
    const failures = summary.results?.filter((r) => r.status !== 'PASS').map((r) => `${r.scenario}: ${r.reason}`) ?? [];
    expect(failures, `${out}\n${err.slice(-3000)}`).toEqual([]);
    expect(summary.passed).toBe(8);
    expect(code).toBe(0);
  }, 400_000);

  it('turns the README snippet into events, ClickHouse rows and a model loaded back by alias that predicts the same', async () => {
    const model = `snippet-${prefix.slice(7, 15)}`;
    const { code, out, err } = await runPython(python, 'snippet.py', [model], pyEnv);
    expect(code, `${out}\n${err.slice(-3000)}`).toBe(0);
    const result = lastJson<{ run_id: string; model_id: string; version: number; same_predictions: boolean }>(out);
    expect(result.same_predictions).toBe(true);

    const runEvents = (await readTopic(kafka, serde, catalog.topic('runs'))).filter((e) => e.key === result.run_id);
    expect(runEvents.map((e) => e.type)).toEqual(expect.arrayContaining(['RunStarted', 'ParamsLogged', 'MetricsLogged', 'RunFinished']));
    const params = Object.assign({}, ...runEvents.flatMap((e) => (e.type === 'ParamsLogged' ? [e.value.params] : [])));
    expect(params).toEqual({ learning_rate: '0.01', epochs: '100' });

    const artifactTopic = await readTopic(kafka, serde, catalog.topic('artifacts'));
    const artifacts = artifactTopic.filter((e) => e.type === 'ArtifactStored' && e.value.loggedModelId === result.model_id);
    const files = artifacts.map((e) => (e.type === 'ArtifactStored' ? e.value.path.split('/').at(-1) : ''));
    expect(files).toEqual(expect.arrayContaining(['MLmodel', 'model.skops', 'requirements.txt']));
    for (const e of artifacts) if (e.type === 'ArtifactStored') expect(e.value.sha256).toMatch(/^[0-9a-f]{64}$/);

    const registryTopic = await readTopic(kafka, serde, catalog.topic('registry'));
    const registry = registryTopic.filter((e) => e.key === model);
    expect(registry.map((e) => e.type)).toEqual(expect.arrayContaining(['RegisteredModelCreated', 'ModelVersionRegistered', 'StageTransitioned', 'AliasSet']));

    // `mlstream audit lineage`: version → logged model (its artifacts with hashes) → run (params, metrics), from the log.
    const lineage = lineageOf(model, result.version, registryTopic, runEvents, [], artifactTopic);
    expect(lineage.loggedModel?.modelId).toBe(result.model_id);
    expect(lineage.loggedModel?.artifacts.map((a) => a.sha256)).toEqual(expect.arrayContaining(artifacts.map((e) => (e.type === 'ArtifactStored' ? e.value.sha256 : ''))));
    expect(lineage.run?.runId).toBe(result.run_id);
    expect(Object.fromEntries(Object.entries(lineage.run?.params ?? {}).map(([k, v]) => [k, v.value]))).toEqual({ learning_rate: '0.01', epochs: '100' });
    expect(lineage.run?.finalMetrics.accuracy?.value).toBe(0.95);

    // The read model: the run's params and metrics reach ClickHouse through the materializer.
    const rows = await waitFor(
      async () => {
        const r = await clickhouse.query({ query: `SELECT key, value FROM ${database}.run_metrics WHERE run_id = '${result.run_id}' ORDER BY key`, format: 'JSONEachRow' });
        const list = await r.json<{ key: string; value: number }>();
        return list.length >= 2 ? list : undefined;
      },
      { timeoutMs: 30_000, what: 'the snippet metrics in ClickHouse' },
    );
    expect(rows).toEqual([
      { key: 'accuracy', value: 0.95 },
      { key: 'f1_score', value: 0.93 },
    ]);
  }, 400_000);
});
