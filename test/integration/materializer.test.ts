import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Producer } from 'kafkajs';
import { createClickHouse, createSchemaRegistryClient, createSerde, experimentIdOf, isMlstreamError, resolveCatalog, type ClickHouseClient } from '@mlstream/kit';
import { Sql, compareVersions, readMigrationFiles, driftHistory, metricHistory, modelHealth, modelVersions, runMaterializerService, searchRuns, select, sql, type RunningMaterializer } from '@mlstream/materializer';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics } from '../helpers/index.ts';
import { mlflowScenario, scenario } from '../fixtures/materializer/scenario.ts';

// Every event type produced into a fresh catalog, materialized by the real
// service into a fresh database; rows, the per-minute view, dead letters and
// each analytics query checked against expectations computed here.
describe('materializer: Kafka → ClickHouse read model and analytics', () => {
  const prefix = `${uniqueName('mat')}.`;
  const db = uniqueName('mat').replace(/-/g, '_');
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('materializer');
  const client: ClickHouseClient = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const deps = { client, database: db };
  const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_CLICKHOUSE_DATABASE: db, MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200', MLSTREAM_LOG_LEVEL: process.env.MLSTREAM_TEST_LOG_LEVEL ?? 'silent', MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: '6000' };
  const world = scenario();
  const mlflow = mlflowScenario(experimentIdOf);
  // Independently of ClickHouse: what the scenario must produce in each table (the MLflow part adds run-d, its tag and its lifecycle rows).
  const expectedCounts: Record<string, number> = {
    datasets: 2, runs: 4, run_params: 6, run_metrics: 6, run_tags: 7, run_inputs: 3, run_artifacts: 3, model_versions: 2 + mlflow.counts.model_versions, stage_history: 4 + mlflow.counts.stage_history, aliases: 4,
    predictions: world.preds.length, labels: world.labels.length, drift_measurements: 3, drift_detections: 1, retrain_requests: 1, dead_letters: 1, command_results: 2,
    ...Object.fromEntries(Object.entries(mlflow.counts).filter(([t]) => !['model_versions', 'stage_history'].includes(t))), run_lifecycle: mlflow.counts.run_lifecycle + 3,
  };
  let producer: Producer;
  let service: RunningMaterializer | undefined;

  const rows = async <T>(query: string): Promise<T[]> => (await client.query({ query, format: 'JSONEachRow' })).json<T>();
  // Current-state tables (ReplacingMergeTree) are counted as queries see them: FINAL.
  const count = async (table: string) => Number((await rows<{ n: string }>(`SELECT count() AS n FROM ${db}.${table}${['runs', 'run_tags'].includes(table) ? ' FINAL' : ''}`))[0]!.n);
  const produce = async (drafts: typeof world.drafts) => {
    const encoded = await Promise.all(drafts.map((d) => serde.encode(d.type, d.value as never)));
    const byTopic = new Map<string, Array<(typeof encoded)[number]['message']>>();
    for (const e of encoded) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e.message]);
    await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  };

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await produce([...world.drafts, ...mlflow.drafts]);
    // A record no schema can read: it must be dead-lettered, then materialized from the dead-letter topic.
    await producer.send({ topic: catalog.topic('predictions'), acks: -1, messages: [{ key: 'churn', value: Buffer.from('not avro at all') }] });
    service = await runMaterializerService({ env, signals: false });
    await waitFor(async () => {
      for (const [table, n] of Object.entries(expectedCounts)) if ((await count(table)) !== n) return false;
      return true;
    }, {
      what: 'every event materialized',
      timeoutMs: 60_000,
      intervalMs: 250,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await producer?.disconnect();
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('writes every event to its table with the right values and its Kafka coordinates', async () => {
    expect(await count('datasets')).toBe(2);
    expect(await count('run_metrics')).toBe(6);
    expect(await count('run_params')).toBe(6);
    expect(await count('run_inputs')).toBe(3);
    expect(await count('run_artifacts')).toBe(3);
    expect(await count('model_versions')).toBe(5);
    expect(await count('stage_history')).toBe(7);
    expect(await count('aliases')).toBe(4);
    expect(await count('drift_measurements')).toBe(3);
    expect(await count('drift_detections')).toBe(1);
    expect(await count('retrain_requests')).toBe(1);
    const runs = await rows<{ run_id: string; status: string; experiment: string; end_ms: string }>(`SELECT run_id, status, experiment, end_ms FROM ${db}.runs FINAL ORDER BY run_id`);
    expect(runs).toEqual([
      { run_id: 'run-a', status: 'FINISHED', experiment: 'churn-exp', end_ms: String(world.T0 - 1_800_000 + 30_000) },
      { run_id: 'run-b', status: 'FAILED', experiment: 'churn-exp', end_ms: String(world.T0 - 1_800_000 + 60_000 + 30_000) },
      { run_id: 'run-c', status: 'RUNNING', experiment: 'churn-exp', end_ms: '0' },
      { run_id: 'run-d', status: 'RUNNING', experiment: 'churn-exp', end_ms: '0' },
    ]);
    // The hostile param value survives byte for byte.
    const [param] = await rows<{ value: string }>(`SELECT value FROM ${db}.run_params WHERE run_id = 'run-c' AND key = 'lr'`);
    expect(param!.value).toBe(world.hostile);
    // Offsets are unique per partition and the predictions are exactly the produced ones.
    const dup = await rows<{ n: string }>(`SELECT count() AS n FROM (SELECT _partition, _offset FROM ${db}.predictions GROUP BY _partition, _offset HAVING count() > 1)`);
    expect(dup[0]!.n).toBe('0');
    const ids = await rows<{ request_id: string; latency_ms: number; is_error: number }>(`SELECT request_id, latency_ms, is_error FROM ${db}.predictions`);
    const produced = new Map(world.preds.map((p) => [p.requestId, p]));
    for (const r of ids) {
      // ClickHouse 18.16 parses JSON floats with a fast parser that may be one ulp off (docs/materializer.md).
      expect(r.latency_ms).toBeCloseTo(produced.get(r.request_id)!.latencyMs, 12);
      expect(r.is_error).toBe(produced.get(r.request_id)!.error ? 1 : 0);
    }
    const [letter] = await rows<{ source_topic: string; error_code: string; value_base64: string }>(`SELECT source_topic, error_code, value_base64 FROM ${db}.dead_letters`);
    expect(letter).toEqual({ source_topic: catalog.topic('predictions'), error_code: 'CORRUPT_MESSAGE', value_base64: Buffer.from('not avro at all').toString('base64') });
  });

  it('aggregates per minute in the materialized view, counted once', async () => {
    const view = await rows<{ version: number; minute: string; n: string; e: string }>(
      `SELECT version, toString(toUnixTimestamp(minute)) AS minute, countMerge(requests) AS n, sumMerge(errors) AS e FROM ${db}.model_metrics_1m GROUP BY version, minute ORDER BY version, minute`,
    );
    const expected = new Map<string, { n: number; e: number }>();
    for (const p of world.preds) {
      const k = `${p.version}/${Math.floor(p.occurredAt / 60_000) * 60}`;
      const cur = expected.get(k) ?? { n: 0, e: 0 };
      expected.set(k, { n: cur.n + 1, e: cur.e + (p.error ? 1 : 0) });
    }
    expect(new Map(view.map((v) => [`${v.version}/${v.minute}`, { n: Number(v.n), e: Number(v.e) }]))).toEqual(expected);
  });

  const quantile = (values: number[], q: number) => {
    const s = [...values].sort((a, b) => a - b);
    const i = q * (s.length - 1);
    const lo = Math.floor(i);
    return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (i - lo);
  };

  it('model health: throughput, error rate and latency quantiles per version and bucket', async () => {
    const points = await modelHealth(deps, { model: 'churn', from: world.T0, to: world.T0 + 3_600_000, bucketSeconds: 120 });
    expect(points.map((p) => [p.version, p.bucketStart])).toEqual([1, 2].flatMap((v) => [0, 1].map((b) => [v, world.T0 + b * 120_000])));
    for (const point of points) {
      const inBucket = world.preds.filter((p) => p.version === point.version && p.occurredAt >= point.bucketStart && p.occurredAt < point.bucketStart + 120_000);
      expect(point.requests).toBe(inBucket.length);
      expect(point.errors).toBe(inBucket.filter((p) => p.error).length);
      const lat = inBucket.map((p) => p.latencyMs);
      expect(point.latencyMs.p50).toBeCloseTo(quantile(lat, 0.5), 6);
      expect(point.latencyMs.p95).toBeCloseTo(quantile(lat, 0.95), 6);
      expect(point.latencyMs.p99).toBeCloseTo(quantile(lat, 0.99), 6);
    }
    await expect(modelHealth(deps, { model: 'churn', from: 5, to: 1 })).rejects.toSatisfy((e) => isMlstreamError(e, 'INVALID_ANALYTICS_REQUEST'));
  });

  it('champion vs challenger, resolved through aliases, with accuracy on joined labels', async () => {
    const window = { from: world.T0, to: world.T0 + 3_600_000 };
    const { champion, challenger } = await compareVersions(deps, { model: 'churn', champion: { alias: 'champion' }, challenger: { alias: 'challenger' }, ...window });
    for (const [report, version] of [[champion, 1], [challenger, 2]] as const) {
      const mine = world.preds.filter((p) => p.version === version);
      expect(report.version).toBe(version);
      expect(report.requests).toBe(mine.length);
      expect(report.errorRate).toBeCloseTo(mine.filter((p) => p.error).length / mine.length, 12);
      expect(report.latencyMs.p95).toBeCloseTo(quantile(mine.map((p) => p.latencyMs), 0.95), 6);
      const labeled = world.labels.filter((l) => mine.some((p) => p.requestId === l.requestId));
      const correct = labeled.filter((l) => mine.find((p) => p.requestId === l.requestId)!.prediction === l.label).length;
      expect(report.labeled).toBe(labeled.length);
      expect(report.accuracy).toBeCloseTo(correct / labeled.length, 12);
      expect(report.prediction!.mean).toBeCloseTo(mine.reduce((s, p) => s + (p.prediction as number), 0) / mine.length, 12);
    }
    await expect(compareVersions(deps, { model: 'churn', champion: { alias: 'old' }, challenger: 2, ...window })).rejects.toSatisfy((e) => isMlstreamError(e, 'ALIAS_NOT_FOUND'));
  });

  it('run search: MLflow filter, order by latest metric, paging, and hostile strings as plain data', async () => {
    const found = await searchRuns(deps, { filter: "metrics.acc > 0.9 and tags.team = 'x'", orderBy: ['metrics.acc DESC'] });
    expect(found.runs.map((r) => [r.runId, r.metrics.acc])).toEqual([['run-c', 0.95], ['run-a', 0.93]]);
    expect(found.runs[1]).toMatchObject({ status: 'FINISHED', params: { lr: '0.01', depth: '3' }, tags: { team: 'x', stage: 'final' }, codeVersion: 'git-0' });
    expect(found.nextPageToken).toBeUndefined();
    const page1 = await searchRuns(deps, { orderBy: ['attributes.start_time ASC'], maxResults: 2 });
    expect(page1.runs.map((r) => r.runId)).toEqual(['run-a', 'run-b']);
    const page2 = await searchRuns(deps, { orderBy: ['attributes.start_time ASC'], maxResults: 2, pageToken: page1.nextPageToken! });
    expect(page2).toEqual({ runs: [expect.objectContaining({ runId: 'run-c', endTime: null })] });
    expect((await searchRuns(deps, { filter: "params.lr = '0.1' and attributes.status = 'FAILED'" })).runs.map((r) => r.runId)).toEqual(['run-b']);
    // The exact hostile value finds its run; near misses and injections find nothing and break nothing.
    const quoted = `'${world.hostile.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
    expect((await searchRuns(deps, { filter: `params.lr = ${quoted}` })).runs.map((r) => r.runId)).toEqual(['run-c']);
    for (const filter of ["params.lr = '' OR 1=1 --'", "params.lr = '\\'; DROP TABLE runs; --'", "tags.team = 'x\\' OR \\'1\\'=\\'1'", "params.lr = '𝔘\\u0000'"]) {
      try {
        expect((await searchRuns(deps, { filter })).runs).toEqual([]);
      } catch (error) {
        expect(isMlstreamError(error, 'INVALID_FILTER')).toBe(true);
      }
    }
    expect(await count('runs')).toBeGreaterThan(0);
    await expect(searchRuns(deps, { filter: 'metrics.acc > 1e400' })).rejects.toSatisfy((e) => isMlstreamError(e, 'INVALID_FILTER'));
    await expect(searchRuns(deps, { pageToken: 'garbage' })).rejects.toSatisfy((e) => isMlstreamError(e, 'INVALID_ANALYTICS_REQUEST'));
  });

  it('MLflow entities: experiments, run lifecycle, tag deletions, registry changes, artifacts and logged models, each row with its coordinates', async () => {
    const exp = await rows<Record<string, string>>(`SELECT experiment_id, name, artifact_location, lifecycle_stage, created_by FROM ${db}.experiments ORDER BY name`);
    expect(exp).toEqual([
      { experiment_id: mlflow.exp, name: 'churn', artifact_location: `mlflow-artifacts:/${mlflow.exp}`, lifecycle_stage: 'active', created_by: 'ana' },
      { experiment_id: mlflow.scratch, name: 'scratch', artifact_location: `mlflow-artifacts:/${mlflow.scratch}`, lifecycle_stage: 'deleted', created_by: 'ana' },
    ]);
    const tags = await rows<{ key: string; value: string }>(
      `SELECT key, argMax(value, _offset) AS value FROM ${db}.experiment_tags WHERE experiment_id = '${mlflow.exp}' GROUP BY key HAVING argMax(deleted, _offset) = 0 ORDER BY key`,
    );
    expect(tags).toEqual([{ key: 'owner', value: 'ana' }, { key: 'team', value: 'x' }]);
    // Who deleted what: runs, experiments, models, versions, tags, all with the event's Kafka coordinates.
    const deletions = await rows<{ what: string; id: string; actor: string; topic: string }>(`
      SELECT 'run' AS what, run_id AS id, actor, _topic AS topic FROM ${db}.run_lifecycle WHERE action = 'DELETED'
      UNION ALL SELECT 'experiment', experiment_id, actor, _topic FROM ${db}.experiment_events WHERE event = 'Deleted'
      UNION ALL SELECT 'model', model, actor, _topic FROM ${db}.registered_models WHERE event = 'Deleted'
      UNION ALL SELECT 'version', concat(model, '/', toString(version)), actor, _topic FROM ${db}.model_version_changes WHERE event = 'Deleted'
      UNION ALL SELECT 'run tag', concat(run_id, '/', key), actor, _topic FROM ${db}.run_tag_deletions`);
    expect(deletions.map((d) => `${d.what} ${d.id} ${d.actor} ${d.topic}`).sort()).toEqual([
      `experiment ${mlflow.scratch} bob ${catalog.topic('experiments')}`,
      `model gone-model bob ${catalog.topic('registry')}`,
      `run run-d bob ${catalog.topic('runs')}`,
      `run tag run-b/stage bob ${catalog.topic('runs')}`,
      `version scratch-model/1 bob ${catalog.topic('registry')}`,
    ]);
    const [started] = await rows<{ experiment_id: string }>(`SELECT experiment_id FROM ${db}.run_lifecycle WHERE run_id = 'run-a' AND action = 'STARTED'`);
    expect(started!.experiment_id).toBe(experimentIdOf('churn-exp'));
    const described = await rows<{ model: string; version: number; description: string }>(
      `SELECT model, version, argMax(description, _offset) AS description FROM ${db}.model_version_changes WHERE event = 'Updated' GROUP BY model, version`,
    );
    expect(described).toEqual([{ model: 'churn', version: 2, description: 'v2 notes' }]);
    const modelTags = await rows<{ version: number; key: string; value: string }>(`SELECT version, key, value FROM ${db}.model_tags WHERE model = 'churn' AND deleted = 0 ORDER BY version, key`);
    expect(modelTags).toEqual([{ version: 0, key: 'owner', value: 'release' }, { version: 2, key: 'validated', value: 'no' }]);
    const artifacts = await rows<{ path: string; size: string; sha256: string; uri: string; _topic: string; _offset: string }>(
      `SELECT path, size, sha256, uri, _topic, _offset FROM ${db}.artifacts WHERE run_id = 'run-a' ORDER BY path`,
    );
    expect(artifacts.map((a) => [a.path, Number(a.size), a.sha256, a.uri, a._topic])).toEqual(
      mlflow.artifacts.filter((a) => a.runId === 'run-a').map((a) => [a.path, a.size, a.sha256, `file:///var/mlstream/artifacts/blobs/${a.sha256.slice(0, 2)}/${a.sha256}`, catalog.topic('artifacts')]),
    );
    const [model] = await rows<{ status: string; run_id: string; tag_keys: string[] }>(`SELECT status, run_id, tag_keys FROM ${db}.logged_models WHERE model_id = 'm-1' ORDER BY _offset DESC LIMIT 1`);
    expect(model).toEqual({ status: 'READY', run_id: 'run-a', tag_keys: ['flavor'] });
  });

  it('run search leaves deleted runs out and does not match deleted tags', async () => {
    // run-d is named "run 3" and tagged team=x, but deleted; run-b's stage tag was deleted.
    expect((await searchRuns(deps, { filter: "attributes.run_name ILIKE 'run %'" })).runs.map((r) => r.runId)).toEqual(['run-c', 'run-b', 'run-a']);
    expect((await searchRuns(deps, { viewType: 'DELETED_ONLY' })).runs.map((r) => r.runId)).toEqual(['run-d']);
    expect((await searchRuns(deps, { viewType: 'ALL', filter: "tags.team = 'x'" })).runs.map((r) => r.runId)).toEqual(['run-d', 'run-c', 'run-a']);
    expect((await searchRuns(deps, { filter: "tags.stage = 'final'" })).runs.map((r) => r.runId)).toEqual(['run-c', 'run-a']);
    const [b] = (await searchRuns(deps, { filter: "attributes.status = 'FAILED'" })).runs;
    expect(b!.tags).toEqual({ team: 'y' });
  });

  it('the escaping helper round-trips hostile text through ClickHouse, and SQL errors stay internal', async () => {
    const nasty = ["'", '\\', "\\'", '\0', 'a\0b', '\x07\b\f\v\n\r\t', '\x01\x1f\x7f', '-- x', '/* y */', '𝔘 “q” naïve', "'); DROP TABLE runs; --", '\u2028'];
    for (const text of nasty) {
      const [row] = await rows<{ v: string }>(sql`SELECT ${text} AS v`.text);
      expect(row!.v, JSON.stringify(text)).toBe(text);
    }
    const error = await select(deps, sql`SELECT no_such_column FROM ${new Sql(db)}.runs`).then(() => undefined, (e: unknown) => e);
    expect(isMlstreamError(error, 'ANALYTICS_QUERY_FAILED')).toBe(true);
    expect((error as Error).message).not.toContain('no_such_column');
    expect(String(((error as Error).cause as Error).message)).toContain('no_such_column');
  });

  it('metric history of a run in step order', async () => {
    const history = await metricHistory(deps, { runId: 'run-a', key: 'acc' });
    expect(history.map((p) => [p.step, p.value])).toEqual([[0, 0.7], [1, 0.8], [2, 0.93]]);
  });

  it('model versions with stage history, aliases and lineage down to dataset hashes and Kafka coordinates', async () => {
    const versions = await modelVersions(deps, { model: 'churn' });
    expect(versions.map((v) => [v.version, v.currentStage, v.aliases])).toEqual([[1, 'PRODUCTION', ['champion']], [2, 'DEVELOPMENT', ['challenger']]]);
    const v1 = versions[0]!;
    expect(v1.stageHistory.map((s) => [s.fromStage, s.toStage])).toEqual([[null, 'DEVELOPMENT'], ['DEVELOPMENT', 'STAGING'], ['STAGING', 'PRODUCTION']]);
    expect(v1.stageHistory[2]!.gate).toEqual({ metric: 'acc', passed: true, candidate: 0.93, threshold: 0.9 });
    expect(v1.lineage.run).toMatchObject({ status: 'FINISHED', codeVersion: 'git-0', params: { lr: '0.01' }, metrics: { acc: 0.93 } });
    expect(v1.lineage.datasets).toEqual([{ datasetId: 'customers', version: 'v1', context: 'training', contentSha256: 'sha-v1', uri: 's3://data/customers/v1', rowCount: 1000, source: expect.objectContaining({ topic: catalog.topic('ingestion') }) }]);
    expect(v1.source.topic).toBe(catalog.topic('registry'));
    // Version changes: the latest description wins; deleted versions and versions of a deleted model are gone.
    expect(versions[1]!.description).toBe('v2 notes');
    expect((await modelVersions(deps, { model: 'scratch-model' })).map((v) => v.version)).toEqual([2]);
    expect(await modelVersions(deps, { model: 'gone-model' })).toEqual([]);
  });

  it('drift and retrain history', async () => {
    const h = await driftHistory(deps, { model: 'churn', version: 1 });
    expect(h.measurements.map((m) => [m.windowIndex, m.datasetDrift, m.accuracy])).toEqual([[0, false, 0.9], [1, false, 0.8], [2, true, expect.closeTo(0.7, 12)]]);
    expect(h.measurements[0]!.features).toEqual([
      { feature: 'age', test: 'ks', statistic: 0.1, pValue: 0.5, drifted: false },
      { feature: 'plan', test: 'jensenshannon', statistic: 0.05, pValue: null, drifted: false },
    ]);
    expect(h.detections).toEqual([expect.objectContaining({ windowId: 'churn/1/COUNT/2', driftedFeatures: ['age'] })]);
    expect(h.retrains).toEqual([expect.objectContaining({ idempotencyKey: 'churn-1-w2', evidenceEventIds: [h.measurements[2]!.eventId] })]);
  });

  it('a restart resumes from ClickHouse: nothing is written twice, new events are appended', async () => {
    await service!.stop();
    // Kafka's committed offsets are thrown away: resuming must rely on ClickHouse alone.
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([`${prefix}mlstream-materializer`]).catch(() => {});
    await admin.disconnect();
    service = await runMaterializerService({ env, signals: false });
    const more = scenario().preds.slice(0, 50).map((p, i) => ({ type: 'PredictionLogged' as const, value: { ...p, requestId: `late-${i}` } }));
    await produce(more);
    await waitFor(async () => (await count('predictions')) === world.preds.length + 50, { what: 'late predictions', timeoutMs: 30_000, intervalMs: 250 });
    await new Promise((r) => setTimeout(r, 1_000)); // give a duplicate the time to appear
    expect(await count('predictions')).toBe(world.preds.length + 50);
    expect(await count('run_metrics')).toBe(6);
    const [mv] = await rows<{ n: string }>(`SELECT countMerge(requests) AS n FROM ${db}.model_metrics_1m`);
    expect(Number(mv!.n)).toBe(world.preds.length + 50);
    const [applied] = await rows<{ n: string }>(`SELECT count() AS n FROM ${db}._migrations`);
    expect(Number(applied!.n)).toBe(readMigrationFiles().length);
    // The MLflow topics and tables resumed too: nothing twice.
    for (const table of ['experiment_events', 'artifacts', 'logged_models', 'run_lifecycle', 'model_tags']) expect(await count(table), table).toBe(expectedCounts[table]);
  });
});
