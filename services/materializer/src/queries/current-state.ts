import { MlstreamError } from '@mlstream/kit';
import { Sql, sql } from '../sql/index.ts';

/** MLflow's run_view_type. */
export type RunViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

/** Current tags: a tag whose latest deletion (run_tag_deletions) is newer than its latest value is not one. Same run, same partition: offsets compare. */
export const currentTagsSql = (db: Sql): Sql =>
  sql`(SELECT run_id, key, argMax(v, o) AS value, max(o) AS _offset FROM (SELECT run_id, key, value AS v, _offset AS o, 1 AS live FROM ${db}.run_tags UNION ALL SELECT run_id, key, '' AS v, _offset AS o, 0 AS live FROM ${db}.run_tag_deletions) GROUP BY run_id, key HAVING argMax(live, o) = 1)`;

/** Run ids whose latest lifecycle event deleted them. */
export const deletedRunIdsSql = (db: Sql): Sql => sql`SELECT run_id FROM ${db}.run_lifecycle GROUP BY run_id HAVING argMax(lifecycle_stage, _offset) = 'deleted'`;

/**
 * Replaces `from` by `to` in the SQL text outside single-quoted literals
 * (every value from a request is one, escaped by quoteString: \' and \\),
 * so a literal that spells a table name is never touched.
 */
export function replaceOutsideLiterals(text: string, from: RegExp, to: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const quote = text.indexOf("'", i);
    const end = quote < 0 ? text.length : quote;
    out += text.slice(i, end).replace(from, to);
    if (quote < 0) break;
    let j = quote + 1;
    while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
    out += text.slice(quote, j + 1);
    i = j + 1;
  }
  return out;
}

/**
 * Points a compiled search (sql/compile.ts, owned by the filter grammar) at
 * the current state: tags without the deleted ones, runs without deleted
 * runs (ACTIVE_ONLY), only them (DELETED_ONLY) or all (ALL).
 */
export function scopeSearch(db: Sql, query: Sql, viewType: RunViewType): Sql {
  const name = db.text.replace(/[^A-Za-z0-9_]/g, '');
  let text = replaceOutsideLiterals(query.text, new RegExp(`\\b${name}\\.run_tags\\b(?: FINAL)?`, 'g'), `${currentTagsSql(db).text} AS __tags`);
  if (viewType !== 'ALL') {
    const not = viewType === 'ACTIVE_ONLY' ? 'NOT IN' : 'IN';
    const scoped = replaceOutsideLiterals(text, new RegExp(`\\b${name}\\.runs FINAL\\b`, 'g'), `(SELECT * FROM ${name}.runs FINAL WHERE run_id ${not} (${deletedRunIdsSql(db).text})) AS __runs`);
    if (scoped === text) throw new MlstreamError('ANALYTICS_QUERY_FAILED', 'run search: the compiled query no longer reads runs FINAL');
    text = scoped;
  }
  return new Sql(text);
}
