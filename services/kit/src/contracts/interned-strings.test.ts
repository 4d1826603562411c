import { describe, expect, it } from 'vitest';
import { createInterningParser } from './interned-strings.ts';
import { parseSchema, readSchemaFiles } from './schemas.ts';

const features = {
  type: 'record',
  name: 'Features',
  fields: [
    { name: 'model', type: 'string' },
    { name: 'note', type: ['null', 'string'], default: null },
    { name: 'numeric', type: { type: 'map', values: 'double' } },
    { name: 'categorical', type: { type: 'map', values: 'string' } },
  ],
} as const;

describe('createInterningParser', () => {
  it('reads every catalog record exactly as avsc does (random values, each read twice so the second read hits the cache)', () => {
    const parse = createInterningParser();
    for (const file of readSchemaFiles()) {
      const plain = parseSchema(file.schema);
      const interning = parse(file.schema);
      expect(interning.equals(plain)).toBe(true);
      for (let i = 0; i < 30; i++) {
        const bytes = plain.toBuffer(plain.random());
        expect(interning.fromBuffer(bytes)).toEqual(plain.fromBuffer(bytes));
        expect(interning.fromBuffer(bytes)).toEqual(plain.fromBuffer(bytes));
      }
    }
  });

  it('returns the same string for repeated ASCII keys and values, and reads non-ASCII, empty and long strings as avsc does', () => {
    const plain = parseSchema(features as never);
    const interning = createInterningParser()(features as never);
    const values = [
      { model: 'churn', note: null, numeric: { age: 41, income: 1.5 }, categorical: { plan: 'pro', region: 'eu' } },
      { model: 'churn', note: 'x'.repeat(40), numeric: { age: 42 }, categorical: { plan: 'pro', região: 'são paulo', '': '' } },
      { model: 'chürn', note: '\u{1F600}', numeric: {}, categorical: { plan: 'basic', plam: 'pro' } },
      { model: 'churm', note: 'churn', numeric: { aga: 1 }, categorical: { plan: 'pro' } },
    ];
    for (const value of [...values, ...values]) {
      const bytes = plain.toBuffer(value);
      expect(interning.fromBuffer(bytes)).toEqual(plain.fromBuffer(bytes));
    }
    // Invalid UTF-8 (0xff bytes) reads as avsc reads it, and a same-length ASCII string after it is not taken for it.
    const bad = Buffer.concat([Buffer.from([10]), Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), Buffer.from([0, 0, 0])]);
    expect(interning.fromBuffer(bad)).toEqual(plain.fromBuffer(bad));
    const ascii = plain.toBuffer({ model: 'abcde', note: null, numeric: {}, categorical: {} });
    expect(interning.fromBuffer(ascii)).toEqual(plain.fromBuffer(ascii));
  });

  it('refuses truncated and trailing bytes like avsc', () => {
    const plain = parseSchema(features as never);
    const interning = createInterningParser()(features as never);
    const bytes = plain.toBuffer({ model: 'churn', note: null, numeric: { age: 1 }, categorical: { plan: 'pro' } });
    for (const broken of [bytes.subarray(0, bytes.length - 2), bytes.subarray(0, 3), Buffer.concat([bytes, Buffer.from([0])])]) {
      expect(() => interning.fromBuffer(broken)).toThrow();
      expect(() => plain.fromBuffer(broken)).toThrow();
    }
  });

  it('reads old records through a resolver (a field added with a default, a map of a promoted type)', () => {
    const old = parseSchema({ type: 'record', name: 'Features', fields: [{ name: 'model', type: 'string' }, { name: 'numeric', type: { type: 'map', values: 'float' } }, { name: 'categorical', type: { type: 'map', values: 'string' } }] } as never);
    const plain = parseSchema(features as never);
    const interning = createInterningParser()(features as never);
    const bytes = old.toBuffer({ model: 'churn', numeric: { age: 1.5 }, categorical: { plan: 'pro' } });
    const expected = plain.fromBuffer(bytes, plain.createResolver(old));
    expect(interning.fromBuffer(bytes, interning.createResolver(old))).toEqual(expected);
    expect(interning.fromBuffer(bytes, interning.createResolver(old))).toEqual({ model: 'churn', note: null, numeric: { age: 1.5 }, categorical: { plan: 'pro' } });
  });
});
