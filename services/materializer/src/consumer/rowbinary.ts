import type { Row } from '../projections/index.ts';

/**
 * RowBinary, the insert format ClickHouse parses fastest (docs/performance
 * "speed-materialize"): compiled once per table from its column types, it
 * writes the rows the projections build with the same meaning as
 * JSONEachRow gave them: a missing value is the type's default, null is NULL
 * in a Nullable column and refused elsewhere, a non-finite float is NULL in
 * a Nullable column and refused elsewhere (JSON has no NaN), numbers and
 * booleans given to a String column are their text.
 */

/** A value the column cannot hold: refused before anything is sent, like ClickHouse refuses it (the batch is not retried). */
export class RowEncodeError extends Error {
  constructor(column: string, type: string, value: unknown) {
    super(`RowBinary: column ${column} (${type}) cannot hold ${JSON.stringify(value) ?? String(value)}`);
    this.name = 'RowEncodeError';
  }
}

/** A growable byte buffer with the little-endian writes RowBinary needs. */
export class ByteWriter {
  buf: Buffer;
  pos = 0;
  constructor(size = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(size);
  }
  ensure(n: number) {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
  u8(v: number) {
    this.ensure(1);
    this.buf[this.pos++] = v;
  }
  varint(v: number) {
    this.ensure(10);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
  }
  string(s: string) {
    const n = s.length;
    // ASCII fast path: one byte per char, no intermediate buffer.
    if (n < 128) {
      this.ensure(1 + n);
      const start = this.pos;
      const b = this.buf;
      let p = start + 1;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[p++] = c;
      }
      if (i === n) {
        b[start] = n;
        this.pos = p;
        return;
      }
    }
    const bytes = Buffer.byteLength(s, 'utf8');
    this.varint(bytes);
    this.ensure(bytes);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

type Encode = (w: ByteWriter, v: unknown) => void;
interface Codec {
  encode: Encode;
  /** What a missing value (undefined) writes. */
  missing: Encode;
}

const num = (column: string, type: string, v: unknown): number => {
  const n = typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : typeof v === 'string' && v.trim() !== '' ? Number(v) : typeof v === 'bigint' ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new RowEncodeError(column, type, v);
  return n;
};

const unsigned = (column: string, type: string, bytes: 1 | 2 | 4): Codec => {
  const max = 2 ** (8 * bytes);
  const encode: Encode = (w, v) => {
    const n = Math.trunc(num(column, type, v));
    if (n < 0 || n >= max) throw new RowEncodeError(column, type, v);
    w.ensure(bytes);
    if (bytes === 1) w.buf[w.pos] = n;
    else if (bytes === 2) w.buf.writeUInt16LE(n, w.pos);
    else w.buf.writeUInt32LE(n, w.pos);
    w.pos += bytes;
  };
  return { encode, missing: (w) => encode(w, 0) };
};

const signed = (column: string, type: string, bytes: 1 | 2 | 4): Codec => {
  const half = 2 ** (8 * bytes - 1);
  const encode: Encode = (w, v) => {
    const n = Math.trunc(num(column, type, v));
    if (n < -half || n >= half) throw new RowEncodeError(column, type, v);
    w.ensure(bytes);
    if (bytes === 1) w.buf.writeInt8(n, w.pos);
    else if (bytes === 2) w.buf.writeInt16LE(n, w.pos);
    else w.buf.writeInt32LE(n, w.pos);
    w.pos += bytes;
  };
  return { encode, missing: (w) => encode(w, 0) };
};

const int64 = (column: string, type: string, isSigned: boolean): Codec => {
  const encode: Encode = (w, v) => {
    w.ensure(8);
    if (typeof v === 'bigint' || (typeof v === 'string' && /^-?\d+$/.test(v.trim()) && v.trim().length > 15)) {
      const b = BigInt(typeof v === 'string' ? v.trim() : v);
      if (isSigned) w.buf.writeBigInt64LE(b, w.pos);
      else if (b < 0n) throw new RowEncodeError(column, type, v);
      else w.buf.writeBigUInt64LE(b, w.pos);
      w.pos += 8;
      return;
    }
    const n = Math.trunc(num(column, type, v));
    if (!Number.isSafeInteger(n) || (!isSigned && n < 0)) throw new RowEncodeError(column, type, v);
    // Two 32-bit halves: exact for every safe integer, negative ones in two's complement.
    const lo = n >>> 0;
    const hi = Math.floor(n / 0x1_0000_0000) >>> 0;
    w.buf.writeUInt32LE(lo, w.pos);
    w.buf.writeUInt32LE(hi, w.pos + 4);
    w.pos += 8;
  };
  return { encode, missing: (w) => encode(w, 0) };
};

const float = (column: string, type: string, bytes: 4 | 8): Codec => {
  const encode: Encode = (w, v) => {
    const n = num(column, type, v);
    w.ensure(bytes);
    if (bytes === 8) w.buf.writeDoubleLE(n, w.pos);
    else w.buf.writeFloatLE(n, w.pos);
    w.pos += bytes;
  };
  return { encode, missing: (w) => encode(w, 0) };
};

const string = (column: string, type: string): Codec => ({
  encode: (w, v) => {
    if (typeof v === 'string') w.string(v);
    else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') w.string(String(v));
    else throw new RowEncodeError(column, type, v);
  },
  missing: (w) => w.u8(0),
});

const dateTime = (column: string, type: string): Codec => {
  const u32 = unsigned(column, type, 4);
  return {
    encode: (w, v) => u32.encode(w, typeof v === 'string' && !/^\d+$/.test(v) ? Math.floor(Date.parse(v) / 1000) : v),
    missing: u32.missing,
  };
};

const date = (column: string, type: string): Codec => {
  const u16 = unsigned(column, type, 2);
  return {
    encode: (w, v) => u16.encode(w, typeof v === 'string' && !/^\d+$/.test(v) ? Math.floor(Date.parse(v) / 86_400_000) : v),
    missing: u16.missing,
  };
};

/** Missing or non-finite (where JSON would have said null) → NULL. */
const nullable = (inner: Codec, innerType: string): Codec => {
  const isFloat = innerType.startsWith('Float');
  return {
    encode: (w, v) => {
      if (v === null || v === undefined || (isFloat && typeof v === 'number' && !Number.isFinite(v))) return w.u8(1);
      w.u8(0);
      inner.encode(w, v);
    },
    missing: (w) => w.u8(1),
  };
};

const array = (column: string, type: string, inner: Codec): Codec => ({
  encode: (w, v) => {
    if (v === null || v === undefined) return w.u8(0);
    if (!Array.isArray(v)) throw new RowEncodeError(column, type, v);
    w.varint(v.length);
    for (const item of v) inner.encode(w, item === undefined ? null : item);
  },
  missing: (w) => w.u8(0),
});

/** The codec of one ClickHouse type, or undefined for a type this writer does not know (the table then stays on JSONEachRow). */
function codecOf(column: string, type: string): Codec | undefined {
  const wrapped = /^(Nullable|Array)\((.*)\)$/.exec(type);
  if (wrapped) {
    const inner = codecOf(column, wrapped[2]!);
    if (!inner) return undefined;
    return wrapped[1] === 'Nullable' ? nullable(inner, wrapped[2]!) : array(column, type, inner);
  }
  switch (type) {
    case 'String':
      return string(column, type);
    case 'UInt8':
      return unsigned(column, type, 1);
    case 'UInt16':
      return unsigned(column, type, 2);
    case 'UInt32':
      return unsigned(column, type, 4);
    case 'UInt64':
      return int64(column, type, false);
    case 'Int8':
      return signed(column, type, 1);
    case 'Int16':
      return signed(column, type, 2);
    case 'Int32':
      return signed(column, type, 4);
    case 'Int64':
      return int64(column, type, true);
    case 'Float32':
      return float(column, type, 4);
    case 'Float64':
      return float(column, type, 8);
    case 'DateTime':
      return dateTime(column, type);
    case 'Date':
      return date(column, type);
    default:
      return undefined;
  }
}

export interface RowBinaryEncoder {
  /** The column list of the INSERT, in the order the rows are written. */
  columns: readonly string[];
  encode(rows: readonly Row[]): Buffer;
}

/**
 * Compiles the encoder of a table from its columns (name, type as
 * `system.columns` spells it); undefined when a column's type is not one
 * RowBinary is written for here.
 */
export function compileRowBinary(columns: ReadonlyArray<{ name: string; type: string }>): RowBinaryEncoder | undefined {
  const codecs: Array<{ name: string; codec: Codec }> = [];
  for (const { name, type } of columns) {
    const codec = codecOf(name, type);
    if (!codec) return undefined;
    codecs.push({ name, codec });
  }
  let hint = 64 * 1024;
  return {
    columns: codecs.map((c) => c.name),
    encode(rows) {
      const w = new ByteWriter(hint);
      for (const row of rows) {
        for (const { name, codec } of codecs) {
          const v = row[name];
          if (v === undefined) codec.missing(w, v);
          else codec.encode(w, v);
        }
      }
      hint = Math.max(hint, Math.min(8 * 1024 * 1024, w.pos));
      return w.bytes();
    },
  };
}
