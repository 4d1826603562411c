import type { DecodedEvent } from '@mlstream/kit';
import { baseColumns, type TableRow } from './types.ts';

type DeliveryEvent = Extract<DecodedEvent, { type: 'WebhookDeliveryAttempted' | 'WebhookDeliveryDeadLettered' }>;

/** One `webhook_deliveries` row per attempt and per dead letter (infra/clickhouse/006_webhooks.sql). */
export function projectWebhookDelivery(event: DeliveryEvent): TableRow[] {
  const v = event.value;
  const common = {
    ...baseColumns(event),
    subscription_id: v.subscriptionId,
    delivery_id: v.deliveryId,
    url: v.url,
    source_topic: v.sourceTopic,
    source_partition: v.sourcePartition,
    source_offset: v.sourceOffset,
    source_event_id: v.sourceEventId,
    event_type: v.eventType,
    model: v.model,
  };
  switch (event.type) {
    case 'WebhookDeliveryAttempted': {
      const a = event.value;
      const row = { ...common, kind: 'attempt', attempt: a.attempt, outcome: a.outcome, http_status: a.httpStatus ?? null, error: a.error ?? '', duration_ms: a.durationMs, next_attempt_ms: a.nextAttemptAt ?? null, redelivery_id: a.redeliveryId ?? '' };
      return [{ table: 'webhook_deliveries', row }];
    }
    case 'WebhookDeliveryDeadLettered': {
      const d = event.value;
      const row = { ...common, kind: 'dead_letter', attempt: d.attempts, outcome: 'dead_lettered', http_status: d.lastHttpStatus ?? null, error: d.lastError ?? '', duration_ms: 0, next_attempt_ms: null, redelivery_id: '' };
      return [{ table: 'webhook_deliveries', row }];
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
