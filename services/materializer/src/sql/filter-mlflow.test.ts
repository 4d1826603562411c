import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { Sql } from './escape.ts';
import { compileClause, compileSearch } from './compile.ts';
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
const one = (filter: string) => compileClause(db, parseFilter(filter)[0]!).text;

describe('parseFilter: the rest of MLflow grammar', () => {
  it('parses IS NULL and IS NOT NULL on every entity', () => {
    expect(parseFilter('metrics.acc IS NULL and params.lr is not null and tags.t IS NULL and datasets.name IS NOT NULL and attributes.end_time IS NULL')).toEqual([
      { entity: 'metric', key: 'acc', op: 'IS NULL', value: null },
      { entity: 'param', key: 'lr', op: 'IS NOT NULL', value: null },
      { entity: 'tag', key: 't', op: 'IS NULL', value: null },
      { entity: 'dataset', key: 'name', op: 'IS NOT NULL', value: null },
      { entity: 'attribute', key: 'end_time', op: 'IS NULL', value: null },
    ]);
    expect(invalid(() => parseFilter('metrics.acc IS 1'))).toMatch(/expected NULL after IS/);
    expect(invalid(() => parseFilter('metrics.acc IS NOT'))).toMatch(/expected NULL after IS NOT/);
  });

  it('parses datasets.name|digest|context and refuses other dataset keys', () => {
    expect(parseFilter("datasets.name = 'iris' AND dataset.digest IN ('a', 'b') AND datasets.context LIKE 'train%'")).toEqual([
      { entity: 'dataset', key: 'name', op: '=', value: 'iris' },
      { entity: 'dataset', key: 'digest', op: 'IN', value: ['a', 'b'] },
      { entity: 'dataset', key: 'context', op: 'LIKE', value: 'train%' },
    ]);
    expect(invalid(() => parseFilter("datasets.schema = 'x'"))).toMatch(/unknown dataset key "schema"/);
    expect(invalid(() => parseFilter('datasets.name > 1'))).toMatch(/supports =, !=/);
    expect(invalid(() => parseOrderBy('datasets.name'))).toMatch(/order_by cannot name datasets/);
  });

  it("accepts MLflow's attribute names and spellings, resolved to one name", () => {
    const keys = parseFilter(
      "attributes.user_id = 'a' and attributes.run_name = 'b' and attributes.`Run name` = 'c' and attributes.name = 'd' and attributes.status = 'e' and attributes.start_time > 1 and attributes.end_time < 2 and attributes.run_id = 'f' and attributes.artifact_uri = 'g' and attributes.lifecycle_stage = 'active' and attributes.created > 0 and attr.actor = 'h'",
    ).map((c) => c.key);
    expect(keys).toEqual(['user_id', 'run_name', 'run_name', 'run_name', 'status', 'start_time', 'end_time', 'run_id', 'artifact_uri', 'lifecycle_stage', 'start_time', 'user_id']);
    expect(parseOrderBy('attributes.created DESC')).toEqual({ entity: 'attribute', key: 'start_time', descending: true });
    expect(invalid(() => parseFilter("attributes.run_id LIKE 'a%'"))).toMatch(/run_id supports =, !=, IN and NOT IN/);
    expect(invalid(() => parseFilter("attributes.start_time = '5'"))).toMatch(/compares with a number/);
  });
});

describe('compile: the new forms in ClickHouse SQL', () => {
  it('compiles IS NULL / IS NOT NULL by presence', () => {
    expect(one('metrics.acc IS NULL')).toBe("run_id NOT IN (SELECT run_id FROM mlstream.run_metrics WHERE key = 'acc')");
    expect(one('params.lr IS NOT NULL')).toBe("run_id IN (SELECT run_id FROM mlstream.run_params WHERE key = 'lr')");
    expect(one('tags.t IS NULL')).toBe("run_id NOT IN (SELECT run_id FROM mlstream.run_tags FINAL WHERE key = 't')");
    expect(one('attributes.end_time IS NULL')).toBe('end_ms = 0');
    expect(one('attributes.run_name IS NOT NULL')).toBe("NOT (name = '')");
    expect(one('datasets.name IS NULL')).toBe('run_id NOT IN (SELECT run_id FROM mlstream.run_inputs)');
  });

  it('compiles datasets against run_inputs and user_id against the actor column', () => {
    expect(one("datasets.name = 'iris'")).toBe("run_id IN (SELECT run_id FROM mlstream.run_inputs WHERE dataset_id = 'iris')");
    expect(one("datasets.digest IN ('a', 'b')")).toBe("run_id IN (SELECT run_id FROM mlstream.run_inputs WHERE dataset_version IN ('a', 'b'))");
    expect(one("datasets.context ILIKE 'Train%'")).toBe("run_id IN (SELECT run_id FROM mlstream.run_inputs WHERE lowerUTF8(context) LIKE lowerUTF8('Train%'))");
    expect(one("attributes.user_id = 'alice'")).toBe("actor = 'alice'");
    expect(one('attributes.end_time < 5')).toBe('(end_ms != 0 AND end_ms < 5)');
  });

  it('refuses attributes the ClickHouse tables cannot answer, saying where to ask', () => {
    expect(invalid(() => one("attributes.artifact_uri = 'x'"))).toMatch(/not stored in the ClickHouse run tables.*MLflow search/);
    expect(invalid(() => one("attributes.lifecycle_stage = 'deleted'"))).toMatch(/not stored in the ClickHouse run tables/);
    expect(invalid(() => compileSearch(db, { where: [], orderBy: [parseOrderBy('attributes.artifact_uri')], limit: 1, offset: 0 }))).toMatch(/not stored/);
  });

  it('hostile dataset values never change the shape of the query', () => {
    const shape = (value: string) => compileClause(db, { entity: 'dataset', key: 'name', op: '=', value }).text.replace(/'(?:[^'\\]|\\.)*'/g, "'?'");
    for (const hostile of ["'); DROP TABLE runs; --", '\\', "x' OR '1'='1"]) expect(shape(hostile)).toBe(shape('plain'));
  });
});

describe('parseFilter: identifiers without an entity are attributes, as in MLflow', () => {
  it('parses status, run_name and back-quoted spellings without a prefix', () => {
    expect(parseFilter("status = 'KILLED' and run_name LIKE 'r%' and `Run name` != 'x' and start_time > 5")).toEqual([
      { entity: 'attribute', key: 'status', op: '=', value: 'KILLED' },
      { entity: 'attribute', key: 'run_name', op: 'LIKE', value: 'r%' },
      { entity: 'attribute', key: 'run_name', op: '!=', value: 'x' },
      { entity: 'attribute', key: 'start_time', op: '>', value: 5 },
    ]);
    expect(parseOrderBy('start_time DESC')).toEqual({ entity: 'attribute', key: 'start_time', descending: true });
    expect(invalid(() => parseFilter("nonsense = 'x'"))).toMatch(/unknown attribute "nonsense"/);
  });
});
