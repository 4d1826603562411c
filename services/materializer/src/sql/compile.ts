import { Sql, join, lit, sql, type SqlValue } from './escape.ts';
import { RUN_ATTRIBUTES, filterError, type Clause, type DatasetKey, type Literal, type OrderTerm, type RunAttribute } from './filter.ts';

/**
 * The column of the `runs` table each attribute maps to (canonical names, as
 * the parser resolves them). Attributes without a column are answered by the
 * gateway's read view (MLflow search), not by the analytics search.
 */
export const runAttributes: { [K in RunAttribute]: { column: string; type: (typeof RUN_ATTRIBUTES)[K] } | null } = {
  run_id: { column: 'run_id', type: 'string' },
  run_name: { column: 'name', type: 'string' },
  status: { column: 'status', type: 'string' },
  experiment: { column: 'experiment', type: 'string' },
  code_version: { column: 'code_version', type: 'string' },
  user_id: { column: 'actor', type: 'string' },
  start_time: { column: 'start_ms', type: 'number' },
  end_time: { column: 'end_ms', type: 'number' },
  artifact_uri: null,
  lifecycle_stage: null,
  experiment_id: null,
};

const attributeOf = (key: string) => {
  if (!Object.hasOwn(runAttributes, key)) throw filterError(`unknown attribute "${key}"; expected one of ${Object.keys(runAttributes).join(', ')}`);
  const a = runAttributes[key as RunAttribute];
  if (!a) {
    throw filterError(`attributes.${key} is not stored in the ClickHouse run tables; filter on it through the MLflow search (POST /api/2.0/mlflow/runs/search), which the gateway answers from its read view`);
  }
  return a;
};

/** Our run inputs as MLflow names dataset fields: datasetId is the name, version the digest. */
const datasetColumns: Record<DatasetKey, string> = { name: 'dataset_id', digest: 'dataset_version', context: 'context' };

// The column name comes from the table above, never from the request.
const column = (name: string) => new Sql(name);

/** Latest value of a metric per run, as MLflow defines it: highest step, then timestamp. */
const LATEST = new Sql('argMax(value, (step, ts_ms, _offset))');

function comparison(target: Sql, clause: Clause, kind: 'string' | 'number'): Sql {
  const { op, value } = clause;
  if (op === 'IS NULL' || op === 'IS NOT NULL') throw filterError(`${op} on ${clause.entity}.${clause.key} is compiled by presence, not by comparison`);
  const check = (v: Literal): SqlValue => {
    if (kind === 'number' && typeof v !== 'number') throw filterError(`${clause.entity}.${clause.key} compares with a number, got '${v}'`);
    if (kind === 'string' && typeof v !== 'string') throw filterError(`${clause.entity}.${clause.key} compares with a quoted string, got ${v}`);
    return v;
  };
  if (op === 'IN' || op === 'NOT IN') {
    const list = (value as Literal[]).map((v) => lit(check(v)));
    return sql`${target} ${new Sql(op)} (${join(list, ', ')})`;
  }
  const single = value as Literal;
  if (op === 'LIKE' || op === 'ILIKE') {
    if (kind !== 'string') throw filterError(`${op} applies to params, tags and text attributes, not ${clause.entity}.${clause.key}`);
    // ClickHouse 18.16 has no ILIKE: compare lower-cased UTF-8 instead.
    return op === 'LIKE' ? sql`${target} LIKE ${check(single)}` : sql`lowerUTF8(${target}) LIKE lowerUTF8(${check(single)})`;
  }
  if (kind === 'string' && op !== '=' && op !== '!=') throw filterError(`${clause.entity}.${clause.key} supports =, !=, LIKE, ILIKE, IN and NOT IN, not ${op}`);
  return sql`${target} ${new Sql(op)} ${check(single)}`;
}

/** `run_id IN (runs that have it)` or `NOT IN` for IS NOT NULL / IS NULL. */
const presence = (clause: Clause, having: Sql): Sql => (clause.op === 'IS NULL' ? sql`run_id NOT IN (${having})` : sql`run_id IN (${having})`);
const isPresence = (clause: Clause) => clause.op === 'IS NULL' || clause.op === 'IS NOT NULL';

