import { Sql, join, lit, sql, type SqlValue } from './escape.ts';
import { filterError, type Clause, type Literal, type OrderTerm } from './filter.ts';

/** Run attributes a filter or order_by may name, and the column each maps to. */
export const runAttributes = {
  run_id: { column: 'run_id', type: 'string' },
  run_name: { column: 'name', type: 'string' },
  name: { column: 'name', type: 'string' },
  status: { column: 'status', type: 'string' },
  experiment: { column: 'experiment', type: 'string' },
  code_version: { column: 'code_version', type: 'string' },
  actor: { column: 'actor', type: 'string' },
  start_time: { column: 'start_ms', type: 'number' },
  end_time: { column: 'end_ms', type: 'number' },
} as const satisfies Record<string, { column: string; type: 'string' | 'number' }>;

const attributeOf = (key: string) => {
  const a = (runAttributes as Record<string, { column: string; type: 'string' | 'number' } | undefined>)[key];
  if (!a) throw filterError(`unknown attribute "${key}"; expected one of ${Object.keys(runAttributes).join(', ')}`);
  return a;
};

// The column name comes from the table above, never from the request.
const column = (name: string) => new Sql(name);

/** Latest value of a metric per run, as MLflow defines it: highest step, then timestamp. */
const LATEST = new Sql('argMax(value, (step, ts_ms, _offset))');

function comparison(target: Sql, clause: Clause, kind: 'string' | 'number'): Sql {
  const { op, value } = clause;
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

/** One clause as a boolean SQL expression over the current-runs relation. */
export function compileClause(db: Sql, clause: Clause): Sql {
  switch (clause.entity) {
    case 'attribute': {
      const a = attributeOf(clause.key);
      return comparison(column(a.column), clause, a.type);
    }
    case 'metric':
      if (clause.op === 'LIKE' || clause.op === 'ILIKE') throw filterError(`metrics compare with numbers; ${clause.op} is not allowed`);
      return sql`run_id IN (SELECT run_id FROM ${db}.run_metrics WHERE key = ${clause.key} GROUP BY run_id HAVING ${comparison(LATEST, clause, 'number')})`;
    case 'param':
      return sql`run_id IN (SELECT run_id FROM ${db}.run_params WHERE key = ${clause.key} AND ${comparison(new Sql('value'), clause, 'string')})`;
    case 'tag':
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
