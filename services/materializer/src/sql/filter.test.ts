import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { Sql } from './escape.ts';
import { compileSearch, compileClause } from './compile.ts';
import { parseFilter, parseOrderBy } from './filter.ts';

const db = new Sql('mlstream');
const invalid = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(isMlstreamError(error, 'INVALID_FILTER')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected INVALID_FILTER');
};

describe('parseFilter (MLflow grammar)', () => {
  it('parses metrics, params, tags and attributes joined by AND', () => {
    expect(parseFilter("metrics.acc > 0.9 and params.lr = '0.01' AND tags.team = \"x\" and attributes.status != 'FAILED'")).toEqual([
      { entity: 'metric', key: 'acc', op: '>', value: 0.9 },
      { entity: 'param', key: 'lr', op: '=', value: '0.01' },
      { entity: 'tag', key: 'team', op: '=', value: 'x' },
      { entity: 'attribute', key: 'status', op: '!=', value: 'FAILED' },
    ]);
  });

  it('accepts aliases, quoted and dotted keys, negative and exponent numbers, IN lists, LIKE', () => {
    expect(parseFilter('metric.`val loss` <= -1.5e-3')).toEqual([{ entity: 'metric', key: 'val loss', op: '<=', value: -0.0015 }]);
    expect(parseFilter('metrics.val.acc>=1')).toEqual([{ entity: 'metric', key: 'val.acc', op: '>=', value: 1 }]);
    expect(parseFilter('tags."mlflow.user" LIKE \'a%\'')).toEqual([{ entity: 'tag', key: 'mlflow.user', op: 'LIKE', value: 'a%' }]);
    expect(parseFilter("run.run_id IN ('a', 'b')")).toEqual([{ entity: 'attribute', key: 'run_id', op: 'IN', value: ['a', 'b'] }]);
    expect(parseFilter("attributes.status NOT IN ('KILLED')")).toEqual([{ entity: 'attribute', key: 'status', op: 'NOT IN', value: ['KILLED'] }]);
    expect(parseFilter("params.x <> 'y'")).toEqual([{ entity: 'param', key: 'x', op: '!=', value: 'y' }]);
    expect(parseFilter("params.q = 'it''s'")[0]!.value).toBe("it's");
    expect(parseFilter('   ')).toEqual([]);
  });

  it('rejects what MLflow rejects, naming the position', () => {
    expect(invalid(() => parseFilter("metrics.acc > 1 OR params.a = 'b'"))).toMatch(/OR is not supported/);
    expect(invalid(() => parseFilter('foo.acc > 1'))).toMatch(/unknown entity "foo"/);
    expect(invalid(() => parseFilter('metrics.acc 1'))).toMatch(/expected a comparator.*character 13/);
    expect(invalid(() => parseFilter("params.a = 'open"))).toMatch(/unterminated/);
    expect(invalid(() => parseFilter('metrics.acc > 1e999'))).toMatch(/out of range/);
    expect(invalid(() => parseFilter('metrics.acc > 1; DROP TABLE runs'))).toMatch(/unexpected character ";"/);
    expect(invalid(() => parseFilter('metrics.acc > 1 -- comment'))).toMatch(/expected AND/);
    expect(invalid(() => parseFilter('x'.repeat(10_001)))).toMatch(/longer than/);
  });
});

describe('compile: clauses become SQL over the run tables', () => {
  it('compiles each entity against its table', () => {
    const [m, p, t, a] = parseFilter("metrics.acc > 0.9 and params.lr = '0.01' and tags.team = 'x' and attributes.start_time >= 5");
    expect(compileClause(db, m!).text).toBe(
      'run_id IN (SELECT run_id FROM mlstream.run_metrics WHERE key = \'acc\' GROUP BY run_id HAVING argMax(value, (step, ts_ms, _offset)) > 0.9)',
    );
    expect(compileClause(db, p!).text).toBe("run_id IN (SELECT run_id FROM mlstream.run_params WHERE key = 'lr' AND value = '0.01')");
    expect(compileClause(db, t!).text).toBe("run_id IN (SELECT run_id FROM mlstream.run_tags FINAL WHERE key = 'team' AND value = 'x')");
    expect(compileClause(db, a!).text).toBe('start_ms >= 5');
  });

  it('ILIKE lower-cases both sides (18.16 has no ILIKE)', () => {
    expect(compileClause(db, parseFilter("attributes.run_name ILIKE '%Ü%'")[0]!).text).toBe("lowerUTF8(name) LIKE lowerUTF8('%Ü%')");
  });

  it('rejects type mismatches and unknown attributes', () => {
    expect(invalid(() => compileClause(db, parseFilter("metrics.acc > '0.9'")[0]!))).toMatch(/compares with a number/);
    expect(invalid(() => compileClause(db, parseFilter('params.lr = 0.01')[0]!))).toMatch(/quoted string/);
    expect(invalid(() => compileClause(db, parseFilter("params.lr > 'a'")[0]!))).toMatch(/supports =, !=/);
    expect(invalid(() => compileClause(db, parseFilter("attributes.password = 'x'")[0]!))).toMatch(/unknown attribute/);
    expect(invalid(() => compileClause(db, parseFilter("metrics.acc LIKE '1%'")[0]!))).toMatch(/LIKE is not allowed/);
  });

  it('hostile strings never change the shape of the query', () => {
    const shape = (value: string) => compileClause(db, { entity: 'param', key: value, op: '=', value }).text.replace(/'(?:[^'\\]|\\.)*'/g, "'?'");
    const expected = shape('plain');
    for (const hostile of ["'); DROP TABLE runs; --", '\\', "\\'", "a'||'b", '/* */', '\0', '𝔘\n', "x' OR '1'='1"]) {
      expect(shape(hostile)).toBe(expected);
    }
  });

  it('compiles a search with order by and paging', () => {
    const q = compileSearch(db, { where: parseFilter("tags.team = 'x'"), orderBy: [parseOrderBy('metrics.acc DESC'), parseOrderBy('attributes.start_time')], limit: 10, offset: 20 });
    expect(q.text).toContain(") AS __r0 ANY LEFT JOIN (SELECT run_id, argMax(value, (step, ts_ms, _offset)) AS __o0 FROM mlstream.run_metrics WHERE key = 'acc' GROUP BY run_id) AS __j0 USING run_id");
    expect(q.text).toMatch(/ORDER BY __o0 DESC NULLS LAST, start_ms ASC NULLS LAST, start_ms DESC, run_id ASC LIMIT 10 OFFSET 20$/);
    expect(parseOrderBy('params.lr')).toEqual({ entity: 'param', key: 'lr', descending: false });
    expect(invalid(() => parseOrderBy('metrics.acc DESC; DROP'))).toMatch(/unexpected/);
  });
});
