import type { EntityKeyType, FeatureValue, FeatureValueType, HistoricalRow } from '@mlstream/kit';
import type { Http } from '../http/index.ts';

export interface EntityInput {
  keyName: string;
  keyType?: EntityKeyType;
  description?: string | null;
  tags?: Record<string, string>;
  expectedVersion?: number;
}

export interface FeatureViewInput {
  entity: string;
  features: Array<{ name: string; type: FeatureValueType; description?: string | null }>;
  /** Seconds a value stays valid after its event time; 0 (default): never expires. */
  ttlSeconds?: number;
  description?: string | null;
  tags?: Record<string, string>;
  expectedVersion?: number;
}

export interface DefinitionAccepted {
  name: string;
  version: number;
  changed: boolean;
  commandId: string;
  aggregateVersion: number;
}

export interface FeatureValuesItem {
  view: string;
  /** Validate against this version; default the latest. */
  viewVersion?: number;
  entityKey: string | number;
  /** Event time of the values, epoch ms. */
  occurredAt: number;
  numericValues?: Record<string, number>;
  categoricalValues?: Record<string, string>;
  eventId?: string;
}

export interface HistoricalRequest {
  entityRows: Array<{ entities: Record<string, string | number>; timestamp: number }>;
  /** `view:feature` references. */
  features: string[];
  /** Save the training set as a dataset version (scope write:data). */
  dataset?: { datasetId: string; version: string; tags?: Record<string, string> };
}

export interface SavedTrainingSet {
  datasetId: string;
  version: string;
  uri: string;
  contentSha256: string;
  rowCount: number;
}

export interface HistoricalAnswer {
  features: string[];
  rows: HistoricalRow[];
  dataset?: SavedTrainingSet;
}

const seg = encodeURIComponent;

/**
 * The feature store over the gateway (docs/features.md): definitions,
 * values, and point-in-time training sets.
 *
 *   await client.features.defineEntity('driver', { keyName: 'driver_id', keyType: 'INT64' });
 *   await client.features.defineView('driver_stats', { entity: 'driver', features: [...], ttlSeconds: 7200 });
 *   await client.features.logValues([{ view: 'driver_stats', entityKey: 1001, occurredAt, numericValues: { conv_rate: 0.5 } }]);
 *   const { rows, dataset } = await client.features.getHistoricalFeatures({ entityRows, features, dataset: { datasetId, version } });
 */
export const featuresApi = (http: Http) => ({
  defineEntity: (name: string, entity: EntityInput) => http.request<DefinitionAccepted>('PUT', `/v1/features/entities/${seg(name)}`, { body: entity }),
  getEntity: (name: string, version?: number) => http.request<Record<string, unknown>>('GET', `/v1/features/entities/${seg(name)}`, { query: { version: version === undefined ? undefined : String(version) } }),
  defineView: (name: string, view: FeatureViewInput) => http.request<DefinitionAccepted>('PUT', `/v1/features/views/${seg(name)}`, { body: view }),
  getView: (name: string, version?: number) => http.request<Record<string, unknown>>('GET', `/v1/features/views/${seg(name)}`, { query: { version: version === undefined ? undefined : String(version) } }),
  listViews: () => http.request<{ views: Array<Record<string, unknown>> }>('GET', '/v1/features/views'),
  /** One batch (at most the gateway's batch limit); the whole batch is refused when one item does not match its view. */
  logValues: (values: FeatureValuesItem[], options: { idempotencyKey?: string } = {}) =>
    http.request<{ accepted: number; eventIds: string[] }>('POST', '/v1/features/values', { body: { values }, idempotencyKey: options.idempotencyKey }),
  /** Each entity row with the latest values at or before its timestamp and within each view's TTL. */
  getHistoricalFeatures: (request: HistoricalRequest, options: { idempotencyKey?: string } = {}) =>
    http.request<HistoricalAnswer>('POST', '/v1/features/historical', { body: request, idempotencyKey: options.idempotencyKey }),
});

export type FeaturesApi = ReturnType<typeof featuresApi>;
export type { FeatureValue };
