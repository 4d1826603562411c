import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse, createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type DecodedEvent, type RecordTypes } from '@mlstream/kit';
import { startDriftDetector } from '@mlstream/drift-detector';
import { runMaterializerService, type RetrainJobRow } from '@mlstream/materializer';
import { servingTraffic } from '../../services/cli/src/demo/traffic.ts';
import { auditRetrainJobs } from '../../services/cli/src/audit/retrain.ts';
import { applyTestTopics, connections, startCommandProcessors, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';
import { startTestGateway } from '../fixtures/gateway/index.ts';

// The loop end to end on the real stack, small windows: drift → RetrainRequested →
// exactly one job (snapshot, training, registration, @challenger, evaluation,
// promotion), the orchestrator SIGKILLed while the job trains, and the request
// delivered again at the end: still one job.
describe('closing the loop: retrain orchestrator', () => {
  const prefix = `${uniqueName('loop')}.`;
  const db = uniqueName('loop').replace(/-/g, '_');
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('retrain-loop');
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const client = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const WINDOW = 250;
  const MODEL = 'churn';
  const inProcess: Array<{ stop(): Promise<unknown> }> = [];
  const children: ServiceProcess[] = [];
  let artifactRoot = '';
  const env = (): Record<string, string> => ({
    MLSTREAM_TOPIC_PREFIX: prefix,
    MLSTREAM_CLICKHOUSE_DATABASE: db,
    MLSTREAM_LOG_LEVEL: 'warn',
    MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: '6000',
    MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS: '6000',
    MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '150',
    MLSTREAM_DRIFT_WINDOW_SIZE: String(WINDOW),
    MLSTREAM_DRIFT_CONSECUTIVE_WINDOWS: '2',
    MLSTREAM_ARTIFACT_ROOT: artifactRoot,
    MLSTREAM_ORCHESTRATOR_MIN_LABELED: '80',
    MLSTREAM_ORCHESTRATOR_LABEL_GRACE_MS: '1000',
    MLSTREAM_ORCHESTRATOR_SETTLE_MS: '2000',
    // A slow trainer, so the orchestrator is killed while the job trains.
    MLSTREAM_ORCHESTRATOR_COMMAND: '{node} services/orchestrator/src/trainer/main.ts --snapshot {snapshot} --out {output} --delay-ms 4000',
  });
  const orchestrator = () => {
    const p = startService('services/orchestrator/src/main.ts', env());
    children.push(p);
    return p;
  };
  const read = async (stream: 'retrain-jobs' | 'registry' | 'ingestion' | 'retrain' | 'registry.commands') => readTopic(kafka, serde, catalog.topic(stream));
  const jobEvents = async () => (await read('retrain-jobs')).filter((e) => e.type.startsWith('RetrainJob'));
  const count = async (query: string) => Number(((await (await client.query({ query, format: 'JSONEachRow' })).json<{ n: string }>())[0] ?? { n: '0' }).n);

  afterAll(async () => {
    for (const c of children) c.child.kill('SIGKILL');
    await Promise.allSettled(inProcess.map((s) => s.stop()));
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` }).catch(() => {});
    await client.close();
  });

  it('turns one RetrainRequested into exactly one job that snapshots, trains, evaluates and promotes, across a SIGKILL and a redelivery', async () => {
    artifactRoot = await mkdtemp(path.join(os.tmpdir(), 'mlstream-loop-artifacts-'));
    await applyTestTopics(kafka, catalog);
    const e = env();
    inProcess.push(...(await startCommandProcessors(e)), await runMaterializerService({ env: e, signals: false }), await startDriftDetector({ env: e, signals: false }));
    let orch = orchestrator();

    // The champion, v1 in Production, registered through the registry's commands.
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const send = async (records: Array<{ topic: string; message: { key: string; value: Buffer } }>) => {
      const byTopic = new Map<string, Array<{ key: string; value: Buffer }>>();
      for (const r of records) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r.message]);
      for (const [topic, messages] of byTopic) await producer.send({ topic, acks: -1, messages });
    };
    const cmd = (id: string) => ({ eventId: crypto.randomUUID(), occurredAt: Date.now(), commandId: `seed-${id}`, actor: 'test', expectedVersion: null });
    await send([
      await serde.encode('RegisterModelVersion', { ...cmd('register'), model: MODEL, runId: null, artifactUri: 'file:///champion.pkl', artifactSha256: null, signature: [], description: null, tags: {}, reason: null }),
      await serde.encode('TransitionStage', { ...cmd('promote'), model: MODEL, version: 1, toStage: 'PRODUCTION', archivePrevious: true, gate: null, reason: 'seed' }),
    ]);

    // Serving traffic of v1: 2 clean windows, then the shift (features and the label relation), labels 50 ms after.
    const plan = { shiftAt: 2 * WINDOW, total: 5 * WINDOW };
    const traffic = servingTraffic({ seed: 7, requestPrefix: 'req', shiftAt: plan.shiftAt });
    const start = Date.now() - plan.total * 10;
    for (let w = 0; w < plan.total / WINDOW; w++) {
      const records = [];
      for (let i = 0; i < WINDOW; i++) {
        const r = traffic.next();
        const at = start + r.index * 10;
        records.push(await serde.encode('PredictionLogged', { eventId: crypto.randomUUID(), occurredAt: at, requestId: r.requestId, model: MODEL, version: 1, ...r.features, prediction: r.prediction, probabilities: r.probabilities, latencyMs: r.latencyMs, error: r.error }));
        if (r.label) records.push(await serde.encode('LabelObserved', { eventId: crypto.randomUUID(), occurredAt: at + 50, requestId: r.requestId, model: MODEL, label: r.label }));
      }
      await send(records);
    }

    const requests = await waitFor(async () => {
      const r = (await read('retrain')).filter((x) => x.type === 'RetrainRequested');
      return r.length > 0 && r;
    }, { what: 'RetrainRequested', timeoutMs: 60_000, intervalMs: 300 });
    expect(requests).toHaveLength(1);
    const request = requests[0]!.value as RecordTypes['RetrainRequested'];

    // Killed mid-job: once the job started (the trainer sleeps 4 s), then restarted.
    await waitFor(async () => (await jobEvents()).some((x) => x.type === 'RetrainJobStarted'), { what: 'RetrainJobStarted', timeoutMs: 60_000, intervalMs: 100 });
    orch.child.kill('SIGKILL');
    await orch.exited;
    expect((await jobEvents()).map((x) => x.type)).not.toContain('RetrainJobRunLinked');
    orch = orchestrator();

    const events = await waitFor(async () => {
      const all = await jobEvents();
      return all.some((x) => ['RetrainJobPromoted', 'RetrainJobRejected', 'RetrainJobFailed', 'RetrainJobTimedOut'].includes(x.type)) && all;
    }, { what: 'a finished job', timeoutMs: 90_000, intervalMs: 300 });
    const types = events.map((x) => x.type);
    expect(types, orch.output()).toEqual(['RetrainJobRequested', 'RetrainJobStarted', 'RetrainJobRunLinked', 'RetrainJobVersionRegistered', 'RetrainJobEvaluated', 'RetrainJobPromoted']);
    expect(new Set(events.map((x) => x.value.eventId)).size).toBe(events.length);
    for (const x of events) expect(x.value).toMatchObject({ model: MODEL, idempotencyKey: request.idempotencyKey });
    const started = events[1]!.value as RecordTypes['RetrainJobStarted'];
    const evaluated = events[4]!.value as RecordTypes['RetrainJobEvaluated'];
    expect(evaluated).toMatchObject({ challengerVersion: 2, championVersion: 1, decision: 'promote' });
    expect(evaluated.challengerAccuracy).toBeGreaterThan(evaluated.championAccuracy + 0.02);
    expect(evaluated.pValue).toBeLessThan(0.05);
    expect(evaluated.labeled).toBe(started.holdoutRows);

    // One snapshot: a DatasetVersionIngested whose rows are the labeled predictions of the drifted range in ClickHouse.
    const snapshots = (await read('ingestion')).filter((x) => x.type === 'DatasetVersionIngested');
    expect(snapshots).toHaveLength(1);
    const snapshot = snapshots[0]!.value as RecordTypes['DatasetVersionIngested'];
    expect(snapshot).toMatchObject({ datasetId: started.datasetId, version: started.datasetVersion, contentSha256: started.snapshotSha256, rowCount: started.rowCount, validation: { passed: true } });
    expect(Object.entries(snapshot.tags ?? {}).filter(([k]) => k.startsWith('mlstream.source.')).map(([, v]) => v)).toEqual([expect.stringMatching(new RegExp(`^${catalog.topic('predictions').replace(/\./g, '\\.')}:\\d+:\\d+-\\d+$`)), expect.stringMatching(/feedback\.v1:\d+:\d+-\d+$/)]);
    const windowIds = request.evidence.map((x) => `'${x.windowId}'`).join(',');
    const range = `(SELECT min(window_start_ms) FROM ${db}.drift_measurements WHERE model = '${MODEL}' AND window_id IN (${windowIds})) AND (SELECT max(window_end_ms) FROM ${db}.drift_measurements WHERE model = '${MODEL}' AND window_id IN (${windowIds}))`;
    const labeled = await count(
      `SELECT uniqExact(request_id) AS n FROM ${db}.predictions WHERE model = '${MODEL}' AND version = 1 AND is_error = 0 AND occurred_ms BETWEEN ${range} AND request_id IN (SELECT request_id FROM ${db}.labels WHERE model = '${MODEL}' AND occurred_ms <= ${started.labelCutoffMs})`,
    );
    expect(labeled).toBeGreaterThan(200);
    expect(snapshot.rowCount).toBe(labeled);

    // One challenger, promoted through the registry: v2 registered once, @challenger then Production and @champion, v1 archived.
    const registry = await waitFor(async () => {
      const r = await read('registry');
      return r.some((x) => x.type === 'AliasSet' && (x.value as RecordTypes['AliasSet']).alias === 'champion') && r;
    }, { what: '@champion on v2', timeoutMs: 30_000, intervalMs: 300 });
    expect(registry.filter((x) => x.type === 'ModelVersionRegistered').map((x) => (x.value as RecordTypes['ModelVersionRegistered']).version)).toEqual([1, 2]);
    expect(registry.filter((x) => x.type === 'AliasSet').map((x) => [(x.value as RecordTypes['AliasSet']).alias, (x.value as RecordTypes['AliasSet']).version])).toEqual([
      ['challenger', 2],
      ['champion', 2],
    ]);
    expect(registry.filter((x) => x.type === 'StageTransitioned').map((x) => [(x.value as RecordTypes['StageTransitioned']).version, (x.value as RecordTypes['StageTransitioned']).toStage])).toEqual([
      [1, 'PRODUCTION'],
      [2, 'PRODUCTION'],
      [1, 'ARCHIVED'],
    ]);

    // The decision is reproduced from the log and the artifact store.
    const audit = await auditRetrainJobs({ jobEvents: events as DecodedEvent[], artifactRoot });
    expect(audit.findings).toEqual([]);
    expect(audit.reproduced).toBe(1);

    // The same RetrainRequested delivered again: consumed, and no second job.
    const admin = kafka.admin();
    await admin.connect();
    const again = await serde.encode('RetrainRequested', request);
    await producer.send({ topic: catalog.topic('retrain'), acks: -1, messages: [again.message] });
    const retrainPartition = requests[0]!.partition;
    const offsets = await admin.fetchTopicOffsets(catalog.topic('retrain'));
    const high = Number(offsets.find((o) => o.partition === retrainPartition)!.high);
    await waitFor(async () => {
      const committed = await admin.fetchOffsets({ groupId: `${prefix}mlstream-orchestrator`, topics: [catalog.topic('retrain')] });
      return Number(committed[0]!.partitions.find((p) => p.partition === retrainPartition)!.offset) >= high;
    }, { what: 'the repeated request consumed', timeoutMs: 30_000, intervalMs: 200 });
    await admin.disconnect();
    await producer.disconnect();
    expect((await jobEvents()).map((x) => x.type)).toEqual(types);

    // The API lists the job from the read model: one job, its six events in order, the evaluation's numbers.
    const gateway = await startTestGateway({ prefix, env: { MLSTREAM_CLICKHOUSE_DATABASE: db } });
    inProcess.push(gateway);
    const listed = await waitFor(async () => {
      const r = await gateway.call('GET', `/v1/models/${MODEL}/retrain-jobs`);
      const jobs = r.body.jobs as Array<{ state: string }> | undefined;
      return r.status === 200 && jobs?.[0]?.state === 'Promoted' && (jobs as unknown as RetrainJobRow[]);
    }, { what: 'GET /v1/models/churn/retrain-jobs', timeoutMs: 30_000, intervalMs: 300 });
    expect(listed).toHaveLength(1);
    expect(listed[0]!.idempotencyKey).toBe(request.idempotencyKey);
    expect(listed[0]!.events.map((x) => x.event)).toEqual(['Requested', 'Started', 'RunLinked', 'VersionRegistered', 'Evaluated', 'Promoted']);
    expect(listed[0]!.events[4]!.detail).toMatchObject({ decision: 'promote', labeled: evaluated.labeled, challengerAccuracy: evaluated.challengerAccuracy });
  }, 300_000);
});
