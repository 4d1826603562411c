import { describe, expect, it } from 'vitest';
import { RowEncodeError, compileRowBinary } from './rowbinary.ts';

const hex = (b: Buffer) => b.toString('hex');

describe('compileRowBinary', () => {
  it('writes every column type of the schema in RowBinary layout', () => {
    const enc = compileRowBinary([
      { name: 's', type: 'String' },
      { name: 'u8', type: 'UInt8' },
      { name: 'u32', type: 'UInt32' },
      { name: 'u64', type: 'UInt64' },
      { name: 'i64', type: 'Int64' },
      { name: 'f', type: 'Float64' },
      { name: 'dt', type: 'DateTime' },
      { name: 'n', type: 'Nullable(Float64)' },
      { name: 'a', type: 'Array(String)' },
      { name: 'an', type: 'Array(Nullable(UInt8))' },
    ])!;
    expect(enc.columns).toEqual(['s', 'u8', 'u32', 'u64', 'i64', 'f', 'dt', 'n', 'a', 'an']);
    const out = enc.encode([{ s: 'hé', u8: 1, u32: 258, u64: 2 ** 40 + 1, i64: -2, f: 1.5, dt: 1_700_000_000, n: null, a: ['x', 'yz'], an: [1, null] }]);
    expect(hex(out)).toBe(
      [
        '03' + Buffer.from('hé').toString('hex'),
        '01',
        '02010000',
        '0100000000010000',
        'feffffffffffffff',
        '000000000000f83f',
        Buffer.from(new Uint32Array([1_700_000_000]).buffer).toString('hex'),
        '01',
        '02' + '0178' + '02797a',
        '02' + '0001' + '01',
      ].join(''),
    );
  });

  it('gives a missing value the type default and NULL, as JSONEachRow did', () => {
    const enc = compileRowBinary([
      { name: 's', type: 'String' },
      { name: 'u', type: 'UInt32' },
      { name: 'n', type: 'Nullable(String)' },
      { name: 'a', type: 'Array(Float64)' },
    ])!;
    expect(hex(enc.encode([{}]))).toBe('00' + '00000000' + '01' + '00');
  });

  it('turns a non-finite float into NULL where the column is Nullable and refuses it elsewhere', () => {
    expect(hex(compileRowBinary([{ name: 'n', type: 'Nullable(Float64)' }])!.encode([{ n: Number.NaN }]))).toBe('01');
    expect(() => compileRowBinary([{ name: 'f', type: 'Float64' }])!.encode([{ f: Number.NaN }])).toThrow(RowEncodeError);
    expect(() => compileRowBinary([{ name: 'f', type: 'Float64' }])!.encode([{ f: null }])).toThrow(RowEncodeError);
    expect(() => compileRowBinary([{ name: 'u', type: 'UInt8' }])!.encode([{ u: 256 }])).toThrow(RowEncodeError);
  });

  it('writes long and non-ASCII strings with a varint length', () => {
    const long = 'a'.repeat(200);
    const out = compileRowBinary([{ name: 's', type: 'String' }])!.encode([{ s: long }, { s: 'ü'.repeat(70) }]);
    expect(hex(out.subarray(0, 2))).toBe('c801');
    expect(out.subarray(2, 202).toString()).toBe(long);
    expect(hex(out.subarray(202, 204))).toBe('8c01');
    expect(out.subarray(204).toString()).toBe('ü'.repeat(70));
  });

  it('grows its buffer past the first guess', () => {
    const enc = compileRowBinary([{ name: 's', type: 'String' }])!;
    const rows = Array.from({ length: 5_000 }, (_, i) => ({ s: `row-${i}-${'x'.repeat(40)}` }));
    const out = enc.encode(rows);
    expect(out.length).toBe(rows.reduce((n, r) => n + 1 + r.s.length, 0));
  });

  it('leaves a table with an unknown column type to JSONEachRow', () => {
    expect(compileRowBinary([{ name: 'x', type: 'Decimal(9, 2)' }])).toBeUndefined();
    expect(compileRowBinary([{ name: 'x', type: 'Array(LowCardinality(String))' }])).toBeUndefined();
  });
});
