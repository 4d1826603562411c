import type { FastifyInstance } from 'fastify';
import { searchRuns, type RunViewType } from '../views/search.ts';
import type { MlflowDeps } from './deps.ts';
import { MlflowError } from './errors.ts';
import { runJson } from './json.ts';
import { argsOf, caughtUp, optInt, optStr, strList, type Args } from './request.ts';

const read = { scope: 'read' as const };

/** MLflow's SEARCH_MAX_RESULTS_THRESHOLD. */
const MAX_RESULTS = 50_000;

const runViewTypeOf = (given: string | undefined): RunViewType => {
  const type = (given || 'ACTIVE_ONLY').toUpperCase();
  if (type !== 'ACTIVE_ONLY' && type !== 'DELETED_ONLY' && type !== 'ALL') throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid run_view_type '${given}': expected ACTIVE_ONLY, DELETED_ONLY or ALL`);
  return type;
};

/**
 * runs/search: the view's evaluator (services/gateway/src/views/search.ts,
 * the grammar /v1 and ClickHouse share) over the runs of the experiments
 * asked for; page tokens are the evaluator's.
 */
export const runSearchRoutes = (deps: MlflowDeps) => async (app: FastifyInstance) => {
  const search = (args: Args) => {
    const experimentIds = strList(args, 'experiment_ids');
    const maxResults = optInt(args, 'max_results') ?? 1000;
    if (maxResults < 1 || maxResults > MAX_RESULTS) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${maxResults} for parameter 'max_results' supplied: it must be between 1 and ${MAX_RESULTS}.`);
    const found = searchRuns(deps.view.runs(experimentIds.length ? experimentIds : undefined), {
      filter: optStr(args, 'filter') ?? '',
      orderBy: strList(args, 'order_by'),
      maxResults,
      pageToken: optStr(args, 'page_token') || undefined,
      runViewType: runViewTypeOf(optStr(args, 'run_view_type')),
    }, { experimentName: (id) => deps.view.experiment(id)?.name });
    return { runs: found.runs.map(runJson), ...(found.nextPageToken ? { next_page_token: found.nextPageToken } : {}) };
  };
  app.post('/runs/search', { config: read }, async (request) => {
    await caughtUp(deps, request);
    return search(argsOf(request));
  });
  app.get('/runs/search', { config: read }, async (request) => {
    await caughtUp(deps, request);
    return search(argsOf(request));
  });
};
