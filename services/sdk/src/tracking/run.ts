import { createBatcher, type Batcher } from '../batching/index.ts';
import type { Http } from '../http/index.ts';
import { runReads, type RunReads } from './reads.ts';
import { batchLimits, chunks, type CommandResult, type Metric, type RunStatus } from './types.ts';

export interface StartRunOptions {
  experiment: string;
  runId?: string;
  name?: string;
  tags?: Record<string, string>;
  codeVersion?: string;
  /** Makes start safe to retry across process restarts (same key, same run). */
  idempotencyKey?: string;
}

export interface RunHandle {
  readonly runId: string;
  logParams(params: Record<string, string | number | boolean>): Promise<void>;
  logParam(key: string, value: string | number | boolean): Promise<void>;
  /** Sends now, split into batches of 1000. */
  logMetrics(metrics: Metric[] | Record<string, number>, options?: { step?: number; timestamp?: number }): Promise<void>;
  /** Buffers; sent in batches of up to 1000 in the background, and on flush/finish. */
  logMetric(key: string, value: number, options?: { step?: number; timestamp?: number }): Promise<void>;
  setTags(tags: Record<string, string>): Promise<void>;
  setTag(key: string, value: string): Promise<void>;
  logInputs(inputs: Array<{ datasetId: string; version: string; context?: string }>): Promise<void>;
  logArtifact(artifact: { name: string; uri: string; sha256?: string; size?: number }): Promise<CommandResult>;
  /** Sends buffered metrics. */
  flush(): Promise<void>;
  /** Flushes, then finishes the run (terminal). */
  finish(status?: RunStatus): Promise<CommandResult>;
}

export function runHandle(http: Http, runId: string, options: { metricLingerMs?: number } = {}): RunHandle {
  const path = `/v1/runs/${encodeURIComponent(runId)}`;
  const post = (suffix: string, body: unknown) => http.request<CommandResult>('POST', `${path}/${suffix}`, { body });
  const buffered: Batcher<Metric> = createBatcher<Metric>({
    send: async (metrics) => void (await post('metrics', { metrics })),
    maxBatch: batchLimits.metrics,
    maxQueued: batchLimits.metrics * 10,
    lingerMs: options.metricLingerMs ?? 1_000,
  });
  const handle: RunHandle = {
    runId,
    async logParams(params) {
      const entries = Object.entries(params).map(([k, v]) => [k, String(v)] as const);
      for (const part of chunks(entries, batchLimits.params)) await post('params', { params: Object.fromEntries(part) });
    },
    logParam: (key, value) => handle.logParams({ [key]: value }),
    async logMetrics(metrics, o = {}) {
      const list: Metric[] = Array.isArray(metrics) ? metrics : Object.entries(metrics).map(([key, value]) => ({ key, value, step: o.step, timestamp: o.timestamp }));
      const stamped = list.map((m) => ({ ...m, timestamp: m.timestamp ?? Date.now() }));
      for (const part of chunks(stamped, batchLimits.metrics)) await post('metrics', { metrics: part });
    },
    logMetric: (key, value, o = {}) => buffered.add({ key, value, step: o.step ?? 0, timestamp: o.timestamp ?? Date.now() }),
    async setTags(tags) {
      for (const part of chunks(Object.entries(tags), batchLimits.tags)) await post('tags', { tags: Object.fromEntries(part) });
    },
    setTag: (key, value) => handle.setTags({ [key]: value }),
    async logInputs(inputs) {
      for (const part of chunks(inputs, batchLimits.inputs)) await post('inputs', { inputs: part });
    },
    logArtifact: (artifact) => post('artifacts', artifact),
    flush: () => buffered.flush(),
    async finish(status = 'FINISHED') {
      await buffered.close();
      return post('finish', { status });
    },
  };
  return handle;
}

export interface Runs extends RunReads {
  /** Starts a run and returns its handle (MLflow's start_run). */
  start(options: StartRunOptions): Promise<RunHandle>;
  /** A handle on an existing run. */
  get(runId: string): RunHandle;
}

export const runsApi = (http: Http, options: { metricLingerMs?: number } = {}): Runs => ({
  async start({ idempotencyKey, ...body }) {
    const res = await http.request<CommandResult & { runId: string }>('POST', '/v1/runs', { body, idempotencyKey });
    return runHandle(http, res.runId, options);
  },
  get: (runId) => runHandle(http, runId, options),
  ...runReads(http),
});
