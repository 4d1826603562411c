import { MlstreamError } from '@mlstream/kit';
import { parseFilter, parseOrderBy, type Clause, type Literal, type OrderTerm } from '@mlstream/materializer';
import type { RunView } from './types.ts';

export type RunViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface RunSearch {
  /** MLflow filter string (the grammar of services/materializer/src/sql/filter.ts). */
  filter?: string;
  /** MLflow order_by entries, e.g. `metrics.acc DESC`. */
  orderBy?: readonly string[];
  /** Default 1000 (MLflow's); at most MAX_RESULTS. */
  maxResults?: number;
  /** The token a previous page returned. */
  pageToken?: string;
  /** Default ACTIVE_ONLY. */
  runViewType?: RunViewType;
}

export interface RunPage {
  runs: RunView[];
  /** Absent on the last page. */
  nextPageToken?: string;
}

export const DEFAULT_MAX_RESULTS = 1_000;
/** MLflow's SEARCH_MAX_RESULTS_THRESHOLD. */
export const MAX_RESULTS = 50_000;

/** Context the evaluator needs beyond the run itself. */
export interface SearchContext {
  /** Experiment name of an id (for `attributes.experiment`). */
  experimentName?: (experimentId: string) => string | undefined;
}

type Value = string | number | null;

/** The value a run has for an entity key; null when it has none. */
function valueOf(run: RunView, entity: 'metric' | 'param' | 'tag' | 'attribute', key: string, context: SearchContext): Value {
  switch (entity) {
    case 'metric':
      return run.latestMetrics[key]?.value ?? null;
    case 'param':
      return run.params[key] ?? null;
    case 'tag':
      return run.tags[key] ?? null;
    case 'attribute':
      switch (key) {
        case 'run_id':
          return run.runId;
        case 'run_name':
          return run.runName;
        case 'status':
          return run.status;
        case 'start_time':
          return run.startTime;
        case 'end_time':
          return run.endTime;
        case 'user_id':
          return run.userId;
        case 'artifact_uri':
          return run.artifactUri;
        case 'lifecycle_stage':
          return run.lifecycleStage;
        case 'experiment_id':
          return run.experimentId;
        case 'experiment':
          return context.experimentName?.(run.experimentId) ?? null;
        case 'code_version':
          return run.codeVersion ?? null;
        default:
          return null;
      }
    default: {
      const _exhaustive: never = entity;
      return _exhaustive;
    }
  }
}

