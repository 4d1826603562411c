import { describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { Sql, boundedInt, database, ident, lit, quoteString, sql } from './escape.ts';

const fails = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(isMlstreamError(error, 'INVALID_ANALYTICS_REQUEST')).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a failure');
};

describe('lit: the one escaping helper', () => {
  it('quotes plain text', () => {
    expect(lit('churn').text).toBe("'churn'");
    expect(lit('').text).toBe("''");
  });

  it('escapes single quotes and backslashes so the literal can never be closed early', () => {
    expect(quoteString("o'brien")).toBe("'o\\'brien'");
    expect(quoteString('a\\b')).toBe("'a\\\\b'");
    // A trailing backslash must not escape the closing quote.
    expect(quoteString('x\\')).toBe("'x\\\\'");
    expect(quoteString("\\'")).toBe("'\\\\\\''");
    expect(quoteString("' OR 1=1 --")).toBe("'\\' OR 1=1 --'");
  });

  it('escapes NUL and other control characters', () => {
    expect(quoteString('a\0b')).toBe("'a\\0b'");
    expect(quoteString('l1\nl2\r\t')).toBe("'l1\\nl2\\r\\t'");
    expect(quoteString('\x01\x1f\x7f')).toBe("'\\x01\\x1f\\x7f'");
    expect(quoteString('\x07\b\f\v')).toBe("'\\a\\b\\f\\v'");
  });

  it('keeps unicode, including astral characters, as UTF-8 text', () => {
    expect(quoteString('naïve ☃ 𝔘 “q”')).toBe("'naïve ☃ 𝔘 “q”'");
    expect(quoteString('\u2028')).toBe("'\u2028'");
  });

  it('rejects unpaired surrogates, which UTF-8 cannot carry', () => {
    expect(fails(() => quoteString('a\uD800b'))).toMatch(/surrogate/);
    expect(fails(() => quoteString('\uDC00'))).toMatch(/surrogate/);
  });

  it('renders numbers, refusing non-finite ones and bracketing negatives', () => {
    expect(lit(0.9).text).toBe('0.9');
    expect(lit(1e308).text).toBe('1e+308');
    expect(lit(-1).text).toBe('(-1)');
    expect(lit(-0).text).toBe('(0)');
    expect(lit(12345678901234567890n).text).toBe('12345678901234567890');
    expect(lit(-5n).text).toBe('(-5)');
    expect(fails(() => lit(Number.NaN))).toMatch(/not finite/);
    expect(fails(() => lit(Infinity))).toMatch(/not finite/);
  });

  it('renders null, booleans, dates and arrays', () => {
    expect(lit(null).text).toBe('NULL');
    expect(lit(true).text).toBe('1');
    expect(lit(new Date(1_764_201_600_999)).text).toBe('toDateTime(1764201600)');
    expect(lit(['a', "b'", 1, -2]).text).toBe("['a', 'b\\'', 1, (-2)]");
    expect(fails(() => lit(new Date(Number.NaN)))).toMatch(/invalid date/);
  });
});

describe('identifiers', () => {
  it('come only from the allow-list', () => {
    expect(ident('runs', ['runs', 'predictions']).text).toBe('runs');
    expect(fails(() => ident('runs; DROP TABLE x', ['runs']))).toMatch(/not allowed/);
    expect(fails(() => ident('evil', ['runs']))).toMatch(/not allowed/);
    // Even a listed name must be a plain identifier.
    expect(fails(() => ident('a b', ['a b']))).toMatch(/not allowed/);
  });

  it('database names are plain identifiers', () => {
    expect(database('mlstream_1').text).toBe('mlstream_1');
    expect(fails(() => database('x`y'))).toMatch(/plain identifier/);
    expect(fails(() => database(''))).toMatch(/plain identifier/);
  });
});

describe('sql template', () => {
  it('keeps Sql fragments and escapes everything else', () => {
    const q = sql`SELECT * FROM ${new Sql('db.runs')} WHERE name = ${"x' OR '1"} AND n > ${-3}`;
    expect(q.text).toBe("SELECT * FROM db.runs WHERE name = 'x\\' OR \\'1' AND n > (-3)");
  });

  it('bounds integers', () => {
    expect(boundedInt(10, 'limit', 1, 100)).toBe(10);
    expect(fails(() => boundedInt(1.5, 'limit', 1, 100))).toMatch(/whole number/);
    expect(fails(() => boundedInt(1e20, 'limit', 1, 100))).toMatch(/between 1 and 100/);
    expect(fails(() => boundedInt('5', 'limit', 1, 100))).toMatch(/limit/);
  });
});
