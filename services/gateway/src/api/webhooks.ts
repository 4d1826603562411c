import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MlstreamError, type ResolvedCatalog, type WebhookRedeliveryRequested, type WebhookSubscribed } from '@mlstream/kit';
import { webhookDeliveries } from '@mlstream/materializer';
import { createSubscriptionsView, publicView, resolveSources, type Subscription } from '@mlstream/webhooks';
import type { RouteDeps } from './deps.ts';
import { idempotent } from './respond.ts';
import { idString, MAX_LONG } from './schemas/index.ts';

/** Record names a subscription may ask for: every record the deliverer's sources carry in this deployment. */
export function deliverableRecords(catalog: ResolvedCatalog): string[] {
  return resolveSources(catalog).flatMap((s) => (s.records === '*' ? (catalog.byTopic(s.topic)?.records ?? []) : [...s.records]));
}

const httpUrl = z
  .string()
  .max(2_000)
  .refine((u) => URL.canParse(u) && ['http:', 'https:'].includes(new URL(u).protocol), 'expected an absolute http(s) URL');

const view = (s: Subscription) => publicView(s);

/**
 * Webhook subscriptions (docs/webhooks.md). Subscriptions are events on
 * mlops.webhooks.v1, written here and followed by the deliverer; reads
 * answer from a follower of that topic after catching up with it, so a
 * subscription is listed right after it was created. Secrets are never
 * returned, except a generated one, once, in the answer that created it.
 */
export const webhookRoutes = (deps: RouteDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { serde, producer, catalog } = deps;
  const subscriptions = createSubscriptionsView({ kafka: deps.kafka, serde, catalog });
  root.addHook('onClose', () => subscriptions.stop());
  const admin = { scope: 'admin' as const };
  const tags = ['webhooks'];
  let deliverable: string[] | undefined;
  const known = () => (deliverable ??= deliverableRecords(catalog));
  const params = z.object({ id: idString(200) });
  const live = async (id: string) => {
    const sub = (await subscriptions.current(deps.commandTimeoutMs)).active.get(id);
    if (!sub) throw new MlstreamError('WEBHOOK_NOT_FOUND', `no webhook subscription ${id}`, { details: { id } });
    return sub;
  };

  app.post(
    '/webhooks',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Subscribe a URL to events (signed CloudEvents, at-least-once with a dedupe id)',
        body: z.object({
          url: httpUrl,
          eventTypes: z.array(z.string().max(200)).max(50).default([]).describe('Record names to deliver (RetrainRequested, DriftDetected, ModelVersionRegistered, StageTransitioned, AliasSet, and DataQualityFailed / RetrainJob* where deployed); empty = all.'),
          models: z.array(idString(250)).max(100).default([]).describe('Models to deliver; empty = all.'),
          secret: z.string().min(16).max(500).optional().describe('HMAC signing secret (at least 16 characters); generated and returned once when omitted.'),
          description: z.string().max(1_000).default(''),
          maxAttempts: z.number().int().min(1).max(100).optional().describe('Attempts per delivery before it is dead-lettered; default the deliverer setting (MLSTREAM_WEBHOOKS_MAX_ATTEMPTS).'),
        }),
      },
    },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { url, eventTypes, models, description } = request.body;
        const unknown = eventTypes.filter((t) => !known().includes(t));
        if (unknown.length) throw new MlstreamError('INVALID_REQUEST', `unknown event types ${unknown.join(', ')}; deliverable: ${known().join(', ')}`, { details: { errors: [{ path: 'body.eventTypes', message: `expected some of ${known().join(', ')}` }] } });
        const generated = request.body.secret === undefined;
        const secret = request.body.secret ?? `whsec_${randomBytes(24).toString('base64url')}`;
        const value: WebhookSubscribed = { eventId: ctx.ids.derive('event:0'), occurredAt: ctx.now, subscriptionId: ctx.ids.derive('webhook'), url, eventTypes, models, secret, description, actor: ctx.actor, maxAttempts: request.body.maxAttempts ?? null };
        const record = await serde.encode('WebhookSubscribed', value, ctx.meta);
        await producer.send([record], { alone: true });
        const { secret: _secret, ...shown } = value;
        return { status: 201, body: { id: value.subscriptionId, ...shown, maxAttempts: shown.maxAttempts ?? undefined, createdAt: value.occurredAt, ...(generated ? { secret } : {}) } };
      }),
  );

  app.get('/webhooks', { config: admin, schema: { tags, summary: 'Live webhook subscriptions (secrets omitted)' } }, async () => ({ webhooks: [...(await subscriptions.current(deps.commandTimeoutMs)).active.values()].map(view) }));

  app.get('/webhooks/:id', { config: admin, schema: { tags, summary: 'One webhook subscription (secret omitted)', params } }, async (request) => view(await live(request.params.id)));

  app.delete('/webhooks/:id', { config: admin, schema: { tags, summary: 'Delete a subscription: nothing more is delivered to it', params } }, (request, reply) =>
    idempotent(deps, request, reply, async (ctx) => {
      await live(request.params.id);
      const record = await serde.encode('WebhookUnsubscribed', { eventId: ctx.ids.derive('event:0'), occurredAt: ctx.now, subscriptionId: request.params.id, actor: ctx.actor, reason: null }, ctx.meta);
      await producer.send([record], { alone: true });
      return { status: 200, body: { id: request.params.id, deleted: true } };
    }),
  );

  app.post(
    '/webhooks/:id/redeliver',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Deliver again from a time and/or from source offsets (same CloudEvent ids; dead letters included)',
        params,
        body: z
          .object({
            fromTime: z.number().int().min(0).max(MAX_LONG).optional().describe('Every source event appended at or after this time (epoch ms).'),
            fromOffsets: z.array(z.object({ topic: z.string().max(300), partition: z.number().int().min(0).max(100_000), offset: z.number().int().min(0).max(MAX_LONG) })).max(1_000).default([]),
          })
          .refine((b) => b.fromTime !== undefined || b.fromOffsets.length > 0, 'give fromTime or fromOffsets'),
      },
    },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        await live(request.params.id);
        const value: WebhookRedeliveryRequested = { eventId: ctx.ids.derive('event:0'), occurredAt: ctx.now, subscriptionId: request.params.id, fromOffsets: request.body.fromOffsets, fromTime: request.body.fromTime ?? null, actor: ctx.actor };
        const record = await serde.encode('WebhookRedeliveryRequested', value, ctx.meta);
        await producer.send([record], { alone: true });
        return { status: 202, body: { id: request.params.id, requestId: value.eventId } };
      }),
  );

  const analytics = deps.analytics;
  if (analytics) {
    app.get(
      '/webhooks/:id/deliveries',
      {
        config: { scope: 'read' },
        schema: {
          tags,
          summary: 'Delivery attempts and dead letters of a subscription (ClickHouse), oldest first of the most recent `limit`',
          params,
          querystring: z.object({ deliveryId: z.string().min(1).max(500).optional(), deadLettered: z.enum(['true', 'false']).optional(), limit: z.coerce.number().int().min(1).max(10_000).optional() }),
        },
      },
      async (request) => ({ deliveries: await webhookDeliveries(analytics, { subscriptionId: request.params.id, deliveryId: request.query.deliveryId, deadLettered: request.query.deadLettered === 'true', limit: request.query.limit }) }),
    );
  }
};
