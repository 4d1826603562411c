import { describe, expect, it } from 'vitest';
import { MlflowError } from './errors.ts';
import { matchesAll, offsetOf, page, pageToken, parseOrderBy, parseSimpleFilter, sortBy } from './simple-filter.ts';

describe('the filter grammar of experiment, model and logged-model searches', () => {
  it("parses what the MLflow client sends (search_registered_models adds a prompt clause)", () => {
    expect(parseSimpleFilter("name = 'fraud' AND tag.`mlflow.prompt.is_prompt` != 'true'")).toEqual([
      { key: 'name', op: '=', value: 'fraud' },
      { key: 'tags.mlflow.prompt.is_prompt', op: '!=', value: 'true' },
    ]);
    expect(parseSimpleFilter("attributes.name LIKE 'exp-%' and creation_time >= 10")).toEqual([
      { key: 'name', op: 'LIKE', value: 'exp-%' },
      { key: 'creation_time', op: '>=', value: 10 },
    ]);
    expect(parseSimpleFilter("name='fraud'")).toEqual([{ key: 'name', op: '=', value: 'fraud' }]);
    expect(parseSimpleFilter("name IN ('a', 'b')")).toEqual([{ key: 'name', op: 'IN', value: ['a', 'b'] }]);
    expect(parseSimpleFilter('')).toEqual([]);
  });

  it('refuses malformed filters as INVALID_PARAMETER_VALUE', () => {
    for (const bad of ["name >>> 'x'", "name = 'x' OR name = 'y'", 'name =', "= 'x'"]) expect(() => parseSimpleFilter(bad), bad).toThrow(MlflowError);
  });

  it('evaluates clauses; an absent tag only passes !=', () => {
    const tags: Record<string, string> = { team: 'risk' };
    const get = (key: string) => (key === 'name' ? 'Fraud-v2' : key === 'creation_time' ? 50 : key.startsWith('tags.') ? tags[key.slice(5)] : undefined);
    expect(matchesAll(parseSimpleFilter("name LIKE 'Fraud%'"), get)).toBe(true);
    expect(matchesAll(parseSimpleFilter("name LIKE 'fraud%'"), get)).toBe(false);
    expect(matchesAll(parseSimpleFilter("name ILIKE 'fraud%'"), get)).toBe(true);
    expect(matchesAll(parseSimpleFilter("tags.team = 'risk' AND creation_time > 10"), get)).toBe(true);
    expect(matchesAll(parseSimpleFilter("tags.other = 'x'"), get)).toBe(false);
    expect(matchesAll(parseSimpleFilter("tags.other != 'x'"), get)).toBe(true);
  });

  it('orders with absent values last and pages with base64 {"offset": n} tokens as MLflow does', () => {
    const items = [{ n: 2 }, { n: undefined }, { n: 3 }, { n: 1 }];
    expect(sortBy([...items], parseOrderBy(['n DESC']), (i) => i.n).map((i) => i.n)).toEqual([3, 2, 1, undefined]);
    expect(pageToken(3)).toBe('eyJvZmZzZXQiOjN9');
    expect(offsetOf('eyJvZmZzZXQiOiAzfQ==')).toBe(3);
    expect(() => offsetOf('garbage')).toThrow(MlflowError);
    const first = page([1, 2, 3], 2, undefined);
    expect(first.items).toEqual([1, 2]);
    expect(page([1, 2, 3], 2, first.next)).toEqual({ items: [3] });
  });
});
