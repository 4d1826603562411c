import type { FastifyInstance } from 'fastify';
import { MlstreamError } from '@mlstream/kit';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { CONSISTENCY_HEADER, parseConsistency } from '../views/index.ts';
import type { RouteDeps } from './deps.ts';
import { acceptedBody, commandFields, idempotent, sendCommand } from './respond.ts';
import { aliasParams, commandAccepted, deleteAliasQuery, modelParams, registerVersionBody, setAliasBody, transitionBody, versionParams, versionRegistered } from './schemas/index.ts';

/** Registry commands: sent to the registry command topic, answered with the registry processor's result. */
export const modelRoutes = (deps: RouteDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { limits } = deps;
  const config = { scope: 'write:registry' as const };
  const tags = ['registry'];
  const ok = { 200: commandAccepted };

  app.post(
    '/models/:model/versions',
    { config, schema: { tags, summary: 'Register a model version (numbered 1..n per model by the registry); a runId must name a started run (404 RUN_NOT_FOUND)', params: modelParams(limits), body: registerVersionBody(limits), response: { 201: versionRegistered } } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { expectedVersion, ...body } = request.body;
        // The registry's lineage starts at the run: a version must not name a run that was never started.
        if (body.runId !== null && !(await deps.view.runStarted(body.runId, deps.commandTimeoutMs, parseConsistency(request.headers[CONSISTENCY_HEADER])))) {
          throw new MlstreamError('RUN_NOT_FOUND', `run ${body.runId} was never started; start it (POST /v1/runs) before registering a version from it`, { details: { runId: body.runId } });
        }
        const { value, events } = await sendCommand(deps, ctx, 'RegisterModelVersion', { ...commandFields(ctx, expectedVersion), model: request.params.model, ...body });
        const registered = events.find((e) => e.type === 'ModelVersionRegistered');
        const version = registered?.type === 'ModelVersionRegistered' ? registered.value.version : -1;
        return { status: 201, body: { model: request.params.model, version, ...acceptedBody(value) } };
      }),
  );

  app.post(
    '/models/:model/versions/:version/stage',
    { config, schema: { tags, summary: 'Move a version to a stage, optionally behind a promotion gate', params: versionParams(limits), body: transitionBody(limits), response: ok } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { expectedVersion, stage, ...body } = request.body;
        const { value } = await sendCommand(deps, ctx, 'TransitionStage', { ...commandFields(ctx, expectedVersion), model: request.params.model, version: request.params.version, toStage: stage, ...body });
        return { status: 200, body: acceptedBody(value) };
      }),
  );

  app.put(
    '/models/:model/aliases/:alias',
    { config, schema: { tags, summary: 'Point an alias (champion, challenger, ...) at a version', params: aliasParams(limits), body: setAliasBody(limits), response: ok } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { expectedVersion, ...body } = request.body;
        const { value } = await sendCommand(deps, ctx, 'SetAlias', { ...commandFields(ctx, expectedVersion), model: request.params.model, alias: request.params.alias, ...body });
        return { status: 200, body: acceptedBody(value) };
      }),
  );

  app.delete(
    '/models/:model/aliases/:alias',
    { config, schema: { tags, summary: 'Delete an alias', params: aliasParams(limits), querystring: deleteAliasQuery(limits), response: ok } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { value } = await sendCommand(deps, ctx, 'DeleteAlias', {
          ...commandFields(ctx, request.query.expectedVersion),
          model: request.params.model,
          alias: request.params.alias,
          reason: request.query.reason ?? null,
        });
        return { status: 200, body: acceptedBody(value) };
      }),
  );
};
