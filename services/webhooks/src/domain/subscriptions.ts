import type { WebhookRedeliveryRequested, WebhookSubscribed } from '@mlstream/kit';

/** A live subscription, folded from mlops.webhooks.v1. */
export interface Subscription {
  id: string;
  url: string;
  /** Record names; empty = every source record. */
  eventTypes: string[];
  /** Models; empty = every model. */
  models: string[];
  secret: string;
  description: string;
  actor: string;
  createdAt: number;
  /** Attempts before a dead letter; undefined = the deliverer's default. */
  maxAttempts?: number;
}

export interface SubscriptionTable {
  active: Map<string, Subscription>;
  deleted: Map<string, { at: number; actor: string }>;
  /** Redelivery requests not yet answered by a WebhookRedeliveryStarted, by request (event) id. */
  pendingRedeliveries: Map<string, WebhookRedeliveryRequested>;
}

export type SubscriptionEvent =
  | { type: 'WebhookSubscribed'; value: WebhookSubscribed }
  | { type: 'WebhookUnsubscribed'; value: { subscriptionId: string; occurredAt: number; actor: string } }
  | { type: 'WebhookRedeliveryRequested'; value: WebhookRedeliveryRequested }
  | { type: 'WebhookRedeliveryStarted'; value: { subscriptionId: string; requestId: string } };

export const emptyTable = (): SubscriptionTable => ({ active: new Map(), deleted: new Map(), pendingRedeliveries: new Map() });

/** Applies one event of mlops.webhooks.v1 (pure apart from mutating `table`). */
export function evolve(table: SubscriptionTable, event: SubscriptionEvent): SubscriptionTable {
  switch (event.type) {
    case 'WebhookSubscribed': {
      const v = event.value;
      if (table.deleted.has(v.subscriptionId)) break; // ids are never reused
      table.active.set(v.subscriptionId, { id: v.subscriptionId, url: v.url, eventTypes: v.eventTypes, models: v.models, secret: v.secret, description: v.description ?? '', actor: v.actor, createdAt: v.occurredAt, ...(v.maxAttempts ? { maxAttempts: v.maxAttempts } : {}) });
      break;
    }
    case 'WebhookUnsubscribed':
      table.active.delete(event.value.subscriptionId);
      table.deleted.set(event.value.subscriptionId, { at: event.value.occurredAt, actor: event.value.actor });
      for (const [id, r] of table.pendingRedeliveries) if (r.subscriptionId === event.value.subscriptionId) table.pendingRedeliveries.delete(id);
      break;
    case 'WebhookRedeliveryRequested':
      if (table.active.has(event.value.subscriptionId)) table.pendingRedeliveries.set(event.value.eventId, event.value);
      break;
    case 'WebhookRedeliveryStarted':
      table.pendingRedeliveries.delete(event.value.requestId);
      break;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
  return table;
}

/** Whether a source record goes to a subscription. */
export const matches = (sub: Pick<Subscription, 'eventTypes' | 'models'>, record: string, model: string): boolean =>
  (sub.eventTypes.length === 0 || sub.eventTypes.includes(record)) && (sub.models.length === 0 || sub.models.includes(model));

/** What the API shows of a subscription: everything but the secret. */
export const publicView = ({ secret: _secret, ...rest }: Subscription): Omit<Subscription, 'secret'> => rest;
