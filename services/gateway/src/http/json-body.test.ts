import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { forbiddenKeyPath, parseJsonBody } from './json-body.ts';

const refusal = (text: string) => {
  try {
    parseJsonBody(text);
  } catch (error) {
    if (isMlstreamError(error)) return { code: error.code, message: error.message, details: error.details };
    throw error;
  }
  return undefined;
};

describe('JSON bodies', () => {
  it('refuses __proto__ anywhere with its path, and never pollutes a prototype', () => {
    expect(refusal('{"params":{"__proto__":"x"}}')).toMatchObject({ code: 'INVALID_REQUEST', details: { errors: [{ path: 'params.__proto__' }] } });
    expect(refusal('{"__proto__":{"polluted":1}}')!.message).toMatch(/^__proto__: the key "__proto__" is not allowed anywhere in a body/);
    expect(refusal('{"a":[{"b":{"__proto__":null}}]}')).toMatchObject({ details: { errors: [{ path: 'a[0].b.__proto__' }] } });
    expect(refusal('{"constructor":{"prototype":{"x":1}}}')).toMatchObject({ details: { errors: [{ path: 'constructor.prototype' }] } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('accepts keys that only look dangerous', () => {
    expect(parseJsonBody('{"tags":{"constructor":"x","prototype":"y","__proto":"z"}}')).toEqual({ tags: { constructor: 'x', prototype: 'y', __proto: 'z' } });
    expect(forbiddenKeyPath({ constructor: { name: 'x' } })).toBeUndefined();
  });

  it('tells a syntax error (with the parser position) from an empty body; strips a BOM', () => {
    expect(refusal('{"a":')).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(refusal('{"a":')!.message).toMatch(/^Body is not valid JSON: /);
    expect(refusal('  ')!.message).toMatch(/body is empty/);
    expect(parseJsonBody('\ufeff{"a":1}')).toEqual({ a: 1 });
  });
});
