import type { FastifyInstance } from 'fastify';
import type { LoggedModelRecorded } from '@mlstream/kit';
import type { Ctx } from '../api/respond.ts';
import type { LoggedModelView } from '../views/types.ts';
import type { MlflowDeps } from './deps.ts';
import { MlflowError } from './errors.ts';
import { experimentOrThrow } from './experiments.ts';
import { loggedModelJson } from './json.ts';
import { argsOf, caughtUp, keyValueMap, objList, optInt, optStr, str, strList, write, type Args } from './request.ts';
import { runOrThrow } from './runs.ts';
import { matchesAll, page, parseOrderBy, parseSimpleFilter, sortBy } from './simple-filter.ts';

const read = { scope: 'read' as const };
const config = { scope: 'write:runs' as const };

const STATUSES = ['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'];

export const loggedModelNotFound = (id: string) => new MlflowError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${id}' not found.`);

function loggedModelOrThrow(deps: MlflowDeps, id: string): LoggedModelView {
  const found = deps.view.loggedModel(id);
  if (!found) throw loggedModelNotFound(id);
  return found;
}

/**
 * Records the full snapshot of a logged model on the artifacts topic
 * (`LoggedModelRecorded`, latest per model id wins) and makes the view wait
 * for it before the next read. Read-modify-write: two concurrent changes to
 * one logged model may lose one (MLflow's client changes a model from one
 * process, in sequence).
 */
async function record(deps: MlflowDeps, ctx: Ctx, what: string, model: LoggedModelView): Promise<LoggedModelView> {
  const value: LoggedModelRecorded = {
    eventId: ctx.ids.derive(`logged-model:${what}`),
    occurredAt: ctx.now,
    actor: ctx.actor,
    modelId: model.modelId,
    experimentId: model.experimentId,
    runId: model.runId,
    name: model.name,
    artifactLocation: model.artifactLocation,
    status: model.status,
    modelType: model.modelType,
    source: model.source,
    createdAt: model.creationTime,
    params: model.params,
    tags: model.tags,
  };
  const encoded = await deps.serde.encode('LoggedModelRecorded', value, ctx.meta);
  const [ack] = await deps.producer.send([encoded], { alone: true });
  if (ack) {
    const position = { topic: ack.topicName, partition: ack.partition, offset: ack.baseOffset ?? '0' };
    deps.view.written([position]);
    // The answer's X-Mlstream-Consistency lists it too (Ctx.written, where the gateway collects a write's positions).
    ctx.written?.push(position);
  }
  return { ...model, lastUpdatedTime: ctx.now };
}

const loggedModelField = (m: LoggedModelView, key: string): string | number | undefined => {
  if (key.startsWith('tags.')) return m.tags[key.slice(5)];
  if (key.startsWith('params.')) return m.params[key.slice(7)];
  switch (key) {
    case 'name':
      return m.name;
    case 'model_id':
      return m.modelId;
    case 'model_type':
      return m.modelType ?? '';
    case 'status':
      return m.status;
    case 'source_run_id':
      return m.runId ?? undefined;
    case 'creation_time':
    case 'creation_timestamp':
      return m.creationTime;
    case 'last_updated_timestamp':
      return m.lastUpdatedTime;
    default:
      throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid attribute key '${key}' for logged models`);
  }
};

/** MLflow 3 logged models (what `log_model` calls): snapshots on the artifacts topic, reads from the view. */
export const loggedModelRoutes = (deps: MlflowDeps) => async (app: FastifyInstance) => {
  app.post('/logged-models', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const experimentId = str(args, 'experiment_id');
      const runId = optStr(args, 'source_run_id') || null;
      await caughtUp(deps, request);
      const experiment = experimentOrThrow(deps, experimentId);
      if (runId !== null) runOrThrow(deps, runId);
      const modelId = `m-${ctx.ids.derive('logged-model').replace(/-/g, '')}`;
      const model: LoggedModelView = {
        modelId,
        experimentId,
        runId,
        name: optStr(args, 'name') || 'model',
        artifactLocation: `${experiment.artifactLocation.replace(/\/+$/, '')}/models/${modelId}/artifacts`,
        status: 'LOGGED_MODEL_PENDING',
        modelType: optStr(args, 'model_type') ?? null,
        source: null,
        params: keyValueMap(args, 'params'),
        tags: keyValueMap(args, 'tags'),
        creationTime: ctx.now,
        lastUpdatedTime: ctx.now,
      };
      return { model: loggedModelJson(await record(deps, ctx, 'create', model)) };
    }),
  );

  app.get('/logged-models/:modelId', { config: read }, async (request) => {
    const { modelId } = request.params as { modelId: string };
    await caughtUp(deps, request);
    return { model: loggedModelJson(loggedModelOrThrow(deps, modelId)) };
  });

  // finalize_logged_model
  app.patch('/logged-models/:modelId', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const { modelId } = request.params as { modelId: string };
      const status = str(argsOf(request), 'status');
      if (!STATUSES.includes(status)) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid logged model status '${status}': expected one of ${STATUSES.join(', ')}`);
      await caughtUp(deps, request);
      const model = loggedModelOrThrow(deps, modelId);
      return { model: loggedModelJson(await record(deps, ctx, 'finalize', { ...model, status })) };
    }),
  );

  app.patch('/logged-models/:modelId/tags', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const { modelId } = request.params as { modelId: string };
      const tags = keyValueMap(argsOf(request), 'tags');
      await caughtUp(deps, request);
      const model = loggedModelOrThrow(deps, modelId);
      await record(deps, ctx, 'tags', { ...model, tags: { ...model.tags, ...tags } });
      return {};
    }),
  );

  app.delete('/logged-models/:modelId/tags/:key', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const { modelId, key } = request.params as { modelId: string; key: string };
      await caughtUp(deps, request);
      const model = loggedModelOrThrow(deps, modelId);
      if (model.tags[key] === undefined) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `No tag with key '${key}' on logged model '${modelId}'.`);
      const { [key]: _removed, ...tags } = model.tags;
      await record(deps, ctx, 'untag', { ...model, tags });
      return {};
    }),
  );

  app.post('/logged-models/:modelId/params', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const { modelId } = request.params as { modelId: string };
      const params = keyValueMap(argsOf(request), 'params');
      await caughtUp(deps, request);
      const model = loggedModelOrThrow(deps, modelId);
      await record(deps, ctx, 'params', { ...model, params: { ...model.params, ...params } });
      return {};
    }),
  );

  app.post('/logged-models/search', { config: read }, async (request) => {
    const args: Args = argsOf(request);
    const experimentIds = strList(args, 'experiment_ids');
    const clauses = parseSimpleFilter(optStr(args, 'filter'));
    const orderBy = objList(args, 'order_by').map((o) => `${str(o, 'field_name')} ${o.ascending === false ? 'DESC' : 'ASC'}`);
    const order = [...parseOrderBy(orderBy), { key: 'creation_timestamp', ascending: false }, { key: 'model_id', ascending: true }];
    const maxResults = optInt(args, 'max_results') ?? 100;
    if (maxResults < 1) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${maxResults} for parameter 'max_results' supplied.`);
    await caughtUp(deps, request);
    const found = deps.view.loggedModels(experimentIds.length ? experimentIds : undefined).filter((m) => matchesAll(clauses, (key) => loggedModelField(m, key)));
    const { items, next } = page(sortBy(found, order, loggedModelField), maxResults, optStr(args, 'page_token'));
    return { models: items.map(loggedModelJson), ...(next ? { next_page_token: next } : {}) };
  });
};
