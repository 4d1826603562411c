import { describe, expect, it } from 'vitest';
import type { WebhookRedeliveryRequested, WebhookSubscribed } from '@mlstream/kit';
import { emptyTable, evolve, matches, publicView } from './subscriptions.ts';

const subscribed = (id: string, extra: Partial<WebhookSubscribed> = {}): WebhookSubscribed => ({
  eventId: `e-${id}`,
  occurredAt: 1_000,
  subscriptionId: id,
  url: 'https://ci.example/hook',
  eventTypes: [],
  models: [],
  secret: 'whsec_1234567890abcdef',
  description: '',
  actor: 'admin',
  maxAttempts: null,
  ...extra,
});
const redelivery = (id: string, eventId: string): WebhookRedeliveryRequested => ({ eventId, occurredAt: 2_000, subscriptionId: id, fromOffsets: [], fromTime: 0, actor: 'admin' });

describe('subscription table', () => {
  it('given a subscription, when it is deleted, then it is gone for good and its pending redeliveries with it', () => {
    const t = emptyTable();
    evolve(t, { type: 'WebhookSubscribed', value: subscribed('a') });
    evolve(t, { type: 'WebhookRedeliveryRequested', value: redelivery('a', 'r1') });
    expect([...t.pendingRedeliveries.keys()]).toEqual(['r1']);
    evolve(t, { type: 'WebhookUnsubscribed', value: { subscriptionId: 'a', occurredAt: 3_000, actor: 'admin' } });
    evolve(t, { type: 'WebhookSubscribed', value: subscribed('a') });
    expect(t.active.size).toBe(0);
    expect(t.pendingRedeliveries.size).toBe(0);
  });

  it('given a redelivery request, when the deliverer started it, then it is no longer pending', () => {
    const t = emptyTable();
    evolve(t, { type: 'WebhookSubscribed', value: subscribed('a') });
    evolve(t, { type: 'WebhookRedeliveryRequested', value: redelivery('a', 'r1') });
    evolve(t, { type: 'WebhookRedeliveryRequested', value: redelivery('zzz', 'r2') });
    evolve(t, { type: 'WebhookRedeliveryStarted', value: { subscriptionId: 'a', requestId: 'r1' } });
    expect(t.pendingRedeliveries.size).toBe(0);
  });

  it('matches by record name and model; empty lists match everything', () => {
    expect(matches({ eventTypes: [], models: [] }, 'AliasSet', 'churn')).toBe(true);
    expect(matches({ eventTypes: ['RetrainRequested'], models: [] }, 'AliasSet', 'churn')).toBe(false);
    expect(matches({ eventTypes: ['RetrainRequested'], models: ['churn'] }, 'RetrainRequested', 'churn')).toBe(true);
    expect(matches({ eventTypes: [], models: ['fraud'] }, 'RetrainRequested', 'churn')).toBe(false);
  });

  it('never shows the secret', () => {
    const t = evolve(emptyTable(), { type: 'WebhookSubscribed', value: subscribed('a', { maxAttempts: 3 }) });
    const shown = publicView(t.active.get('a')!);
    expect(JSON.stringify(shown)).not.toContain('whsec_');
    expect(shown).toMatchObject({ id: 'a', url: 'https://ci.example/hook', maxAttempts: 3 });
  });
});
