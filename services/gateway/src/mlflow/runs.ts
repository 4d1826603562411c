import type { FastifyInstance } from 'fastify';
import type { DatasetInput, Metric, RunStatus } from '@mlstream/kit';
import type { RunView } from '../views/types.ts';
import type { MlflowDeps } from './deps.ts';
import { MlflowError } from './errors.ts';
import { experimentNotFound } from './experiments.ts';
import { DATASET_CONTEXT_TAG, keyValues, metricJson, runInfoJson, runJson } from './json.ts';
import { argsOf, caughtUp, command, keyValueMap, objList, optInt, optNumber, optStr, runIdArg, str, write, type Args } from './request.ts';
import { generatedRunName } from './run-names.ts';
import { runSearchRoutes } from './run-search.ts';
import { page } from './simple-filter.ts';

const read = { scope: 'read' as const };
const config = { scope: 'write:runs' as const };

export const RUN_NAME_TAG = 'mlflow.runName';
const LOGGED_MODELS_TAG = 'mlflow.log-model.history';

export const runNotFound = (runId: string) => new MlflowError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`);

export function runOrThrow(deps: MlflowDeps, runId: string): RunView {
  const run = deps.view.run(runId);
  if (!run) throw runNotFound(runId);
  return run;
}

/** The model list a `mlflow.log-model.history` tag holds (a value that is not a JSON list starts a new one). */
const historyOf = (tag: string | undefined): unknown[] => {
  try {
    const parsed: unknown = tag ? JSON.parse(tag) : [];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
};

const statuses: Record<string, RunStatus> = { RUNNING: 'RUNNING', SCHEDULED: 'RUNNING', FINISHED: 'FINISHED', FAILED: 'FAILED', KILLED: 'KILLED' };

const statusOf = (name: string): RunStatus => {
  const status = statuses[name.toUpperCase()];
  if (!status) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid run status '${name}': expected RUNNING, SCHEDULED, FINISHED, FAILED or KILLED`);
  return status;
};

const metricOf = (m: Args, now: number): Metric => {
  const value = optNumber(m, 'value');
  if (value === undefined) throw new MlflowError('INVALID_PARAMETER_VALUE', `Missing value for required parameter 'value' of metric '${optStr(m, 'key') ?? ''}'.`);
  return { key: str(m, 'key'), value, step: optInt(m, 'step') ?? 0, timestamp: optInt(m, 'timestamp') ?? now };
};

