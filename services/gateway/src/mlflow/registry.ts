import type { FastifyInstance } from 'fastify';
import type { ModelVersionView, RegisteredModelView } from '../views/types.ts';
import type { MlflowDeps } from './deps.ts';
import { MlflowError } from './errors.ts';
import { latestVersions, mlflowStage, modelVersionJson, registeredModelJson, stageOf } from './json.ts';
import { argsOf, caughtUp, command, int, keyValueMap, optBool, optInt, optStr, str, strList, write, type Args } from './request.ts';
import { matchesAll, page, parseOrderBy, parseSimpleFilter, sortBy } from './simple-filter.ts';

const read = { scope: 'read' as const };
const config = { scope: 'write:registry' as const };

export const modelNotFound = (name: string) => new MlflowError('RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${name} not found`);

export function modelOrThrow(deps: MlflowDeps, name: string): RegisteredModelView {
  const model = deps.view.model(name);
  if (!model) throw modelNotFound(name);
  return model;
}

export function versionOrThrow(deps: MlflowDeps, name: string, version: number): ModelVersionView {
  const found = deps.view.model(name)?.versions.find((v) => v.version === version);
  if (!found) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Model Version (name=${name}, version=${version}) not found`);
  return found;
}

/** `models:/m-<id>` (MLflow 3 registers a logged model by id): the logged model's artifact location. */
export function downloadUri(deps: MlflowDeps, source: string): string {
  const m = /^models:\/(m-[0-9a-f]+)\/?$/.exec(source);
  return (m && deps.view.loggedModel(m[1]!)?.artifactLocation) || source;
}

const modelField = (m: RegisteredModelView, key: string): string | number | undefined => {
  if (key.startsWith('tags.')) return m.tags[key.slice(5)];
  if (key === 'name') return m.name;
  if (key === 'creation_timestamp') return m.creationTime;
  if (key === 'last_updated_timestamp') return m.lastUpdatedTime;
  throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid attribute key '${key}' for registered models: expected name, creation_timestamp, last_updated_timestamp or tags.<key>`);
};

const versionField = (v: ModelVersionView, key: string): string | number | undefined => {
  if (key.startsWith('tags.')) return v.tags[key.slice(5)];
  switch (key) {
    case 'name':
      return v.model;
    case 'version':
    case 'version_number':
      return v.version;
    case 'run_id':
      return v.runId ?? undefined;
    case 'source':
    case 'source_path':
      return v.source;
    case 'current_stage':
      return mlflowStage(v.stage);
    case 'creation_timestamp':
      return v.creationTime;
    case 'last_updated_timestamp':
      return v.lastUpdatedTime;
    default:
      throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid attribute key '${key}' for model versions: expected name, version_number, run_id, source_path or tags.<key>`);
  }
};

const maxResultsOf = (args: Args, fallback: number) => {
  const n = optInt(args, 'max_results') ?? fallback;
  if (n < 1 || n > 200_000) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${n} for parameter 'max_results' supplied.`);
  return n;
};

const RENAME_REFUSED =
  'Renaming a registered model is not supported by mlstream: a model name is the Kafka key of its registry events, so a rename would split its history. Register the versions under the new name instead (see docs/mlflow.md).';

