import avro from 'avsc';
import { parseSchema } from './schemas.ts';

/** avsc's read cursor (not in its typings): the buffer and the position of the next byte. */
interface Tap {
  buf: Buffer & { utf8Slice(start: number, end: number): string };
  pos: number;
  readLong(): number;
  skipLong(): void;
  _invalidate(): void;
}

/** Longer strings (UUIDs, messages) are rarely repeated: they are sliced as avsc does. */
const MAX_INTERNED_BYTES = 32;
const SLOTS = 1024;

type TypeClass = new (schema: avro.Schema, opts: object) => avro.Type;

/**
 * A parser like `parseSchema` whose types decode strings (string fields, map
 * keys, map values) through a small cache of the ASCII strings already read:
 * a string whose bytes equal the cached one is returned without slicing the
 * buffer. Map keys and categorical values repeat in every record (feature
 * names, model names, plans), so a decode makes no new string for them, and a
 * key that is already a known string is a fast property store on the result.
 * Only reading changes; the types encode, compare and resolve as avsc's own
 * (same canonical schema), and a cache miss reads exactly what avsc reads.
 * One cache per parser, so each serde has its own.
 */
export function createInterningParser(): (schema: avro.Schema) => avro.Type {
  const cache: Array<string | undefined> = new Array<string | undefined>(SLOTS);

  // Mirrors avsc's Tap.readString (a negative length invalidates, an overrun returns undefined;
  // Buffer#utf8Slice is what avsc slices with on Node, cheaper than toString's argument checks).
  const readString = (tap: Tap): string | undefined => {
    const len = tap.readLong();
    if (len < 0) {
      tap._invalidate();
      return '';
    }
    const pos = tap.pos;
    const buf = tap.buf;
    const end = pos + len;
    tap.pos = end;
    if (end > buf.length) return undefined;
    if (len === 0) return '';
    if (len > MAX_INTERNED_BYTES) return buf.utf8Slice(pos, end);
    const slot = (len * 31 + buf[pos]! * 7 + buf[pos + (len >> 1)]! * 3 + buf[end - 1]!) & (SLOTS - 1);
    const hit = cache[slot];
    if (hit !== undefined && hit.length === len) {
      let k = 0;
      while (k < len && hit.charCodeAt(k) === buf[pos + k]) k++;
      if (k === len) return hit;
    }
    const text = buf.utf8Slice(pos, end);
    // As many characters as bytes: ASCII (or invalid bytes read as U+FFFD, which never equal a byte, so never hit).
    if (text.length === len) cache[slot] = text;
    return text;
  };

  const readArraySize = (tap: Tap): number => {
    let n = tap.readLong();
    if (n < 0) {
      n = -n;
      tap.skipLong();
    }
    return n;
  };

  class InterningStringType extends (avro.types.StringType as unknown as TypeClass) {
    _read(tap: Tap) {
      return readString(tap);
    }
  }

  // Same as avsc's MapType._read with the key read through the cache; `this` may be a resolver (avsc copies _read onto it).
  class InterningMapType extends (avro.types.MapType as unknown as TypeClass) {
    _read(this: { valuesType: { _read(tap: Tap): unknown } }, tap: Tap) {
      const values = this.valuesType;
      const out: Record<string, unknown> = {};
      let n: number;
      while ((n = readArraySize(tap))) {
        while (n--) {
          const key = readString(tap)!;
          out[key] = values._read(tap);
        }
      }
      return out;
    }
  }

  const typeHook = (schema: avro.Schema, opts: object): avro.Type | undefined => {
    if (schema === 'string') return new InterningStringType({ type: 'string' }, opts);
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
    const s = schema as { type?: unknown; logicalType?: unknown };
    if (s.type === 'string' && s.logicalType === undefined) return new InterningStringType(schema, opts);
    if (s.type === 'map') return new InterningMapType(schema, opts);
    return undefined;
  };

  return (schema) => parseSchema(schema, { typeHook } as Partial<avro.ForSchemaOptions>);
}
