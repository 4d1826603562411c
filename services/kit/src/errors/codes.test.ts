import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MlstreamError, errorCodes, isMlstreamError } from './codes.ts';

describe('error codes', () => {
  it('every code is documented in docs/errors.md with its status and retriable flag', () => {
    const doc = fs.readFileSync(new URL('../../../../docs/errors.md', import.meta.url), 'utf8');
    for (const [code, entry] of Object.entries(errorCodes)) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
      expect(row, `docs/errors.md lacks a row for ${code}`).toBeDefined();
      const [, , status, retriable] = row!.split('|').map((c) => c.trim());
      expect(Number(status), `${code} status`).toBe(entry.status);
      expect(retriable, `${code} retriable`).toBe(entry.retriable ? 'yes' : 'no');
    }
  });

  it('carries code, status, retriable and cause', () => {
    const cause = new Error('socket hang up');
    const error = new MlstreamError('KAFKA_UNAVAILABLE', undefined, { cause, details: { broker: 'x:1' } });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'KAFKA_UNAVAILABLE', status: 503, retriable: true, message: 'Kafka is unreachable', cause });
    expect(isMlstreamError(error, 'KAFKA_UNAVAILABLE')).toBe(true);
    expect(isMlstreamError(error, 'CONFIG_INVALID')).toBe(false);
    expect(isMlstreamError(new Error('x'))).toBe(false);
  });
});
