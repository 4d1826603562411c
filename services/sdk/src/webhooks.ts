import type { Http } from './http/index.ts';

// Receivers verify deliveries with the same pure module the deliverer signs with.
export { DEFAULT_TOLERANCE_SECONDS, SIGNATURE_HEADER, parseSignatureHeader, sign, signatureHeader, verify as verifyWebhookSignature, type VerifyResult } from '@mlstream/webhooks/signature';

export interface WebhookSubscription {
  id: string;
  url: string;
  /** Record names delivered; empty = every deliverable record. */
  eventTypes: string[];
  /** Models delivered; empty = every model. */
  models: string[];
  description: string;
  actor: string;
  createdAt: number;
  maxAttempts?: number;
}

export interface SubscribeOptions {
  url: string;
  eventTypes?: string[];
  models?: string[];
  /** At least 16 characters; when omitted the gateway generates one and returns it once. */
  secret?: string;
  description?: string;
  /** Attempts per delivery before it is dead-lettered; default the deliverer's setting. */
  maxAttempts?: number;
  idempotencyKey?: string;
}

export interface WebhookDelivery {
  kind: 'attempt' | 'dead_letter';
  deliveryId: string;
  at: number;
  attempt: number;
  outcome: string;
  httpStatus: number | null;
  error: string;
  durationMs: number;
  nextAttemptAt: number | null;
  redeliveryId: string | null;
  url: string;
  eventType: string;
  model: string;
  source: { topic: string; partition: number; offset: number; eventId: string };
  eventId: string;
}

export interface Webhooks {
  /** Creates a subscription; `secret` is in the answer only when the gateway generated it. */
  subscribe(options: SubscribeOptions): Promise<WebhookSubscription & { secret?: string }>;
  list(): Promise<WebhookSubscription[]>;
  get(id: string): Promise<WebhookSubscription>;
  unsubscribe(id: string): Promise<{ id: string; deleted: true }>;
  /** Delivers again from a time (epoch ms) and/or from source offsets, with the same CloudEvent ids. */
  redeliver(id: string, from: { fromTime?: number; fromOffsets?: Array<{ topic: string; partition: number; offset: number }> }): Promise<{ id: string; requestId: string }>;
  /** Attempts and dead letters, from the ClickHouse read model. */
  deliveries(id: string, options?: { deliveryId?: string; deadLettered?: boolean; limit?: number }): Promise<WebhookDelivery[]>;
}

/** `client.webhooks`: subscriptions over /v1/webhooks (docs/webhooks.md). */
export const webhooksApi = (http: Http): Webhooks => {
  const one = (id: string) => `/v1/webhooks/${encodeURIComponent(id)}`;
  return {
    subscribe: ({ idempotencyKey, ...body }) => http.request('POST', '/v1/webhooks', { body, idempotencyKey }),
    list: async () => (await http.request<{ webhooks: WebhookSubscription[] }>('GET', '/v1/webhooks')).webhooks,
    get: (id) => http.request('GET', one(id)),
    unsubscribe: (id) => http.request('DELETE', one(id)),
    redeliver: (id, from) => http.request('POST', `${one(id)}/redeliver`, { body: from }),
    deliveries: async (id, o = {}) =>
      (await http.request<{ deliveries: WebhookDelivery[] }>('GET', `${one(id)}/deliveries`, { query: { deliveryId: o.deliveryId, deadLettered: o.deadLettered === undefined ? undefined : String(o.deadLettered), limit: o.limit === undefined ? undefined : String(o.limit) } })).deliveries,
  };
};