/** One clause as a boolean SQL expression over the current-runs relation. */
export function compileClause(db: Sql, clause: Clause): Sql {
  switch (clause.entity) {
    case 'attribute': {
      const a = attributeOf(clause.key);
      if (isPresence(clause)) {
        // The runs table stores a missing text as '' and a missing time (a run still running) as 0.
        const empty = a.type === 'number' ? sql`${column(a.column)} = 0` : sql`${column(a.column)} = ''`;
        return clause.op === 'IS NULL' ? empty : sql`NOT (${empty})`;
      }
      // A run still running has no end time (stored as 0): no comparison holds for it, as in MLflow.
      if (clause.key === 'end_time') return sql`(end_ms != 0 AND ${comparison(column(a.column), clause, a.type)})`;
      return comparison(column(a.column), clause, a.type);
    }
    case 'dataset': {
      const target = column(datasetColumns[clause.key as DatasetKey] ?? 'dataset_id');
      if (isPresence(clause)) return presence(clause, sql`SELECT run_id FROM ${db}.run_inputs`);
      return sql`run_id IN (SELECT run_id FROM ${db}.run_inputs WHERE ${comparison(target, clause, 'string')})`;
    }
    case 'metric':
      if (isPresence(clause)) return presence(clause, sql`SELECT run_id FROM ${db}.run_metrics WHERE key = ${clause.key}`);
      if (clause.op === 'LIKE' || clause.op === 'ILIKE') throw filterError(`metrics compare with numbers; ${clause.op} is not allowed`);
      return sql`run_id IN (SELECT run_id FROM ${db}.run_metrics WHERE key = ${clause.key} GROUP BY run_id HAVING ${comparison(LATEST, clause, 'number')})`;
    case 'param':
      if (isPresence(clause)) return presence(clause, sql`SELECT run_id FROM ${db}.run_params WHERE key = ${clause.key}`);
      return sql`run_id IN (SELECT run_id FROM ${db}.run_params WHERE key = ${clause.key} AND ${comparison(new Sql('value'), clause, 'string')})`;
    case 'tag':
      if (isPresence(clause)) return presence(clause, sql`SELECT run_id FROM ${db}.run_tags FINAL WHERE key = ${clause.key}`);
      return sql`run_id IN (SELECT run_id FROM ${db}.run_tags FINAL WHERE key = ${clause.key} AND ${comparison(new Sql('value'), clause, 'string')})`;
    default: {
      const _exhaustive: never = clause.entity;
      throw filterError(`unknown entity ${String(_exhaustive)}`);
    }
  }
}

/** The value an order_by term sorts on, as a subquery `(run_id, __o<i>)`, or a plain column for attributes. */
function orderSource(db: Sql, term: OrderTerm, alias: Sql): { join?: Sql; expr: Sql } {
  switch (term.entity) {
    case 'attribute':
      return { expr: column(attributeOf(term.key).column) };
    case 'metric':
      return { join: sql`SELECT run_id, ${LATEST} AS ${alias} FROM ${db}.run_metrics WHERE key = ${term.key} GROUP BY run_id`, expr: alias };
    case 'param':
      return { join: sql`SELECT run_id, any(value) AS ${alias} FROM ${db}.run_params WHERE key = ${term.key} GROUP BY run_id`, expr: alias };
    case 'tag':
      return { join: sql`SELECT run_id, argMax(value, _offset) AS ${alias} FROM ${db}.run_tags WHERE key = ${term.key} GROUP BY run_id`, expr: alias };
    case 'dataset':
      throw filterError('order_by cannot name datasets');
    default: {
      const _exhaustive: never = term.entity;
      throw filterError(`unknown entity ${String(_exhaustive)}`);
    }
  }
}

export const RUN_COLUMNS = ['run_id', 'experiment', 'name', 'status', 'code_version', 'actor', 'start_ms', 'end_ms'] as const;

export interface SearchPlan {
  where: Clause[];
  orderBy: OrderTerm[];
  experiments?: string[];
  limit: number;
  offset: number;
}

/**
 * Compiles a parsed search into one SELECT over the current state of runs.
 * Each order term on metrics / params / tags adds one nested ANY LEFT JOIN
 * (ClickHouse 18.16 allows a single JOIN per SELECT); missing values sort last.
 */
export function compileSearch(db: Sql, plan: SearchPlan): Sql {
  const cols = join(RUN_COLUMNS.map(column), ', ');
  const conditions = plan.where.map((c) => compileClause(db, c));
  if (plan.experiments?.length) conditions.push(sql`experiment IN (${join(plan.experiments.map((e) => lit(e)), ', ')})`);
  const where = conditions.length ? sql` WHERE ${join(conditions, ' AND ')}` : new Sql('');
  let relation = sql`SELECT ${cols} FROM ${db}.runs FINAL${where}`;
  const sorts: Sql[] = [];
  const carried: Sql[] = [cols];
  plan.orderBy.forEach((term, i) => {
    const alias = new Sql(`__o${i}`);
    const source = orderSource(db, term, alias);
    if (source.join) {
      // Aliased subqueries: current ClickHouse refuses a JOIN of unnamed ones (joined_subquery_requires_alias).
      relation = sql`SELECT ${join(carried, ', ')}, ${alias} FROM (${relation}) AS ${new Sql(`__r${i}`)} ANY LEFT JOIN (${source.join}) AS ${new Sql(`__j${i}`)} USING run_id`;
      carried.push(alias);
    }
    sorts.push(sql`${source.expr} ${new Sql(term.descending ? 'DESC' : 'ASC')} NULLS LAST`);
  });
  sorts.push(new Sql('start_ms DESC'), new Sql('run_id ASC'));
  return sql`SELECT ${cols} FROM (${relation}) ORDER BY ${join(sorts, ', ')} LIMIT ${plan.limit} OFFSET ${plan.offset}`;
}
