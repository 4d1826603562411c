import { describe, expect, it } from 'vitest';
import { Sql, quoteString } from './escape.ts';
import { compileSearch, type SearchPlan } from './compile.ts';

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