const likeCache = new Map<string, RegExp>();
/** SQL LIKE: `%` any run, `_` one character, `\` escapes; anchored. */
export function likeToRegExp(pattern: string, insensitive: boolean): RegExp {
  const cacheKey = `${insensitive ? 'i' : 's'}${pattern}`;
  let re = likeCache.get(cacheKey);
  if (!re) {
    let source = '';
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern[i]!;
      if (c === '\\' && i + 1 < pattern.length) source += pattern[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
      else if (c === '%') source += '[\\s\\S]*';
      else if (c === '_') source += '[\\s\\S]';
      else source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
    re = new RegExp(`^${source}$`, insensitive ? 'iu' : 'u');
    if (likeCache.size > 1_000) likeCache.clear();
    likeCache.set(cacheKey, re);
  }
  return re;
}

/** One comparison of a present value. Numbers compare as numbers, text as text (the parser checked the types). */
function holds(op: Clause['op'], actual: string | number, expected: Clause['value']): boolean {
  switch (op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '>':
      return actual > (expected as Literal);
    case '>=':
      return actual >= (expected as Literal);
    case '<':
      return actual < (expected as Literal);
    case '<=':
      return actual <= (expected as Literal);
    case 'LIKE':
      return likeToRegExp(expected as string, false).test(String(actual));
    case 'ILIKE':
      return likeToRegExp(expected as string, true).test(String(actual));
    case 'IN':
      return (expected as Literal[]).includes(actual);
    case 'NOT IN':
      return !(expected as Literal[]).includes(actual);
    case 'IS NULL':
    case 'IS NOT NULL':
      return true;
    default: {
      const _exhaustive: never = op;
      return _exhaustive;
    }
  }
}

/**
 * Whether a run satisfies one clause, as MLflow decides it: a run without
 * the metric, param or tag named never matches a comparison (not even !=);
 * IS NULL matches exactly those runs. Dataset clauses hold when some input
 * of the run matches (datasetId is the name, version the digest).
 */
export function matchesClause(run: RunView, clause: Clause, context: SearchContext = {}): boolean {
  if (clause.entity === 'dataset') {
    if (clause.op === 'IS NULL') return run.inputs.length === 0;
    if (clause.op === 'IS NOT NULL') return run.inputs.length > 0;
    return run.inputs.some((i) => holds(clause.op, clause.key === 'name' ? i.datasetId : clause.key === 'digest' ? i.version : i.context, clause.value));
  }
  const actual = valueOf(run, clause.entity, clause.key, context);
  if (clause.op === 'IS NULL') return actual === null;
  if (clause.op === 'IS NOT NULL') return actual !== null;
  if (actual === null) return false;
  return holds(clause.op, actual, clause.value);
}

export const matchesFilter = (run: RunView, clauses: readonly Clause[], context: SearchContext = {}): boolean => clauses.every((c) => matchesClause(run, c, context));

const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One order term's comparison: missing values last whatever the direction
 * (MLflow's SQL store sorts NULLs last); NaN metrics above every number.
 */
function compareTerm(a: RunView, b: RunView, term: OrderTerm, context: SearchContext): number {
  if (term.entity === 'dataset') return 0;
  const x = valueOf(a, term.entity, term.key, context);
  const y = valueOf(b, term.entity, term.key, context);
  if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
  let order: number;
  if (typeof x === 'number' && typeof y === 'number') {
    const xn = Number.isNaN(x);
    const yn = Number.isNaN(y);
    order = xn || yn ? (xn === yn ? 0 : xn ? 1 : -1) : x - y;
  } else order = text(String(x), String(y));
  return term.descending ? -order : order;
}

/** MLflow's order: the given terms, then start_time DESC, then run_id ASC. */
export function compareRuns(terms: readonly OrderTerm[], context: SearchContext = {}): (a: RunView, b: RunView) => number {
  return (a, b) => {
    for (const term of terms) {
      const c = compareTerm(a, b, term, context);
      if (c !== 0) return c;
    }
    return b.startTime - a.startTime || text(a.runId, b.runId);
  };
}

const tokenError = () => new MlstreamError('INVALID_REQUEST', 'page_token is not a token this search returned');

/** MLflow's own token shape: base64 of `{"offset": n}`. */
export const encodePageToken = (offset: number): string => Buffer.from(JSON.stringify({ offset }), 'utf8').toString('base64');

export function decodePageToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    if (typeof parsed.offset === 'number' && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through
  }
  throw tokenError();
}

const stageWanted = (type: RunViewType, run: RunView) => type === 'ALL' || (type === 'ACTIVE_ONLY' ? run.lifecycleStage === 'active' : run.lifecycleStage === 'deleted');

/**
 * MLflow's run search over the read view: filter, order_by, max_results,
 * page_token and run_view_type with MLflow's semantics. Offsets index the
 * sorted result, as MLflow's own tokens do.
 */
export function searchRuns(runs: Iterable<RunView>, search: RunSearch, context: SearchContext = {}): RunPage {
  const clauses = parseFilter(search.filter);
  const terms = (search.orderBy ?? []).filter((o) => o.trim() !== '').map(parseOrderBy);
  const maxResults = search.maxResults ?? DEFAULT_MAX_RESULTS;
  if (!Number.isSafeInteger(maxResults) || maxResults < 1 || maxResults > MAX_RESULTS) {
    throw new MlstreamError('INVALID_REQUEST', `max_results must be between 1 and ${MAX_RESULTS}, got ${maxResults}`);
  }
  const offset = decodePageToken(search.pageToken);
  const type = search.runViewType ?? 'ACTIVE_ONLY';
  const matching: RunView[] = [];
  for (const run of runs) if (stageWanted(type, run) && matchesFilter(run, clauses, context)) matching.push(run);
  matching.sort(compareRuns(terms, context));
  const page = matching.slice(offset, offset + maxResults);
  const end = offset + page.length;
  return end < matching.length ? { runs: page, nextPageToken: encodePageToken(end) } : { runs: page };
}
