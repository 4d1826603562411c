import { describe, expect, it } from 'vitest';
import { parseForWriting } from './finite-numbers.ts';
import { parseSchema, readSchemaFiles } from './schemas.ts';

const measures = {
  type: 'record',
  name: 'Measures',
  fields: [
    { name: 'd', type: 'double' },
    { name: 'f', type: { type: 'float' } },
    { name: 'optional', type: ['null', 'double'], default: null },
    { name: 'map', type: { type: 'map', values: 'double' } },
    { name: 'list', type: { type: 'array', items: 'float' } },
  ],
} as const;

describe('parseForWriting', () => {
  const plain = parseSchema(measures as never);
  const finite = parseForWriting(measures as never);
  const good = { d: 1.5, f: 2.5, optional: 3, map: { a: 4 }, list: [5] };

  it('writes what avsc writes, and is the same schema', () => {
    expect(finite.equals(plain)).toBe(true);
    expect(finite.toBuffer(good)).toEqual(plain.toBuffer(good));
    for (const file of readSchemaFiles()) {
      const p = parseSchema(file.schema);
      const value = p.random();
      // avsc's random values are finite: every record writes byte for byte as avsc writes it.
      expect(parseForWriting(file.schema).toBuffer(value)).toEqual(p.toBuffer(value));
    }
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('refuses %s in a double, a float, a union, a map and an array', (bad) => {
    for (const value of [{ ...good, d: bad }, { ...good, f: bad }, { ...good, optional: bad }, { ...good, map: { a: bad } }, { ...good, list: [1, bad] }]) {
      expect(() => finite.toBuffer(value)).toThrow(/finite/);
      expect(() => plain.toBuffer(value)).not.toThrow();
    }
  });

  it('still refuses a value of the wrong type', () => {
    expect(() => finite.toBuffer({ ...good, d: '1' })).toThrow();
  });
});
