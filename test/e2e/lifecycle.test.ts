import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, createSchemaRegistryClient, createSerde, readTopic, resolveCatalog, type RetrainRequested } from '@mlstream/kit';
import { subscribeRetrain, type Subscription } from '@mlstream/sdk';
import { randomUUID } from 'node:crypto';
import { auditDriftFromLog } from '../../services/cli/src/audit/index.ts';
import { replay } from '../../services/cli/src/replay/index.ts';
import { defaultConfig } from '@mlstream/drift-detector';
import { applyContracts } from '../../services/cli/src/commands/contracts.ts';
import { runDemo, shiftedFeatures, type DemoReport } from '../../services/cli/src/demo/index.ts';
import { connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { freePort, startService, type ServiceProcess } from '../helpers/processes.ts';

// The whole lifecycle of `mlstream demo --fast`, against every service running
// as its own process (as `npm start` runs them) on a fresh topic prefix and
// ClickHouse database, with drift windows small enough for a quick run. Each
// step is checked where a user would look: Kafka, ClickHouse, the HTTP
// endpoints, a retraining system's subscription and the audit.
describe('the MLOps lifecycle end to end', () => {
  const prefix = `${uniqueName('e2e')}.`;
  const database = prefix.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '');
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('e2e');
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const clickhouse = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const WINDOW = 200;
  const K = 2;
  const model = `e2e-churn-${prefix.slice(1, 9)}`;
  const services: Array<{ name: string; port: number; process: ServiceProcess }> = [];
  const received: RetrainRequested[] = [];
  const lines: string[] = [];
  let subscription: Subscription | undefined;
  let env: Record<string, string>;
  let gatewayUrl: string;
  let report: DemoReport;

  const get = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${gatewayUrl}${path}`, { headers: { authorization: 'Bearer mlstream-dev-key' } });
    expect(res.status, `GET ${path}`).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    env = {
      MLSTREAM_TOPIC_PREFIX: prefix,
      MLSTREAM_CLICKHOUSE_DATABASE: database,
      MLSTREAM_LOG_LEVEL: 'warn',
      MLSTREAM_DRIFT_WINDOW_SIZE: String(WINDOW),
      MLSTREAM_DRIFT_CONSECUTIVE_WINDOWS: String(K),
      MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200',
      MLSTREAM_GATEWAY_API_KEYS: '',
    };
    // Topics and every schema first, as `npm start` does: services starting together would race to register them.
    await applyContracts({ ...process.env, ...env });
    const gatewayPort = await freePort();
    gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    for (const [name, entry] of [
      ['tracking', 'services/tracking/src/main.ts'],
      ['registry', 'services/registry/src/main.ts'],
      ['materializer', 'services/materializer/src/main.ts'],
      ['drift-detector', 'services/drift-detector/src/main.ts'],
      ['gateway', 'services/gateway/src/main.ts'],
    ] as const) {
      const port = name === 'gateway' ? gatewayPort : await freePort();
      services.push({ name, port, process: startService(entry, { ...env, MLSTREAM_HTTP_PORT: String(port), MLSTREAM_GATEWAY_PORT: String(gatewayPort) }) });
    }
    for (const s of services) {
      await waitFor(
        async () => {
          if (s.process.child.exitCode !== null) throw new Error(`${s.name} exited with ${s.process.child.exitCode}:\n${s.process.output()}`);
          return (await fetch(`http://127.0.0.1:${s.port}/readyz`)).ok;
        },
        { what: `${s.name} ready`, timeoutMs: 90_000, intervalMs: 250 },
      );
    }
    // A retraining system, subscribed over Kafka before anything happens.
    subscription = await subscribeRetrain({ topicPrefix: prefix, groupId: uniqueName('e2e-retrainer'), fromBeginning: true, model, handler: (r) => void received.push(r) });
    try {
      report = await runDemo({ fast: true, model, gatewayUrl, env: { ...process.env, ...env }, print: (line) => void lines.push(line) });
    } catch (error) {
      const logs = services.map((s) => `--- ${s.name} ---\n${s.process.output().slice(-2000)}`).join('\n');
      throw new Error(`the demo failed: ${(error as Error).message}\n--- demo output ---\n${lines.join('\n')}\n${logs}`, { cause: error });
    }
  }, 240_000);

  afterAll(async () => {
    await subscription?.stop();
    for (const s of services) s.process.child.kill('SIGTERM');
    await Promise.all(services.map((s) => Promise.race([s.process.exited, new Promise((r) => setTimeout(r, 10_000))])));
    for (const s of services) if (s.process.child.exitCode === null) s.process.child.kill('SIGKILL');
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await clickhouse.close();
  });

  it('prints every step with its elapsed time, the drift windows, the retrain banner, the summary and the lineage', () => {
    const text = lines.join('\n');
    for (const step of ['1/7 ingest', '2/7 three experiment runs', '3/7 register the best run', '4/7 stream predictions', '5/7 analytics summary', '6/7 audit', '7/7 done in']) expect(text).toContain(step);
    expect(lines.every((l) => /^\[\s*\d+\.\ds\] |^\[\d+m\d\ds\] /.test(l))).toBe(true);
    expect(text).toMatch(/window +\d+ +DRIFT drifted +50%/);
    expect(text).toContain('RetrainRequested');
    expect(text).toContain('model health');
    expect(text).toContain('lineage of');
  });

  it('ingests the training dataset version with its profile: the event in Kafka, the row in ClickHouse', async () => {
    const ingested = (await readTopic(kafka, serde, catalog.topic('ingestion'))).filter((e) => e.type === 'DatasetVersionIngested');
    expect(ingested).toHaveLength(1);
    const event = ingested[0]!;
    expect(event.type === 'DatasetVersionIngested' && event.value).toMatchObject({ datasetId: report.dataset.datasetId, version: report.dataset.version, contentSha256: report.dataset.contentSha256, rowCount: 2000, validation: { passed: true } });
    if (event.type !== 'DatasetVersionIngested') throw new Error('unreachable');
    expect(event.value.profile.map((p) => p.name).sort()).toEqual(['monthly_charges', 'plan', 'region', 'tenure_months']);
    expect(`${event.partition}:${event.offset}`).toBe(`${report.dataset.coordinates.partition}:${report.dataset.coordinates.offset}`);
    const rows = await (await clickhouse.query({ query: `SELECT dataset_id, version, content_sha256, row_count FROM ${database}.datasets`, format: 'JSONEachRow' })).json<{ dataset_id: string; version: string; content_sha256: string; row_count: string | number }>();
    expect(rows).toEqual([{ dataset_id: report.dataset.datasetId, version: report.dataset.version, content_sha256: report.dataset.contentSha256, row_count: expect.anything() }]);
    expect(Number(rows[0]!.row_count)).toBe(2000);
  });

  it('tracks three runs with metric curves, each trained on the dataset (metric history endpoint)', async () => {
    expect(report.runs).toHaveLength(3);
    for (const run of report.runs) {
      const { points } = await get<{ points: Array<{ step: number; value: number }> }>(`/v1/runs/${run.runId}/metrics/val_auc/history`);
      expect(points.map((p) => p.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      expect(points.at(-1)!.value).toBeCloseTo(run.finalValAuc, 9);
    }
    const events = await readTopic(kafka, serde, catalog.topic('runs'));
    expect(events.filter((e) => e.type === 'RunFinished')).toHaveLength(3);
    const inputs = events.flatMap((e) => (e.type === 'InputsLogged' ? e.value.inputs : []));
    expect(inputs).toEqual(Array(3).fill({ datasetId: report.dataset.datasetId, version: report.dataset.version, context: 'training' }));
    expect(report.promotion.bestRunId).toBe(report.runs.reduce((a, b) => (b.finalValAuc > a.finalValAuc ? b : a)).runId);
  });

  it('registers the best run and promotes it through Staging to Production behind the gate (versions endpoint)', async () => {
    const { versions } = await get<{ versions: Array<{ version: number; currentStage: string; aliases: string[]; stageHistory: Array<{ toStage: string; gate: { metric: string; passed: boolean } | null }>; lineage: { runId: string; datasets: Array<{ datasetId: string; contentSha256: string }> } }> }>(`/v1/models/${model}/versions`);
    expect(versions).toHaveLength(1);
    const v = versions[0]!;
    expect(v).toMatchObject({ version: report.version, currentStage: 'PRODUCTION', aliases: ['champion'], lineage: { runId: report.promotion.bestRunId, datasets: [{ datasetId: report.dataset.datasetId, contentSha256: report.dataset.contentSha256 }] } });
    expect(v.stageHistory.map((s) => s.toStage)).toEqual(['DEVELOPMENT', 'STAGING', 'PRODUCTION']);
    expect(v.stageHistory.at(-1)!.gate).toMatchObject({ metric: 'val_auc', passed: true });
  });

  it('counts every prediction in model health and measures accuracy dropping after the shift', async () => {
    const { points } = await get<{ points: Array<{ version: number; requests: number; errors: number }> }>(`/v1/models/${model}/health?from=${report.stream.startedAt - 120_000}&to=${Date.now() + 60_000}`);
    expect(points.reduce((n, p) => n + p.requests, 0)).toBe(report.stream.predictions);
    expect(points.reduce((n, p) => n + p.errors, 0)).toBe(report.stream.errors);
    expect(report.stream.predictions).toBeGreaterThanOrEqual(report.plan.expectRetrainAfter);
    expect(report.analytics.before.accuracy!).toBeGreaterThan(0.7);
    expect(report.analytics.after.accuracy!).toBeLessThan(0.6);
  });

  it('shows the drift windows as they happen and delivers the retrain request to subscribers (SSE and Kafka)', async () => {
    const shifted = report.windows.filter((w) => w.window.index >= report.plan.shiftAt / WINDOW && w.window.index < report.plan.expectRetrainAfter / WINDOW);
    expect(shifted).toHaveLength(K);
    for (const w of shifted) {
      expect(w.datasetDrift).toBe(true);
      expect(w.features.filter((f) => f.drifted).map((f) => f.feature)).toEqual(expect.arrayContaining([...shiftedFeatures]));
    }
    expect(report.windows.filter((w) => w.window.index < report.plan.shiftAt / WINDOW).every((w) => !w.datasetDrift)).toBe(true);
    expect(report.detections.length).toBeGreaterThanOrEqual(1);
    expect(report.retrains).toHaveLength(1);
    await waitFor(() => received.length > 0, { what: 'the retrain request on the Kafka subscription', timeoutMs: 30_000 });
    expect(received.map((r) => r.idempotencyKey)).toEqual(report.retrains.map((r) => r.idempotencyKey));
    expect(received[0]).toMatchObject({ model, version: report.version, requestedBy: expect.any(String) });
    // Evidence: the K drifted windows' measurements (then, with the training-profile detector, the DriftDetected they led to).
    expect(received[0]!.evidence.map((e) => e.eventId).slice(0, K)).toEqual(shifted.map((w) => w.eventId));
  });

  it('exports the drift gauges on the detector\'s /metrics: last share and verdict, and labels that could not be joined', async () => {
    const detector = services.find((s) => s.name === 'drift-detector')!;
    const metrics = await (await fetch(`http://127.0.0.1:${detector.port}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}\\{[^}]*model="${model}"[^}]*\\} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(value('mlstream_drift_verdict')).toBe(1); // the last window (after the shift) drifted
    expect(value('mlstream_drift_share')).toBeGreaterThanOrEqual(0.5); // two of the four features shifted
    // Labels arrive 3 s after their predictions, well within the 5 000-prediction horizon: none is lost.
    expect(value('mlstream_drift_labels_dropped')).toBe(0);
  });

  it('keeps the drift history in ClickHouse (drift endpoint)', async () => {
    const drift = await get<{ measurements: Array<{ windowIndex: number; datasetDrift: boolean }>; detections: unknown[]; retrains: Array<{ idempotencyKey: string }> }>(`/v1/models/${model}/drift?version=${report.version}`);
    expect(drift.measurements.length).toBeGreaterThanOrEqual(report.plan.expectRetrainAfter / WINDOW);
    expect(drift.measurements.filter((m) => m.datasetDrift).length).toBeGreaterThanOrEqual(K);
    expect(drift.detections.length).toBeGreaterThanOrEqual(1);
    expect(drift.retrains.map((r) => r.idempotencyKey)).toEqual(report.retrains.map((r) => r.idempotencyKey));
  });

  it('passes the audit: every drift decision reproduced from the log, lineage down to the dataset with Kafka coordinates', () => {
    const audit = report.audit!;
    expect(audit.drift.findings).toEqual([]);
    expect(audit.drift.recorded).toBeGreaterThan(0);
    expect(audit.drift.matched).toBe(audit.drift.recorded);
    expect(audit.lineage.run).toMatchObject({ runId: report.promotion.bestRunId, status: 'FINISHED', experiment: model });
    expect(audit.lineage.registered?.coordinates.topic).toBe(catalog.topic('registry'));
    expect(audit.lineage.datasets).toEqual([
      expect.objectContaining({ datasetId: report.dataset.datasetId, version: report.dataset.version, context: 'training', contentSha256: report.dataset.contentSha256, coordinates: report.dataset.coordinates }),
    ]);
    expect(report.dataset.coordinates.topic).toBe(catalog.topic('ingestion'));
  });

  it('tests every window against the training dataset profile the production version was trained on', () => {
    expect(report.windows.length).toBeGreaterThan(0);
    for (const w of report.windows) expect(w.referenceId).toBe(`dataset:${report.dataset.datasetId}@${report.dataset.version}`);
  });

  it('rebuilds the read model from the log into a fresh database equal to the live one', async () => {
    const rebuilt = `${database}_replay`;
    try {
      const result = await replay({ kafka, serde, client: clickhouse, catalog, liveDatabase: database, database: rebuilt, compareWith: database, force: false, dropAfter: false, waitLiveMs: 30_000 });
      expect(result.differences).toEqual([]);
      const predictions = result.tables.find((t) => t.table === 'predictions');
      expect(predictions).toMatchObject({ equal: true, replayed: { rows: report.stream.predictions } });
      expect(result.tables.filter((t) => t.equal === true).length).toBeGreaterThanOrEqual(10);
    } finally {
      await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${rebuilt}` });
    }
  });

  it('fails the drift audit, naming it, once a forged DriftDetected is in the topic', async () => {
    const forgedId = randomUUID();
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const forged = await serde.encode('DriftDetected', { eventId: forgedId, occurredAt: report.stream.startedAt + 1, model, version: report.version, windowId: `${model}/v${report.version}/count/0`, measurementIds: [], driftedFeatures: ['region'], reason: 'forged', policy: { consecutiveWindows: 1, cooldownMs: 0, datasetDriftShare: 0.5 } });
    await producer.send({ topic: forged.topic, acks: -1, messages: [forged.message] });
    await producer.disconnect();
    const audit = await auditDriftFromLog((stream) => readTopic(kafka, serde, catalog.topic(stream)), { model, configOf: () => ({ ...defaultConfig, windowSize: WINDOW, consecutiveWindows: K }) });
    expect(audit.findings).toEqual([expect.objectContaining({ kind: 'unexpected', type: 'DriftDetected', eventId: forgedId })]);
  });
});