/** MLflow runs: StartRun, LogParams, LogMetrics, SetTags, DeleteTag, LogInputs, FinishRun, Delete/RestoreRun; reads from the view. */
export const runRoutes = (deps: MlflowDeps) => async (app: FastifyInstance) => {
  app.post('/runs/create', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const experimentId = optStr(args, 'experiment_id') || '0';
      // An experiment the view knows as active needs no wait (it changes rarely; the run decider does not
      // depend on it); an unknown or deleted one is looked at again once the view has the client's writes.
      let experiment = deps.view.experiment(experimentId);
      if (experiment?.lifecycleStage !== 'active') {
        await caughtUp(deps, request);
        experiment = deps.view.experiment(experimentId);
      }
      if (!experiment) throw experimentNotFound(experimentId);
      if (experiment.lifecycleStage === 'deleted') throw new MlflowError('INVALID_PARAMETER_VALUE', `The experiment ${experimentId} must be in the 'active' state. Current state is deleted.`);
      const runId = ctx.ids.derive('run').replace(/-/g, '');
      const given = keyValueMap(args, 'tags');
      const name = optStr(args, 'run_name') || given[RUN_NAME_TAG] || generatedRunName(runId);
      // MLflow's server records the run name as a tag too; clients read it from there.
      const tags = { ...given, [RUN_NAME_TAG]: name };
      await command(deps, ctx, 'start', 'StartRun', { runId, experiment: experiment.name, experimentId, name, tags, codeVersion: given['mlflow.source.git.commit'] ?? null });
      const info = runInfoJson({
        runId,
        experimentId,
        runName: name,
        userId: ctx.actor,
        status: 'RUNNING',
        startTime: ctx.now,
        endTime: null,
        artifactUri: `${experiment.artifactLocation.replace(/\/+$/, '')}/${runId}/artifacts`,
        lifecycleStage: 'active',
      });
      // As MLflow's server answers a new run: its tags, nothing logged yet.
      return { run: { info, data: { tags: keyValues(tags) }, inputs: {} } };
    }),
  );

  app.get('/runs/get', { config: read }, async (request) => {
    const runId = runIdArg(argsOf(request));
    await caughtUp(deps, request);
    return { run: runJson(runOrThrow(deps, runId)) };
  });

  app.post('/runs/update', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const runId = runIdArg(args);
      const name = optStr(args, 'run_name');
      const status = optStr(args, 'status');
      if (name) await command(deps, ctx, 'name', 'SetTags', { runId, tags: { [RUN_NAME_TAG]: name } });
      if (status) await command(deps, ctx, 'status', 'FinishRun', { runId, status: statusOf(status) });
      await caughtUp(deps, request);
      return { run_info: runInfoJson(runOrThrow(deps, runId)) };
    }),
  );

  app.post('/runs/delete', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      await command(deps, ctx, 'delete', 'DeleteRun', { runId: runIdArg(argsOf(request)) });
      return {};
    }),
  );

  app.post('/runs/restore', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      await command(deps, ctx, 'restore', 'RestoreRun', { runId: runIdArg(argsOf(request)) });
      return {};
    }),
  );

  app.post('/runs/log-parameter', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'params', 'LogParams', { runId: runIdArg(args), params: { [str(args, 'key')]: optStr(args, 'value') ?? '' } });
      return {};
    }),
  );

  app.post('/runs/log-metric', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'metrics', 'LogMetrics', { runId: runIdArg(args), metrics: [metricOf(args, ctx.now)] });
      return {};
    }),
  );

  app.post('/runs/set-tag', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'tags', 'SetTags', { runId: runIdArg(args), tags: { [str(args, 'key')]: optStr(args, 'value') ?? '' } });
      return {};
    }),
  );

  app.post('/runs/delete-tag', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      await command(deps, ctx, 'untag', 'DeleteTag', { runId: runIdArg(args), key: str(args, 'key') });
      return {};
    }),
  );

  // Not atomic across its parts: params first (an immutable param refuses the rest), then metrics, then tags.
  app.post('/runs/log-batch', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const runId = runIdArg(args);
      const params = keyValueMap(args, 'params');
      const listed = objList(args, 'metrics');
      let metrics = listed.map((m) => metricOf(m, ctx.now));
      // MLflow 3's log_model links the run's metrics to the new logged model by logging them again with its
      // model_id; an observation the run already has is not a new one (MLflow's store keeps one row for it).
      if (listed.some((m) => optStr(m, 'model_id'))) {
        await caughtUp(deps, request);
        const keys = [...new Set(metrics.map((m) => m.key))];
        const known = new Set(keys.flatMap((key) => deps.view.metricHistory(runId, key).map((p) => `${p.key}\u0000${p.value}\u0000${p.step}\u0000${p.timestamp}`)));
        metrics = metrics.filter((m) => !known.has(`${m.key}\u0000${m.value}\u0000${m.step}\u0000${m.timestamp}`));
      }
      const tags = keyValueMap(args, 'tags');
      // One command, decided all or nothing: a refused param leaves the metrics and tags beside it unlogged too.
      if (Object.keys(params).length || metrics.length || Object.keys(tags).length) await command(deps, ctx, 'batch', 'LogBatch', { runId, params, metrics, tags });
      return {};
    }),
  );

  app.post('/runs/log-inputs', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const runId = runIdArg(args);
      const inputs: DatasetInput[] = objList(args, 'datasets').map((d) => {
        const dataset = (d.dataset ?? {}) as Args;
        return { datasetId: str(dataset, 'name'), version: str(dataset, 'digest'), context: keyValueMap(d, 'tags')[DATASET_CONTEXT_TAG] ?? '' };
      });
      if (inputs.length) await command(deps, ctx, 'inputs', 'LogInputs', { runId, inputs });
      return {};
    }),
  );

  // MLflow 2's log_model: the model's description is appended to the run's `mlflow.log-model.history` tag.
  app.post('/runs/log-model', { config }, (request, reply) =>
    write(deps, request, reply, async (ctx) => {
      const args = argsOf(request);
      const runId = runIdArg(args);
      const text = str(args, 'model_json');
      let model: unknown;
      try {
        model = JSON.parse(text);
      } catch (error) {
        throw new MlflowError('INVALID_PARAMETER_VALUE', `Malformed model info. \n ${text} \n is not a valid JSON.`, { cause: error });
      }
      const missing = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'].filter((k) => model === null || typeof model !== 'object' || !(k in model));
      if (missing.length) throw new MlflowError('INVALID_PARAMETER_VALUE', `Model json is missing mandatory fields: ${missing.join(', ')}`);
      await caughtUp(deps, request);
      const previous = runOrThrow(deps, runId).tags[LOGGED_MODELS_TAG];
      const history = historyOf(previous);
      await command(deps, ctx, 'log-model', 'SetTags', { runId, tags: { [LOGGED_MODELS_TAG]: JSON.stringify([...history, model]) } });
      return {};
    }),
  );

  // A logged model names its source run when it is created; this call only has to find the run.
  app.post('/runs/outputs', { config }, async (request) => {
    const runId = runIdArg(argsOf(request));
    await caughtUp(deps, request);
    runOrThrow(deps, runId);
    return {};
  });

  app.get('/metrics/get-history', { config: read }, async (request) => {
    const args = argsOf(request);
    const runId = runIdArg(args);
    const key = str(args, 'metric_key');
    await caughtUp(deps, request);
    runOrThrow(deps, runId);
    const history = deps.view.metricHistory(runId, key).map(metricJson);
    const maxResults = optInt(args, 'max_results');
    if (maxResults === undefined) return { metrics: history };
    if (maxResults < 1) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${maxResults} for parameter 'max_results': it must be positive.`);
    const { items, next } = page(history, maxResults, optStr(args, 'page_token'));
    return { metrics: items, ...(next ? { next_page_token: next } : {}) };
  });

  await app.register(runSearchRoutes(deps));
};
