import { MlstreamError } from '@mlstream/kit';

/**
 * The ONE place where values become SQL text. ClickHouse 18.16 has no query
 * parameters, so every literal in every query goes through `lit`, and every
 * identifier through `ident` with an allow-list. Nothing else concatenates
 * user input into SQL.
 */
export type SqlValue = string | number | bigint | boolean | null | Date | readonly SqlValue[];

/** A fragment of SQL that is already safe (built by this module). */
export class Sql {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const bad = (message: string, details: Record<string, unknown> = {}): MlstreamError =>
  new MlstreamError('INVALID_ANALYTICS_REQUEST', message, { details });

// Lone UTF-16 surrogates cannot be encoded as UTF-8; ClickHouse would see U+FFFD
// instead and the comparison would silently mean something else.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\0': '\\0',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
  '\x07': '\\a',
};

/** A ClickHouse single-quoted string literal; control characters become escapes. */
export function quoteString(value: string): string {
  if (LONE_SURROGATE.test(value)) throw bad('text contains an unpaired UTF-16 surrogate', { value: [...value].length });
  // eslint-disable-next-line no-control-regex
  const body = value.replace(/[\\'\x00-\x1f\x7f]/g, (c) => ESCAPES[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `'${body}'`;
}

/** Renders a value as a ClickHouse literal. */
export function lit(value: SqlValue): Sql {
  if (value === null) return new Sql('NULL');
  if (typeof value === 'string') return new Sql(quoteString(value));
  if (typeof value === 'boolean') return new Sql(value ? '1' : '0');
  if (typeof value === 'bigint') return new Sql(value < 0n ? `(${value})` : String(value));
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw bad(`number ${String(value)} is not finite`);
    // Parenthesised so that `x - -1` or `x--1` (a comment!) can never appear.
    return new Sql(value < 0 || Object.is(value, -0) ? `(${String(value)})` : String(value));
  }
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) throw bad('invalid date');
    return new Sql(`toDateTime(${Math.floor(ms / 1000)})`);
  }
  if (Array.isArray(value)) return new Sql(`[${value.map((v) => lit(v).text).join(', ')}]`);
  throw bad(`unsupported literal type ${typeof value}`);
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An identifier that must appear in `allowed`; also checks its shape, belt and braces. */
export function ident(name: string, allowed: ReadonlySet<string> | readonly string[]): Sql {
  const set = allowed instanceof Set ? allowed : new Set(allowed as readonly string[]);
  if (!set.has(name) || !IDENT.test(name)) throw bad(`identifier ${JSON.stringify(name)} is not allowed`, { name });
  return new Sql(name);
}

/** A database name from configuration: a plain identifier. */
export function database(name: string): Sql {
  if (!IDENT.test(name)) throw bad(`database name ${JSON.stringify(name)} is not a plain identifier`);
  return new Sql(name);
}

/** Tagged template: interpolated `Sql` fragments are kept, any other value goes through `lit`. */
export function sql(strings: TemplateStringsArray, ...values: Array<Sql | SqlValue>): Sql {
  let text = strings[0] ?? '';
  values.forEach((v, i) => {
    text += (v instanceof Sql ? v.text : lit(v).text) + (strings[i + 1] ?? '');
  });
  return new Sql(text);
}

/** Joins fragments with a separator. */
export const join = (parts: readonly Sql[], separator: string): Sql => new Sql(parts.map((p) => p.text).join(separator));

/** Whole, non-negative integer within a range (limits, offsets, bucket sizes). */
export function boundedInt(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw bad(`${what} must be a whole number between ${min} and ${max}`, { [what]: value });
  }
  return value;
}
