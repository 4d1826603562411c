import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { DatasetVersionIngested, LabelObserved, PredictionLogged } from '@mlstream/kit';
import type { RouteDeps } from './deps.ts';
import { idempotent } from './respond.ts';
import { datasetAccepted, datasetParams, datasetVersionBody, factsAccepted, feedbackBody, predictionsBody } from './schemas/index.ts';

const accepted = { 202: factsAccepted };

/**
 * Facts: written straight to their topics; 202 once Kafka acknowledged every
 * record with acks=all. Event ids come from the client, else from the
 * Idempotency-Key, else are random.
 */
export const factRoutes = (deps: RouteDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { serde, producer, limits } = deps;

  app.post(
    '/datasets/:datasetId/versions',
    {
      config: { scope: 'write:data' },
      schema: {
        tags: ['facts'],
        summary: 'Publish a dataset version (content hash, row count, profile, validation verdict)',
        params: datasetParams(limits),
        body: datasetVersionBody(limits),
        response: { 202: datasetAccepted },
      },
    },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { eventId, occurredAt, ...body } = request.body;
        const value: DatasetVersionIngested = { ...body, eventId: eventId ?? ctx.ids.derive('event:0'), occurredAt: occurredAt ?? ctx.now, datasetId: request.params.datasetId, producer: ctx.actor };
        const record = await serde.encode('DatasetVersionIngested', value, ctx.meta);
        const [ack] = await producer.send([record], { alone: true });
        return {
          status: 202,
          body: { eventId: value.eventId, datasetId: value.datasetId, version: value.version, topic: record.topic, partition: ack?.partition ?? -1, offset: ack?.baseOffset ?? '-1' },
        };
      }),
  );

  app.post(
    '/predictions',
    {
      config: { scope: 'write:predictions' },
      schema: { tags: ['facts'], summary: `Log a batch of predictions (at most ${limits.batchItems})`, body: predictionsBody(limits), response: accepted },
    },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        // The validated body is this request's own copy: complete its items in place.
        const values = request.body.predictions as PredictionLogged[];
        for (let i = 0; i < values.length; i++) {
          const v = values[i]!;
          v.eventId ??= ctx.ids.derive(`event:${i}`);
          v.occurredAt ??= ctx.now;
        }
        const records = await serde.encodeAll('PredictionLogged', values, ctx.meta);
        await producer.send(records);
        return { status: 202, body: { accepted: records.length, eventIds: values.map((v) => v.eventId) } };
      }),
  );

  app.post(
    '/feedback',
    {
      config: { scope: 'write:predictions' },
      schema: { tags: ['facts'], summary: `Log a batch of ground-truth labels (at most ${limits.batchItems})`, body: feedbackBody(limits), response: accepted },
    },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const values: LabelObserved[] = request.body.labels.map(({ eventId, occurredAt, ...l }, i) => ({
          ...l,
          eventId: eventId ?? ctx.ids.derive(`event:${i}`),
          occurredAt: occurredAt ?? ctx.now,
        }));
        const records = await serde.encodeAll('LabelObserved', values, ctx.meta);
        await producer.send(records);
        return { status: 202, body: { accepted: records.length, eventIds: values.map((v) => v.eventId) } };
      }),
  );
};
