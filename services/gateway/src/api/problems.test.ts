import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MlstreamError } from '@mlstream/kit';
import { toProblem } from './problems.ts';
import { RequestValidationError, renderPath, toIssues } from './validation.ts';

const invalid = (schema: z.ZodType, value: unknown) => new RequestValidationError('body', toIssues(schema.safeParse(value).error!));

describe('problem mapping', () => {
  it('maps coded errors to their status, code and retriable flag', () => {
    expect(toProblem(new MlstreamError('KAFKA_UNAVAILABLE'), '/v1/predictions')).toMatchObject({
      type: 'urn:mlstream:error:KAFKA_UNAVAILABLE',
      status: 503,
      code: 'KAFKA_UNAVAILABLE',
      retriable: true,
      instance: '/v1/predictions',
    });
    expect(toProblem(new MlstreamError('RUN_TERMINAL', 'run r1 is FINISHED', { details: { currentVersion: 4 } }))).toMatchObject({ status: 409, detail: 'run r1 is FINISHED', currentVersion: 4 });
  });

  it('names every invalid field path; non-finite numbers are called so', () => {
    const schema = z.object({ predictions: z.array(z.object({ numericFeatures: z.record(z.string(), z.number()) })) });
    const p = toProblem(invalid(schema, { predictions: [{ numericFeatures: { ok: 1 } }, { numericFeatures: { 'a.b': Infinity } }] }));
    expect(p).toMatchObject({ status: 400, code: 'INVALID_REQUEST', errors: [{ path: 'predictions[1].numericFeatures["a.b"]', message: 'expected a finite number' }] });
  });

  it('calls limits LIMIT_EXCEEDED (422) when every issue is a limit', () => {
    expect(toProblem(invalid(z.array(z.number()).max(2), [1, 2, 3]))).toMatchObject({ status: 422, code: 'LIMIT_EXCEEDED' });
    expect(toProblem(invalid(z.object({ a: z.array(z.number()).max(1), b: z.string() }), { a: [1, 2], b: 1 }))).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
  });

  it('maps fastify body errors and hides unknown errors', () => {
    expect(toProblem(Object.assign(new Error('too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }))).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE' });
    expect(toProblem(Object.assign(new Error('bad'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }))).toMatchObject({ status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(toProblem(Object.assign(new SyntaxError('Unexpected token } in JSON'), { statusCode: 400 }))).toMatchObject({ status: 400, code: 'INVALID_REQUEST' });
    const hidden = toProblem(new Error('connection string postgres://secret'));
    expect(hidden).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
    expect(JSON.stringify(hidden)).not.toContain('secret');
  });

  it('renders paths like code', () => {
    expect(renderPath(['a', 0, 'b c', 'd'])).toBe('a[0]["b c"].d');
    expect(renderPath([])).toBe('');
  });
});