/** The MLflow model registry: registered models, versions, stages, aliases and tags, as registry commands; reads from the view. */
export const registryRoutes = (deps: MlflowDeps) => async (app: FastifyInstance) => {
  // ---- registered models ----

  app.post('/registered-models/create', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const name = str(args, 'name');
      await caughtUp(deps, request);
      if (deps.view.model(name)) throw new MlflowError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`);
      await command(deps, ctx, 'create', 'CreateRegisteredModel', { model: name, description: optStr(args, 'description') ?? null, tags: keyValueMap(args, 'tags') });
      await caughtUp(deps, request);
      return { registered_model: registeredModelJson(modelOrThrow(deps, name)) };
    }),
  );

  app.get('/registered-models/get', { config: read }, async (request) => {
    const name = str(argsOf(request), 'name');
    await caughtUp(deps, request);
    return { registered_model: registeredModelJson(modelOrThrow(deps, name)) };
  });

  app.get('/registered-models/search', { config: read }, async (request) => {
    const args = argsOf(request);
    const clauses = parseSimpleFilter(optStr(args, 'filter'));
    const order = [...parseOrderBy(strList(args, 'order_by')), { key: 'name', ascending: true }];
    await caughtUp(deps, request);
    const found = deps.view.models().filter((m) => matchesAll(clauses, (key) => modelField(m, key)));
    const { items, next } = page(sortBy(found, order, modelField), maxResultsOf(args, 100), optStr(args, 'page_token'));
    return { registered_models: items.map(registeredModelJson), ...(next ? { next_page_token: next } : {}) };
  });

  app.patch('/registered-models/update', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const name = str(args, 'name');
      await command(deps, ctx, 'update', 'UpdateRegisteredModel', { model: name, description: optStr(args, 'description') ?? null });
      await caughtUp(deps, request);
      return { registered_model: registeredModelJson(modelOrThrow(deps, name)) };
    }),
  );

  app.delete('/registered-models/delete', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      await command(deps, ctx, 'delete', 'DeleteRegisteredModel', { model: str(argsOf(request), 'name') });
      return {};
    }),
  );

  app.post('/registered-models/rename', { config }, async (request) => {
    str(argsOf(request), 'new_name');
    throw new MlflowError('INVALID_PARAMETER_VALUE', RENAME_REFUSED);
  });

  const latest = async (args: Args) => {
    const model = modelOrThrow(deps, str(args, 'name'));
    return { model_versions: latestVersions(model, strList(args, 'stages').map(stageOf)).map(modelVersionJson) };
  };
  app.post('/registered-models/get-latest-versions', { config: read }, async (request) => {
    await caughtUp(deps, request);
    return latest(argsOf(request));
  });
  app.get('/registered-models/get-latest-versions', { config: read }, async (request) => {
    await caughtUp(deps, request);
    return latest(argsOf(request));
  });

  app.post('/registered-models/set-tag', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'tag', 'SetModelTags', { model: str(args, 'name'), version: null, tags: { [str(args, 'key')]: optStr(args, 'value') ?? '' }, removed: [] });
      return {};
    }),
  );

  app.delete('/registered-models/delete-tag', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'untag', 'SetModelTags', { model: str(args, 'name'), version: null, tags: {}, removed: [str(args, 'key')] });
      return {};
    }),
  );

  // ---- aliases ----

  app.post('/registered-models/alias', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'alias', 'SetAlias', { model: str(args, 'name'), alias: str(args, 'alias'), version: int(args, 'version') });
      return {};
    }),
  );

  app.delete('/registered-models/alias', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'unalias', 'DeleteAlias', { model: str(args, 'name'), alias: str(args, 'alias') });
      return {};
    }),
  );

  app.get('/registered-models/alias', { config: read }, async (request) => {
    const args = argsOf(request);
    const name = str(args, 'name');
    const alias = str(args, 'alias');
    await caughtUp(deps, request);
    const version = modelOrThrow(deps, name).aliases[alias];
    if (version === undefined) throw new MlflowError('INVALID_PARAMETER_VALUE', `Registered model alias ${alias} not found.`);
    return { model_version: modelVersionJson(versionOrThrow(deps, name, version)) };
  });

  // ---- model versions ----

  app.post('/model-versions/create', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const name = str(args, 'name');
      const source = str(args, 'source');
      await caughtUp(deps, request);
      // MLflow 3 registers a logged model (`model_id`, or a `models:/m-...` source); its source run is the version's run.
      const loggedModelId = optStr(args, 'model_id') || /^models:\/(m-[0-9a-f]+)\/?$/.exec(source)?.[1];
      const runId = optStr(args, 'run_id') || (loggedModelId && deps.view.loggedModel(loggedModelId)?.runId) || null;
      // RegisterModelVersion creates a model implicitly (the /v1 way); MLflow's create_model_version needs it to exist.
      modelOrThrow(deps, name);
      if (runId !== null && !deps.view.run(runId)) throw new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);
      const { events } = await command(deps, ctx, 'register', 'RegisterModelVersion', { model: name, runId, artifactUri: source, description: optStr(args, 'description') ?? null, tags: keyValueMap(args, 'tags') });
      const registered = events.find((e) => e.type === 'ModelVersionRegistered');
      if (registered?.type !== 'ModelVersionRegistered') throw new MlflowError('INTERNAL_ERROR', 'the registry accepted the version without registering it');
      await caughtUp(deps, request);
      return { model_version: modelVersionJson(versionOrThrow(deps, name, registered.value.version)) };
    }),
  );

  app.get('/model-versions/get', { config: read }, async (request) => {
    const args = argsOf(request);
    await caughtUp(deps, request);
    return { model_version: modelVersionJson(versionOrThrow(deps, str(args, 'name'), int(args, 'version'))) };
  });

  app.get('/model-versions/search', { config: read }, async (request) => {
    const args = argsOf(request);
    const clauses = parseSimpleFilter(optStr(args, 'filter'));
    const order = [...parseOrderBy(strList(args, 'order_by')), { key: 'name', ascending: true }, { key: 'version_number', ascending: false }];
    await caughtUp(deps, request);
    const found = deps.view.models().flatMap((m) => m.versions.filter((v) => matchesAll(clauses, (key) => versionField(v, key))));
    const { items, next } = page(sortBy(found, order, versionField), maxResultsOf(args, 10_000), optStr(args, 'page_token'));
    return { model_versions: items.map(modelVersionJson), ...(next ? { next_page_token: next } : {}) };
  });

  app.patch('/model-versions/update', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const name = str(args, 'name');
      const version = int(args, 'version');
      await command(deps, ctx, 'update', 'UpdateModelVersion', { model: name, version, description: optStr(args, 'description') ?? null });
      await caughtUp(deps, request);
      return { model_version: modelVersionJson(versionOrThrow(deps, name, version)) };
    }),
  );

  app.post('/model-versions/transition-stage', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const name = str(args, 'name');
      const version = int(args, 'version');
      const stage = stageOf(str(args, 'stage'));
      const archive = optBool(args, 'archive_existing_versions') ?? false;
      await caughtUp(deps, request);
      // MLflow lets a version "move" to the stage it is in; our decider refuses that, so nothing is sent.
      if (versionOrThrow(deps, name, version).stage !== stage || archive) {
        await command(deps, ctx, 'stage', 'TransitionStage', { model: name, version, toStage: stage, archivePrevious: archive });
        await caughtUp(deps, request);
      }
      return { model_version: modelVersionJson(versionOrThrow(deps, name, version)) };
    }),
  );

  app.delete('/model-versions/delete', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'delete', 'DeleteModelVersion', { model: str(args, 'name'), version: int(args, 'version') });
      return {};
    }),
  );

  app.post('/model-versions/set-tag', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'tag', 'SetModelTags', { model: str(args, 'name'), version: int(args, 'version'), tags: { [str(args, 'key')]: optStr(args, 'value') ?? '' }, removed: [] });
      return {};
    }),
  );

  app.delete('/model-versions/delete-tag', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'untag', 'SetModelTags', { model: str(args, 'name'), version: int(args, 'version'), tags: {}, removed: [str(args, 'key')] });
      return {};
    }),
  );

  app.get('/model-versions/get-download-uri', { config: read }, async (request) => {
    const args = argsOf(request);
    await caughtUp(deps, request);
    return { artifact_uri: downloadUri(deps, versionOrThrow(deps, str(args, 'name'), int(args, 'version')).source) };
  });
};
