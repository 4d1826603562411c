import type { Http } from '@mlstream/sdk';
import { count, fixed, percent, table } from './format.ts';
import type { ResolvedDemoOptions } from './options.ts';
import { settle } from './platform.ts';
import type { StreamResult } from './serving.ts';

// Answers of the gateway's analytics endpoints (docs/api.md), as far as the demo reads them.
interface HealthPoint {
  version: number;
  bucketStart: number;
  requests: number;
  errors: number;
  errorRate: number;
  latencyMs: { p50: number; p95: number; p99: number };
}
interface VersionReport {
  version: number;
  requests: number;
  errorRate: number;
  labeled: number;
  accuracy: number | null;
  topPredictions: Array<{ value: string; count: number }>;
}
interface DriftHistory {
  measurements: Array<{ windowIndex: number; driftedShare: number; datasetDrift: boolean; accuracy: number | null; features: Array<{ feature: string; drifted: boolean }> }>;
  detections: Array<{ windowId: string; at: number; driftedFeatures: string[]; reason: string }>;
  retrains: Array<{ at: number; idempotencyKey: string; reason: string; requestedBy: string; evidenceEventIds: string[] }>;
}
export interface QualityHistory {
  measurements: Array<{ windowIndex: number; windowId: string; driftMeasurementId: string; score: number | null; passed: boolean; missingFeatures: string[]; failures: Array<{ feature: string; check: string; observed: number; threshold: number }> }>;
  failures: Array<{ windowId: string; at: number; action: string; reason: string }>;
}
interface VersionView {
  version: number;
  currentStage: string;
  aliases: string[];
  stageHistory: Array<{ fromStage: string | null; toStage: string; at: number; actor: string; reason: string; gate: { metric: string; passed: boolean; candidate: number | null; threshold: number | null } | null }>;
  lineage: { runId: string | null; datasets: Array<{ datasetId: string; version: string; context: string; contentSha256: string | null }> };
}

export interface AnalyticsSummary {
  health: HealthPoint[];
  before: VersionReport;
  after: VersionReport;
  drift: DriftHistory;
  quality: QualityHistory;
  versions: VersionView[];
  metricHistory: Array<{ step: number; value: number }>;
}

const q = (o: Record<string, string | number>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, String(v)]));

/**
 * Step: the analytics summary, read back from ClickHouse through the gateway
 * once the materializer caught up with everything the demo produced.
 */
