import type { FastifyInstance } from 'fastify';
import { MlstreamError } from '@mlstream/kit';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { searchRuns } from '../views/index.ts';
import type { RouteDeps } from './deps.ts';
import { awaitView } from './respond.ts';
import {
  aliasParams,
  experimentIdParams,
  experimentList,
  experimentView,
  experimentsQuery,
  metricHistory,
  metricParams,
  modelList,
  modelParams,
  modelVersionView,
  registeredModelView,
  runList,
  runParams,
  runSearchQuery,
  runView,
  versionParams,
} from './schemas/index.ts';

const CONSISTENCY =
  'Answered from the gateway read view after every write this gateway acknowledged, and the positions in X-Mlstream-Consistency (a write answer of any gateway), have been applied: docs/read-your-writes.md.';

/**
 * Entity reads over the gateway's read view (scope `read`), with
 * read-your-writes: each awaits the view's barrier before it answers.
 */
export const readRoutes = (deps: RouteDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { limits, view } = deps;
  const config = { scope: 'read' as const };

  app.get(
    '/runs/:runId',
    { config, schema: { tags: ['runs'], summary: 'A run: params, latest metrics, tags, inputs, status, times, Kafka coordinates', description: CONSISTENCY, params: runParams(limits), response: { 200: runView } } },
    async (request) => {
      await awaitView(deps, request);
      const run = view.run(request.params.runId);
      if (!run) throw new MlstreamError('RUN_NOT_FOUND', `no run ${request.params.runId}`, { details: { runId: request.params.runId } });
      return run;
    },
  );

  app.get(
    '/runs/:runId/metrics/:key',
    { config, schema: { tags: ['runs'], summary: 'Every observation of one metric of a run, in the order logged', description: CONSISTENCY, params: metricParams(limits), response: { 200: metricHistory } } },
    async (request) => {
      await awaitView(deps, request);
      const { runId, key } = request.params;
      if (!view.run(runId)) throw new MlstreamError('RUN_NOT_FOUND', `no run ${runId}`, { details: { runId } });
      return { runId, key, metrics: view.metricHistory(runId, key) };
    },
  );

  app.get(
    '/experiments',
    { config, schema: { tags: ['experiments'], summary: 'Experiments (the default 0, implicit ones included), by creation time; ?name= picks one by exact name', description: CONSISTENCY, querystring: experimentsQuery(limits), response: { 200: experimentList } } },
    async (request) => {
      await awaitView(deps, request);
      const { name } = request.query;
      if (name === undefined) return { experiments: view.experiments() };
      const one = view.experimentByName(name);
      return { experiments: one ? [one] : [] };
    },
  );

  app.get(
    '/experiments/:experimentId',
    { config, schema: { tags: ['experiments'], summary: 'One experiment', description: CONSISTENCY, params: experimentIdParams(limits), response: { 200: experimentView } } },
    async (request) => {
      await awaitView(deps, request);
      const experiment = view.experiment(request.params.experimentId);
      if (!experiment) throw new MlstreamError('EXPERIMENT_NOT_FOUND', `no experiment ${request.params.experimentId}`, { details: { experimentId: request.params.experimentId } });
      return experiment;
    },
  );

  app.get(
    '/experiments/:experimentId/runs',
    {
      config,
      schema: {
        tags: ['experiments'],
        summary: "Runs of an experiment with MLflow's filter and order_by (default start_time DESC), paged; read-your-writes, unlike POST /v1/runs/search (ClickHouse)",
        description: CONSISTENCY,
        params: experimentIdParams(limits),
        querystring: runSearchQuery,
        response: { 200: runList },
      },
    },
    async (request) => {
      await awaitView(deps, request);
      const { experimentId } = request.params;
      if (!view.experiment(experimentId)) throw new MlstreamError('EXPERIMENT_NOT_FOUND', `no experiment ${experimentId}`, { details: { experimentId } });
      const q = request.query;
      const orderBy = q.orderBy === undefined ? [] : Array.isArray(q.orderBy) ? q.orderBy : [q.orderBy];
      return searchRuns(view.runs([experimentId]), { filter: q.filter, orderBy, maxResults: q.maxResults, pageToken: q.pageToken, runViewType: q.runViewType }, { experimentName: (id) => view.experiment(id)?.name });
    },
  );

  app.get(
    '/models',
    { config, schema: { tags: ['registry'], summary: 'Registered models with their live versions, by name', description: CONSISTENCY, response: { 200: modelList } } },
    async (request) => {
      await awaitView(deps, request);
      return { models: view.models() };
    },
  );

  app.get(
    '/models/:model',
    { config, schema: { tags: ['registry'], summary: 'A registered model: description, tags, aliases, live versions', description: CONSISTENCY, params: modelParams(limits), response: { 200: registeredModelView } } },
    async (request) => {
      await awaitView(deps, request);
      const model = view.model(request.params.model);
      if (!model) throw new MlstreamError('MODEL_NOT_FOUND', `no registered model ${request.params.model}`, { details: { model: request.params.model } });
      return model;
    },
  );

  app.get(
    '/models/:model/versions/:version',
    { config, schema: { tags: ['registry'], summary: 'One model version: stage, aliases, source, run', description: CONSISTENCY, params: versionParams(limits), response: { 200: modelVersionView } } },
    async (request) => {
      await awaitView(deps, request);
      const { model, version } = request.params;
      const found = view.model(model);
      if (!found) throw new MlstreamError('MODEL_NOT_FOUND', `no registered model ${model}`, { details: { model } });
      const v = found.versions.find((x) => x.version === version);
      if (!v) throw new MlstreamError('MODEL_VERSION_NOT_FOUND', `${model} has no version ${version}`, { details: { model, version } });
      return v;
    },
  );

  app.get(
    '/models/:model/aliases/:alias',
    { config, schema: { tags: ['registry'], summary: 'The model version an alias points at', description: CONSISTENCY, params: aliasParams(limits), response: { 200: modelVersionView } } },
    async (request) => {
      await awaitView(deps, request);
      const { model, alias } = request.params;
      const found = view.model(model);
      if (!found) throw new MlstreamError('MODEL_NOT_FOUND', `no registered model ${model}`, { details: { model } });
      const number = found.aliases[alias];
      const v = number === undefined ? undefined : found.versions.find((x) => x.version === number);
      if (!v) throw new MlstreamError('ALIAS_NOT_FOUND', `${model} has no alias @${alias}`, { details: { model, alias } });
      return v;
    },
  );
};
