import { randomUUID } from 'node:crypto';
import { createBatcher, type Batcher } from '../batching/index.ts';
import type { Http } from '../http/index.ts';
import type { DatasetVersionInput, LabelInput, PredictionInput } from './types.ts';

export interface BatchingOptions {
  /** Records a request carries; default 500 (the gateway accepts up to 1000). */
  maxBatch?: number;
  /** Longest a record waits for its batch, in ms; default 200. */
  lingerMs?: number;
  /** Records buffered at most before `log` waits; default 10 000. */
  maxQueued?: number;
  /** Requests in flight at once; default 2. */
  concurrency?: number;
  onError?: (error: unknown, records: unknown[]) => void;
}

export interface FactLog<T> {
  /** Queues a record (waits while the buffer is full); it gets its eventId now. */
  log(record: T): Promise<void>;
  /** Sends everything buffered; rejects if a batch failed after retries. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

function factLog<T extends { eventId?: string; occurredAt?: number }>(http: Http, path: string, field: string, options: BatchingOptions): FactLog<T> {
  const batcher: Batcher<T> = createBatcher<T>({
    // One Idempotency-Key per batch (kept across the HTTP retries) plus per-record eventIds.
    send: async (records) => void (await http.request('POST', path, { body: { [field]: records } })),
    maxBatch: options.maxBatch ?? 500,
    lingerMs: options.lingerMs ?? 200,
    maxQueued: options.maxQueued ?? 10_000,
    concurrency: options.concurrency ?? 2,
    onError: options.onError as ((error: unknown, items: T[]) => void) | undefined,
  });
  return {
    log: (record) => batcher.add({ ...record, eventId: record.eventId ?? randomUUID(), occurredAt: record.occurredAt ?? Date.now() }),
    flush: () => batcher.flush(),
    close: () => batcher.close(),
  };
}

export const predictionsApi = (http: Http, options: BatchingOptions = {}) => factLog<PredictionInput>(http, '/v1/predictions', 'predictions', options);
export const feedbackApi = (http: Http, options: BatchingOptions = {}) => factLog<LabelInput>(http, '/v1/feedback', 'labels', options);

export interface DatasetVersionAccepted {
  eventId: string;
  datasetId: string;
  version: string;
  topic: string;
  partition: number;
  offset: string;
}

export const datasetsApi = (http: Http) => ({
  /** Publishes a dataset version; resolves once Kafka acknowledged it (with its coordinates). */
  publishVersion: (datasetId: string, version: DatasetVersionInput, options: { idempotencyKey?: string } = {}) =>
    http.request<DatasetVersionAccepted>('POST', `/v1/datasets/${encodeURIComponent(datasetId)}/versions`, { body: version, idempotencyKey: options.idempotencyKey }),
});
