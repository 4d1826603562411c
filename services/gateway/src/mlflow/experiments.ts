import type { FastifyInstance } from 'fastify';
import { experimentIdOf } from '@mlstream/kit';
import type { ExperimentView } from '../views/types.ts';
import type { MlflowDeps } from './deps.ts';
import { MlflowError } from './errors.ts';
import { experimentJson } from './json.ts';
import { argsOf, caughtUp, command, keyValueMap, optInt, optStr, str, strList, write } from './request.ts';
import { matchesAll, page, parseOrderBy, parseSimpleFilter, sortBy } from './simple-filter.ts';

const read = { scope: 'read' as const };
const config = { scope: 'write:runs' as const };

export const experimentNotFound = (id: string) => new MlflowError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${id} exists`);

/** The experiment, or MLflow's not-found error. */
export function experimentOrThrow(deps: MlflowDeps, id: string): ExperimentView {
  const found = deps.view.experiment(id);
  if (!found) throw experimentNotFound(id);
  return found;
}

/** MLflow's view_type / run_view_type: which lifecycle stages a search returns. */
export function lifecycleFilter(viewType: string | undefined): (stage: 'active' | 'deleted') => boolean {
  switch ((viewType ?? 'ACTIVE_ONLY').toUpperCase()) {
    case 'ACTIVE_ONLY':
      return (s) => s === 'active';
    case 'DELETED_ONLY':
      return (s) => s === 'deleted';
    case 'ALL':
      return () => true;
    default:
      throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid view type '${viewType}': expected ACTIVE_ONLY, DELETED_ONLY or ALL`);
  }
}

const experimentField = (e: ExperimentView, key: string): string | number | undefined => {
  if (key.startsWith('tags.')) return e.tags[key.slice(5)];
  switch (key) {
    case 'name':
      return e.name;
    case 'experiment_id':
      return e.experimentId;
    case 'creation_time':
      return e.creationTime;
    case 'last_update_time':
      return e.lastUpdateTime;
    case 'lifecycle_stage':
      return e.lifecycleStage;
    default:
      throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid attribute key '${key}' for experiments: expected name, creation_time, last_update_time or tags.<key>`);
  }
};

/** MLflow experiments: CreateExperiment, RenameExperiment, Delete/Restore, SetExperimentTags; reads from the view. */
export const experimentRoutes = (deps: MlflowDeps) => async (app: FastifyInstance) => {
  app.post('/experiments/create', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const name = str(args, 'name');
      // The id is a function of the first name; a name taken by a renamed experiment lives under another id.
      await caughtUp(deps, request);
      const taken = deps.view.experimentByName(name);
      if (taken) throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists (id ${taken.experimentId}${taken.lifecycleStage === 'deleted' ? ', deleted: restore it' : ''}).`);
      const experimentId = experimentIdOf(name);
      await command(deps, ctx, 'create', 'CreateExperiment', { experimentId, name, artifactLocation: optStr(args, 'artifact_location') || null, tags: keyValueMap(args, 'tags') });
      return { experiment_id: experimentId };
    }),
  );

  app.get('/experiments/get', { config: read }, async (request) => {
    const id = str(argsOf(request), 'experiment_id');
    await caughtUp(deps, request);
    return { experiment: experimentJson(experimentOrThrow(deps, id)) };
  });

  app.get('/experiments/get-by-name', { config: read }, async (request) => {
    const name = str(argsOf(request), 'experiment_name');
    await caughtUp(deps, request);
    const found = deps.view.experimentByName(name);
    if (!found) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`);
    return { experiment: experimentJson(found) };
  });

  const search = async (args: Record<string, unknown>) => {
    const maxResults = optInt(args, 'max_results') ?? 1000;
    if (maxResults < 1 || maxResults > 50_000) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${maxResults} for parameter 'max_results' supplied: it must be between 1 and 50000.`);
    const clauses = parseSimpleFilter(optStr(args, 'filter'));
    const order = [...parseOrderBy(strList(args, 'order_by')), { key: 'creation_time', ascending: false }, { key: 'experiment_id', ascending: true }];
    const stage = lifecycleFilter(optStr(args, 'view_type'));
    const found = deps.view.experiments().filter((e) => stage(e.lifecycleStage) && matchesAll(clauses, (key) => experimentField(e, key)));
    const { items, next } = page(sortBy(found, order, experimentField), maxResults, optStr(args, 'page_token'));
    return { experiments: items.map(experimentJson), ...(next ? { next_page_token: next } : {}) };
  };
  app.post('/experiments/search', { config: read }, async (request) => {
    await caughtUp(deps, request);
    return search(argsOf(request));
  });
  app.get('/experiments/search', { config: read }, async (request) => {
    await caughtUp(deps, request);
    return search(argsOf(request));
  });

  app.post('/experiments/update', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const experimentId = str(args, 'experiment_id');
      const name = str(args, 'new_name');
      await caughtUp(deps, request);
      // Names are unique across experiments (keys): checked here, the decider sees one key only.
      const taken = deps.view.experimentByName(name);
      if (taken && taken.experimentId !== experimentId) throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists.`);
      await command(deps, ctx, 'rename', 'RenameExperiment', { experimentId, name });
      return {};
    }),
  );

  app.post('/experiments/delete', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      await command(deps, ctx, 'delete', 'DeleteExperiment', { experimentId: str(argsOf(request), 'experiment_id') });
      return {};
    }),
  );

  app.post('/experiments/restore', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      await command(deps, ctx, 'restore', 'RestoreExperiment', { experimentId: str(argsOf(request), 'experiment_id') });
      return {};
    }),
  );

  app.post('/experiments/set-experiment-tag', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'tag', 'SetExperimentTags', { experimentId: str(args, 'experiment_id'), tags: { [str(args, 'key')]: optStr(args, 'value') ?? '' }, removed: [] });
      return {};
    }),
  );

  app.post('/experiments/delete-experiment-tag', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'untag', 'SetExperimentTags', { experimentId: str(args, 'experiment_id'), tags: {}, removed: [str(args, 'key')] });
      return {};
    }),
  );
};
