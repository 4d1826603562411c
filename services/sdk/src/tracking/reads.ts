import type { Http } from '../http/index.ts';
import type { ExperimentView, MetricPoint, RunSearchOptions, RunView } from './views.ts';

const enc = encodeURIComponent;

/** Reads of runs, with read-your-writes: a read sees every write this client was answered for. */
export interface RunReads {
  /** A run with params, latest metrics, tags, inputs, status and times. */
  read(runId: string): Promise<RunView>;
  /** Every observation of one metric, in the order logged. */
  metricHistory(runId: string, key: string): Promise<MetricPoint[]>;
  /** Runs of one experiment with MLflow's filter / order_by, one page. */
  search(experimentId: string, options?: RunSearchOptions): Promise<{ runs: RunView[]; nextPageToken?: string }>;
}

export const runReads = (http: Http): RunReads => ({
  read: (runId) => http.request('GET', `/v1/runs/${enc(runId)}`),
  metricHistory: async (runId, key) => (await http.request<{ metrics: MetricPoint[] }>('GET', `/v1/runs/${enc(runId)}/metrics/${enc(key)}`)).metrics,
  async search(experimentId, o = {}) {
    const query = new URLSearchParams();
    if (o.filter) query.set('filter', o.filter);
    for (const term of o.orderBy ?? []) query.append('orderBy', term);
    if (o.maxResults !== undefined) query.set('maxResults', String(o.maxResults));
    if (o.pageToken) query.set('pageToken', o.pageToken);
    if (o.runViewType) query.set('runViewType', o.runViewType);
    const q = query.toString();
    return http.request('GET', `/v1/experiments/${enc(experimentId)}/runs${q ? `?${q}` : ''}`);
  },
});

export interface Experiments {
  get(experimentId: string): Promise<ExperimentView>;
  /** The experiment with exactly this name, or undefined. */
  byName(name: string): Promise<ExperimentView | undefined>;
  list(): Promise<ExperimentView[]>;
}

export const experimentsApi = (http: Http): Experiments => ({
  get: (id) => http.request('GET', `/v1/experiments/${enc(id)}`),
  byName: async (name) => (await http.request<{ experiments: ExperimentView[] }>('GET', '/v1/experiments', { query: { name } })).experiments[0],
  list: async () => (await http.request<{ experiments: ExperimentView[] }>('GET', '/v1/experiments')).experiments,
});
