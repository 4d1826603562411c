import { describe, expect, it } from 'vitest';
import { MlstreamError } from '@mlstream/kit';
import { toMlflowError } from './mlflow-errors.ts';

describe('artifact errors in MLflow shape', () => {
  it('maps our codes to MLflow error codes and statuses, keeping our code first in the message', () => {
    expect(toMlflowError(new MlstreamError('ARTIFACT_NOT_FOUND', 'no artifact at 1/r/artifacts/x'))).toEqual({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'ARTIFACT_NOT_FOUND: no artifact at 1/r/artifacts/x' } });
    expect(toMlflowError(new MlstreamError('ARTIFACT_CORRUPT', 'hash differs'))).toMatchObject({ status: 500, body: { error_code: 'INTERNAL_ERROR', message: 'ARTIFACT_CORRUPT: hash differs' } });
    expect(toMlflowError(new MlstreamError('PAYLOAD_TOO_LARGE'))).toMatchObject({ status: 413, body: { error_code: 'RESOURCE_LIMIT_EXCEEDED' } });
    expect(toMlflowError(new MlstreamError('FORBIDDEN'))).toMatchObject({ status: 403, body: { error_code: 'PERMISSION_DENIED' } });
    expect(toMlflowError(new MlstreamError('KAFKA_UNAVAILABLE'))).toMatchObject({ status: 503, body: { error_code: 'TEMPORARILY_UNAVAILABLE' } });
    expect(toMlflowError(new MlstreamError('METHOD_NOT_ALLOWED'))).toMatchObject({ status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND' } });
  });

  it('never leaks an unexpected error: INTERNAL_ERROR without its message', () => {
    const answer = toMlflowError(new Error('EACCES: /secret/path'));
    expect(answer).toEqual({ status: 500, body: { error_code: 'INTERNAL_ERROR', message: 'INTERNAL_ERROR: an unexpected error occurred' } });
  });
});
