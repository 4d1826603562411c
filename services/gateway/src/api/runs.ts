import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RouteDeps } from './deps.ts';
import { acceptedBody, commandFields, idempotent, sendCommand } from './respond.ts';
import { commandAccepted, finishRunBody, logArtifactBody, logBatchBody, logInputsBody, logMetricsBody, logParamsBody, runParams, runStarted, setTagsBody, startRunBody } from './schemas/index.ts';

/** Tracking commands: sent to the runs command topic, answered with the tracking processor's result. */
export const runRoutes = (deps: RouteDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { limits } = deps;
  const config = { scope: 'write:runs' as const };
  const tags = ['runs'];
  const ok = { 200: commandAccepted };

  app.post(
    '/runs',
    { config, schema: { tags, summary: 'Start a run', body: startRunBody(limits), response: { 201: runStarted } } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { expectedVersion, runId, ...body } = request.body;
        const id = runId ?? ctx.ids.derive('run');
        const { value } = await sendCommand(deps, ctx, 'StartRun', { ...commandFields(ctx, expectedVersion), ...body, runId: id });
        return { status: 201, body: { runId: id, ...acceptedBody(value) } };
      }),
  );

  app.post(
    '/runs/:runId/params',
    { config, schema: { tags, summary: `Log params (at most ${limits.paramsPerBatch}; immutable once logged)`, params: runParams(limits), body: logParamsBody(limits), response: ok } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { value } = await sendCommand(deps, ctx, 'LogParams', { ...commandFields(ctx, request.body.expectedVersion), runId: request.params.runId, params: request.body.params });
        return { status: 200, body: acceptedBody(value) };
      }),
  );

  app.post(
    '/runs/:runId/metrics',
    { config, schema: { tags, summary: `Log metrics (at most ${limits.metricsPerBatch})`, params: runParams(limits), body: logMetricsBody(limits), response: ok } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const metrics = request.body.metrics.map((m) => ({ key: m.key, value: m.value, step: m.step, timestamp: m.timestamp ?? ctx.now }));
        const { value } = await sendCommand(deps, ctx, 'LogMetrics', { ...commandFields(ctx, request.body.expectedVersion), runId: request.params.runId, metrics });
        return { status: 200, body: acceptedBody(value) };
      }),
  );

  app.post(
    '/runs/:runId/batch',
    { config, schema: { tags, summary: `Log params, metrics and tags in one command, all or nothing (MLflow's log-batch limits)`, params: runParams(limits), body: logBatchBody(limits), response: ok } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { params, tags: runTags, expectedVersion } = request.body;
        const metrics = request.body.metrics.map((m) => ({ key: m.key, value: m.value, step: m.step, timestamp: m.timestamp ?? ctx.now }));
        const { value } = await sendCommand(deps, ctx, 'LogBatch', { ...commandFields(ctx, expectedVersion), runId: request.params.runId, params, metrics, tags: runTags });
        return { status: 200, body: acceptedBody(value) };
      }),
  );

  app.post(
    '/runs/:runId/tags',
    { config, schema: { tags, summary: `Set tags (at most ${limits.tagsPerBatch}; last write wins)`, params: runParams(limits), body: setTagsBody(limits), response: ok } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { value } = await sendCommand(deps, ctx, 'SetTags', { ...commandFields(ctx, request.body.expectedVersion), runId: request.params.runId, tags: request.body.tags });
        return { status: 200, body: acceptedBody(value) };
      }),
  );

  app.post(
    '/runs/:runId/inputs',
    { config, schema: { tags, summary: 'Log the dataset versions a run read', params: runParams(limits), body: logInputsBody(limits), response: ok } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { value } = await sendCommand(deps, ctx, 'LogInputs', { ...commandFields(ctx, request.body.expectedVersion), runId: request.params.runId, inputs: request.body.inputs });
        return { status: 200, body: acceptedBody(value) };
      }),
  );

  app.post(
    '/runs/:runId/artifacts',
    { config, schema: { tags, summary: 'Log an artifact reference', params: runParams(limits), body: logArtifactBody(limits), response: ok } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { expectedVersion, ...artifact } = request.body;
        const { value } = await sendCommand(deps, ctx, 'LogArtifact', { ...commandFields(ctx, expectedVersion), runId: request.params.runId, artifact });
        return { status: 200, body: acceptedBody(value) };
      }),
  );

  app.post(
    '/runs/:runId/finish',
    { config, schema: { tags, summary: 'Finish a run (FINISHED, FAILED or KILLED; terminal)', params: runParams(limits), body: finishRunBody, response: ok } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { value } = await sendCommand(deps, ctx, 'FinishRun', { ...commandFields(ctx, request.body.expectedVersion), runId: request.params.runId, status: request.body.status });
        return { status: 200, body: acceptedBody(value) };
      }),
  );
};
