import type { Http } from './http/index.ts';

/** The input name by which a prediction names the entity whose features of `view` it used (docs/features.md). */
export const entityInputName = (view: string): string => `__entity.${view}`;

/** The categorical input to merge into a prediction's `categoricalFeatures` so skew checks can find its entity. */
export const entityInput = (view: string, entityKey: string): Record<string, string> => ({ [entityInputName(view)]: entityKey });

export interface OnlineFeaturesRequest {
  /** A view; `features` then names features of it (default: all it declares). */
  view?: string;
  /** Feature names of `view`, or `<view>:<feature>` references. */
  features?: string[];
  entityKeys: string[];
}

export interface OnlineFeaturesResult {
  entityKey: string;
  values: Record<string, number | string | null>;
  eventTimes: Record<string, number | null>;
  statuses: Record<string, 'present' | 'expired' | 'missing'>;
}

export interface FeatureSkewAnswer {
  view: string;
  from: number;
  to: number;
  predictions: number;
  skewedPredictions: number;
  features: Array<{ feature: string; compared: number; match: number; skew: number; missingOnline: number; expired: number; unknown: number; skewRate: number | null; meanAbsDifference: number | null }>;
}

/** Online feature reads and skew reports through the gateway (scope `read`). */
export const onlineFeaturesApi = (http: Http) => ({
  /** Latest values per entity, in request order, with event times and a status per feature. */
  get: async (request: OnlineFeaturesRequest): Promise<OnlineFeaturesResult[]> => (await http.request<{ results: OnlineFeaturesResult[] }>('POST', '/v1/features/online', { body: request })).results,
  /** Skew per feature of a view over [from, to) of prediction time (default: the last 24 h). */
  skew: (view: string, window: { from?: number; to?: number } = {}) =>
    http.request<FeatureSkewAnswer>('GET', `/v1/features/views/${encodeURIComponent(view)}/skew`, { query: { from: window.from?.toString(), to: window.to?.toString() } }),
});
