import { boundedInt, sql, type Sql } from '../sql/index.ts';
import { checkText, dbOf, num, numOrNull, select, type AnalyticsDeps } from './common.ts';

export interface WebhookDeliveriesInput {
  subscriptionId: string;
  /** Only this delivery (its CloudEvent id). */
  deliveryId?: string;
  /** Only dead letters. */
  deadLettered?: boolean;
  /** Most recent N rows; default 500, at most 10 000. */
  limit?: number;
}

export interface WebhookDeliveryRow {
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

/** Pure: the most recent attempts and dead letters of a subscription, returned oldest first. */
export function webhookDeliveriesSql(db: Sql, input: WebhookDeliveriesInput): Sql {
  const limit = boundedInt(input.limit ?? 500, 'limit', 1, 10_000);
  let scope = sql`subscription_id = ${checkText(input.subscriptionId, 'subscriptionId', 200)}`;
  if (input.deliveryId !== undefined) scope = sql`${scope} AND delivery_id = ${checkText(input.deliveryId, 'deliveryId', 500)}`;
  if (input.deadLettered) scope = sql`${scope} AND kind = 'dead_letter'`;
  return sql`SELECT * FROM (SELECT kind, delivery_id, occurred_ms, attempt, outcome, http_status, error, duration_ms, next_attempt_ms, redelivery_id, url, event_type, model, source_topic, source_partition, source_offset, source_event_id, event_id, _partition, _offset FROM ${db}.webhook_deliveries WHERE ${scope} ORDER BY occurred_ms DESC, _offset DESC LIMIT ${limit}) ORDER BY occurred_ms, _partition, _offset`;
}

/** Delivery attempts and dead letters of one subscription (ClickHouse table webhook_deliveries). */
export async function webhookDeliveries(deps: AnalyticsDeps, input: WebhookDeliveriesInput): Promise<WebhookDeliveryRow[]> {
  type R = { kind: string; delivery_id: string; occurred_ms: string; attempt: number; outcome: string; http_status: number | null; error: string; duration_ms: number; next_attempt_ms: string | null; redelivery_id: string; url: string; event_type: string; model: string; source_topic: string; source_partition: number; source_offset: string; source_event_id: string; event_id: string };
  const rows = await select<R>(deps, webhookDeliveriesSql(dbOf(deps), input));
  return rows.map((r) => ({
    kind: r.kind === 'dead_letter' ? 'dead_letter' : 'attempt',
    deliveryId: r.delivery_id,
    at: num(r.occurred_ms),
    attempt: num(r.attempt),
    outcome: r.outcome,
    httpStatus: numOrNull(r.http_status),
    error: r.error,
    durationMs: num(r.duration_ms),
    nextAttemptAt: numOrNull(r.next_attempt_ms),
    redeliveryId: r.redelivery_id || null,
    url: r.url,
    eventType: r.event_type,
    model: r.model,
    source: { topic: r.source_topic, partition: num(r.source_partition), offset: num(r.source_offset), eventId: r.source_event_id },
    eventId: r.event_id,
  }));
}