export async function summarize(http: Http, o: ResolvedDemoOptions, version: number, bestRunId: string, stream: StreamResult, seen: { windows: number; detections: number; retrains: number }, print: (line: string) => void): Promise<AnalyticsSummary> {
  const m = encodeURIComponent(o.model);
  const from = stream.startedAt - 120_000;
  const to = Date.now() + 120_000;
  const health = await settle(
    async () => {
      const r = await http.request<{ points: HealthPoint[] }>('GET', `/v1/models/${m}/health`, { query: q({ from, to, bucketSeconds: 60, versions: version }) });
      return r.points.reduce((n, p) => n + p.requests, 0) === stream.predictions ? r.points : undefined;
    },
    `all ${count(stream.predictions)} predictions in ClickHouse (model health) — is the materializer running?`,
    o.settleTimeoutMs,
  );
  const drift = await settle(
    async () => {
      const r = await http.request<DriftHistory>('GET', `/v1/models/${m}/drift`, { query: q({ version, limit: 1000 }) });
      // Everything the subscribers saw must be in ClickHouse too.
      return r.measurements.length >= seen.windows && r.detections.length >= seen.detections && r.retrains.length >= seen.retrains ? r : undefined;
    },
    `the ${seen.windows} drift windows, ${seen.detections} detections and ${seen.retrains} retrain requests in ClickHouse (drift history)`,
    o.settleTimeoutMs,
  );
  const quality = await settle(
    async () => {
      const r = await http.request<QualityHistory>('GET', `/v1/models/${m}/quality`, { query: q({ version, limit: 1000 }) });
      return r.measurements.length >= seen.windows ? r : undefined;
    },
    `the data quality of the ${seen.windows} windows in ClickHouse (GET /v1/models/{model}/quality)`,
    o.settleTimeoutMs,
  );
  const shift = stream.shiftedAt ?? stream.endedAt;
  const compare = (a: number, b: number) => http.request<{ champion: VersionReport }>('GET', `/v1/models/${m}/compare`, { query: q({ champion: version, challenger: version, from: a, to: b }) });
  // Labels are joined in ClickHouse; wait until the last ones are in. The version by number: with --loop, @champion moves to the retrained version.
  const [before, after] = await settle(
    async () => {
      const pair = await Promise.all([compare(stream.startedAt - 1000, shift), compare(shift, stream.endedAt + 1000)]);
      return pair[0].champion.labeled + pair[1].champion.labeled >= stream.labels ? ([pair[0].champion, pair[1].champion] as const) : undefined;
    },
    `all ${count(stream.labels)} labels joined in ClickHouse`,
    o.settleTimeoutMs,
  );
  const { versions } = await http.request<{ versions: VersionView[] }>('GET', `/v1/models/${m}/versions`);
  const { points: metricHistory } = await http.request<{ points: Array<{ step: number; value: number }> }>('GET', `/v1/runs/${encodeURIComponent(bestRunId)}/metrics/val_auc/history`);

  print('model health (GET /v1/models/{model}/health, per minute):');
  for (const line of table(
    ['minute', 'version', 'requests', 'errors', 'error rate', 'p50 ms', 'p95 ms', 'p99 ms'],
    health.map((p) => [new Date(p.bucketStart).toISOString().slice(11, 16), p.version, p.requests, p.errors, percent(p.errorRate, 2), fixed(p.latencyMs.p50, 1), fixed(p.latencyMs.p95, 1), fixed(p.latencyMs.p99, 1)]),
  ))
    print(`  ${line}`);
  print('before vs after the shift (GET /v1/models/{model}/compare, labels joined in ClickHouse):');
  for (const line of table(
    ['traffic', 'requests', 'error rate', 'labeled', 'accuracy', 'predicted churn'],
    [
      ['before the shift', before.requests, percent(before.errorRate, 2), before.labeled, fixed(before.accuracy), percent((before.topPredictions.find((t) => t.value === 'churn')?.count ?? 0) / Math.max(1, before.requests))],
      ['after the shift', after.requests, percent(after.errorRate, 2), after.labeled, fixed(after.accuracy), percent((after.topPredictions.find((t) => t.value === 'churn')?.count ?? 0) / Math.max(1, after.requests))],
    ],
  ))
    print(`  ${line}`);
  const drifted = drift.measurements.filter((x) => x.datasetDrift).length;
  print(`drift history (GET /v1/models/{model}/drift): ${drift.measurements.length} windows measured, ${drifted} drifted, ${drift.detections.length} DriftDetected, ${drift.retrains.length} RetrainRequested`);
  for (const r of drift.retrains) print(`  retrain requested at ${new Date(r.at).toISOString()} by ${r.requestedBy}: ${r.reason} (evidence: ${r.evidenceEventIds.length} drift events)`);
  printQuality(quality, drift, print);
  const v = versions.find((x) => x.version === version);
  if (v) {
    print(`${o.model} v${version} (GET /v1/models/{model}/versions): ${v.currentStage}${v.aliases.length ? `, @${v.aliases.join(' @')}` : ''}`);
    for (const s of v.stageHistory) {
      const gate = s.gate ? `  gate ${s.gate.metric} ${fixed(s.gate.candidate, 4)} vs ${fixed(s.gate.threshold, 2)}: ${s.gate.passed ? 'passed' : 'FAILED'}` : '';
      print(`  ${new Date(s.at).toISOString()}  ${(s.fromStage ?? '—').padEnd(11)} → ${s.toStage.padEnd(11)} by ${s.actor} (${s.reason})${gate}`);
    }
  }
  if (metricHistory.length) print(`val_auc history of the best run (GET /v1/runs/{id}/metrics/val_auc/history): ${metricHistory.length} points, ${fixed(metricHistory[0]!.value, 4)} at step ${metricHistory[0]!.step} → ${fixed(metricHistory[metricHistory.length - 1]!.value, 4)} at step ${metricHistory[metricHistory.length - 1]!.step}`);
  return { health, before, after, drift, quality, versions, metricHistory };
}

/**
 * The data quality of every window, one line each, then the quality alerts and
 * whether any retrain request rests on a window that failed its quality checks
 * (by default none does: quality failures only alert).
 */
function printQuality(quality: QualityHistory, drift: DriftHistory & { measurements: Array<{ eventId?: string }> }, print: (line: string) => void) {
  print(`data quality per window (GET /v1/models/{model}/quality): ${quality.measurements.filter((m) => !m.passed).length} of ${quality.measurements.length} windows failed, ${quality.failures.length} DataQualityFailed`);
  for (const line of table(
    ['window', 'score', 'verdict', 'failed checks'],
    quality.measurements.map((m) => [m.windowIndex, fixed(m.score, 3), m.passed ? 'ok' : 'FAILED', m.failures.map((f) => (f.feature ? `${f.feature} ${f.check} ${percent(f.observed, 0)}` : `${f.check} ${fixed(f.observed, 3)}`)).join(', ') || '-']),
  ))
    print(`  ${line}`);
  const evidence = new Set(drift.retrains.flatMap((r) => r.evidenceEventIds));
  for (const f of quality.failures) {
    const window = quality.measurements.find((m) => m.windowId === f.windowId);
    const retrained = window && evidence.has(window.driftMeasurementId);
    print(`  DataQualityFailed at ${f.windowId} (action ${f.action}): ${f.reason}; ${retrained ? 'counted in a RetrainRequested' : 'no RetrainRequested from it'}`);
  }
}
