import { describe, expect, it } from 'vitest';
import { Sql, quoteString } from './escape.ts';
import { compileClause, compileSearch, type SearchPlan } from './compile.ts';
import { parseFilter, parseOrderBy } from './filter.ts';

const db = new Sql('mlstream');
const plan = (experiments: string[] | undefined): SearchPlan => ({ where: [], orderBy: [], experiments, limit: 10, offset: 0 });

/** The query with every string literal replaced by `'?'`: what remains is the query's shape. */
const shapeOf = (text: string) => text.replace(/'(?:[^'\\]|\\.)*'/g, "'?'");
/** The string literals of the query, in order, as they appear in the SQL text. */
const literalsOf = (text: string) => text.match(/'(?:[^'\\]|\\.)*'/g) ?? [];

// The experiments of a run search come straight from the request
// (`experiment_ids` / `experiment_names`), so they are user input in SQL.
describe('compileSearch: the experiments filter', () => {
  const hostile = ["x') OR 1=1 --", "a'", 'b\\', "\\'); DROP TABLE mlstream.runs; --", "it''s", 'line\nbreak', "' OR ''='"];

  it('quotes each experiment name as one literal, through the escaping helper', () => {
    const q = compileSearch(db, plan(['churn', ...hostile]));
    expect(q.text).toContain(`experiment IN (${['churn', ...hostile].map(quoteString).join(', ')})`);
    expect(literalsOf(q.text)).toEqual(['churn', ...hostile].map(quoteString));
  });

  it('hostile names never change the shape of the query', () => {
    const expected = shapeOf(compileSearch(db, plan(['a', 'b'])).text);
    for (const name of hostile) {
      expect(shapeOf(compileSearch(db, plan([name, 'b'])).text), name).toBe(expected);
    }
  });

  it('adds no experiment condition when none is asked for', () => {
    expect(compileSearch(db, plan(undefined)).text).not.toContain('experiment IN');
    expect(compileSearch(db, plan([])).text).not.toContain('experiment IN');
    expect(compileSearch(db, plan(['a'])).text).toContain("WHERE experiment IN ('a')");
  });
});

describe('compileClause: lists, patterns and order terms', () => {
  it('compiles IN and NOT IN lists, each value through the escaping helper', () => {
    expect(compileClause(db, parseFilter("attributes.status IN ('FINISHED', 'it''s')")[0]!).text).toBe("status IN ('FINISHED', 'it\\'s')");
    expect(compileClause(db, parseFilter("params.opt NOT IN ('adam')")[0]!).text).toBe("run_id IN (SELECT run_id FROM mlstream.run_params WHERE key = 'opt' AND value NOT IN ('adam'))");
    expect(compileClause(db, parseFilter('metrics.epoch IN (1, 2)')[0]!).text).toContain('HAVING argMax(value, (step, ts_ms, _offset)) IN (1, 2))');
  });

  it('compiles LIKE on text, and refuses it on numbers', () => {
    expect(compileClause(db, parseFilter("tags.team LIKE 'ml%'")[0]!).text).toBe("run_id IN (SELECT run_id FROM mlstream.run_tags FINAL WHERE key = 'team' AND value LIKE 'ml%')");
    expect(() => compileClause(db, parseFilter("attributes.start_time LIKE '1%'")[0]!)).toThrow(/LIKE applies to params, tags and text attributes/);
  });

  it('orders by params and tags through their own joins', () => {
    const q = compileSearch(db, { where: [], orderBy: [parseOrderBy('params.lr'), parseOrderBy('tags.team DESC')], limit: 5, offset: 0 }).text;
    expect(q).toContain("ANY LEFT JOIN (SELECT run_id, any(value) AS __o0 FROM mlstream.run_params WHERE key = 'lr' GROUP BY run_id) AS __j0 USING run_id");
    expect(q).toContain("ANY LEFT JOIN (SELECT run_id, argMax(value, _offset) AS __o1 FROM mlstream.run_tags WHERE key = 'team' GROUP BY run_id) AS __j1 USING run_id");
    expect(q).toMatch(/ORDER BY __o0 ASC NULLS LAST, __o1 DESC NULLS LAST, start_ms DESC, run_id ASC LIMIT 5 OFFSET 0$/);
    expect(q.startsWith(`SELECT ${['run_id', 'experiment', 'name', 'status', 'code_version', 'actor', 'start_ms', 'end_ms'].join(', ')} FROM (`)).toBe(true);
  });
});
