import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorCodes, MlstreamError } from '@mlstream/kit';
import { RequestValidationError } from '../api/validation.ts';
import { MlflowError, mlflowCodeOf, mlflowCodes, toMlflowError } from './errors.ts';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Every error code a decider (or the command processor) can reject a command with, read from their sources. */
function decidedCodes(): Set<string> {
  const files = [
    ...['services/tracking/src/domain', 'services/registry/src/domain'].flatMap((dir) =>
      readdirSync(path.join(repo, dir))
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.includes('fixtures'))
        .map((f) => path.join(repo, dir, f)),
    ),
    path.join(repo, 'services/kit/src/processor/decide-command.ts'),
  ];
  const codes = new Set<string>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:reject\(|code:\s*)'([A-Z_]+)'/g)) codes.add(m[1]!);
  }
  return codes;
}

describe('MLflow error mapping', () => {
  it('maps every code a decider rejects with to an MLflow code the client understands (never INTERNAL_ERROR)', () => {
    const codes = decidedCodes();
    expect(codes.size).toBeGreaterThan(10);
    for (const code of codes) {
      expect(Object.hasOwn(errorCodes, code), `${code} is a kit error code`).toBe(true);
      expect(mlflowCodeOf[code as keyof typeof mlflowCodeOf], code).toBeDefined();
      expect(mlflowCodeOf[code as keyof typeof mlflowCodeOf], code).not.toBe('INTERNAL_ERROR');
    }
  });

  it('maps every kit code, not-found codes to RESOURCE_DOES_NOT_EXIST and outages to TEMPORARILY_UNAVAILABLE', () => {
    expect(Object.keys(mlflowCodeOf).sort()).toEqual(Object.keys(errorCodes).sort());
    for (const [code, entry] of Object.entries(errorCodes)) {
      const mlflow = mlflowCodeOf[code as keyof typeof mlflowCodeOf];
      if (code.endsWith('_NOT_FOUND') && code !== 'NOT_FOUND') expect(mlflow, code).toBe('RESOURCE_DOES_NOT_EXIST');
      if (entry.status === 503 || entry.status === 504) expect(mlflow, code).toBe('TEMPORARILY_UNAVAILABLE');
    }
  });

  it("keeps a decider's code and reason in the message, with MLflow's status", () => {
    const answer = toMlflowError(new MlstreamError('PARAM_IMMUTABLE', 'param lr is "0.01"; it cannot become "0.02"'));
    expect(answer).toMatchObject({ status: 400, body: { error_code: 'INVALID_PARAMETER_VALUE', message: 'PARAM_IMMUTABLE: param lr is "0.01"; it cannot become "0.02"' } });
    expect(toMlflowError(new MlstreamError('GATE_FAILED', 'accuracy 0.7 is not GTE 0.9')).body.message).toBe('GATE_FAILED: accuracy 0.7 is not GTE 0.9');
    expect(toMlflowError(new MlstreamError('RUN_NOT_FOUND', 'no run r1')).status).toBe(404);
    // sendCommand answers a decided 5xx code as INVALID_COMMAND; the decided code stays visible.
    const internal = toMlflowError(new MlstreamError('INVALID_COMMAND', 'boom', { details: { decidedCode: 'HANDLER_FAILED' } }));
    expect(internal.body).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'HANDLER_FAILED: boom' });
  });

  it('answers its own errors as worded, request errors as client errors and anything else as a bare 500', () => {
    expect(toMlflowError(new MlflowError('RESOURCE_ALREADY_EXISTS', 'Registered Model (name=m) already exists.'))).toEqual({ status: 400, body: { error_code: 'RESOURCE_ALREADY_EXISTS', message: 'Registered Model (name=m) already exists.' } });
    expect(toMlflowError(new RequestValidationError('body', [])).body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(toMlflowError(Object.assign(new Error('Unexpected token'), { statusCode: 400 })).body.error_code).toBe('BAD_REQUEST');
    expect(toMlflowError(Object.assign(new Error('x'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' })).status).toBe(400);
    const unknown = toMlflowError(new TypeError('secret internals'));
    expect(unknown).toMatchObject({ status: 500, body: { error_code: 'INTERNAL_ERROR' } });
    expect(unknown.body.message).not.toContain('secret');
  });

  it("uses MLflow's statuses", () => {
    expect(mlflowCodes).toMatchObject({ RESOURCE_DOES_NOT_EXIST: 404, RESOURCE_ALREADY_EXISTS: 400, INVALID_PARAMETER_VALUE: 400, ENDPOINT_NOT_FOUND: 404, TEMPORARILY_UNAVAILABLE: 503 });
  });
});

describe('toMlflowError for the artifact proxy', () => {
  it('answers a corrupt blob 500 INTERNAL_ERROR with our code in the message, and an oversized body 413', () => {
    expect(toMlflowError(new MlstreamError('ARTIFACT_CORRUPT', 'hash differs'))).toMatchObject({ status: 500, body: { error_code: 'INTERNAL_ERROR', message: 'ARTIFACT_CORRUPT: hash differs' } });
    expect(toMlflowError(new MlstreamError('ARTIFACT_NOT_FOUND', 'no artifact at 1/r/artifacts/x'))).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
    expect(toMlflowError(new MlstreamError('PAYLOAD_TOO_LARGE', 'over 2 GiB'))).toMatchObject({ status: 413, body: { error_code: 'BAD_REQUEST' } });
    expect(toMlflowError(Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }))).toMatchObject({ status: 413, body: { error_code: 'BAD_REQUEST' } });
  });
  it('never leaks an internal error message', () => {
    expect(toMlflowError(new Error('EACCES: /secret/path')).body.message).not.toContain('/secret');
  });
});
