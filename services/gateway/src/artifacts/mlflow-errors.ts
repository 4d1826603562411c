import { isMlstreamError } from '@mlstream/kit';

/** MLflow's error body: what its Python client turns into an MlflowException with this error code. */
export interface MlflowErrorBody {
  error_code: string;
  message: string;
}

/** Our code → MLflow's error code and HTTP status, for the codes the artifact routes can meet. */
const mapped: Record<string, { errorCode: string; status: number }> = {
  ARTIFACT_NOT_FOUND: { errorCode: 'RESOURCE_DOES_NOT_EXIST', status: 404 },
  ARTIFACT_CORRUPT: { errorCode: 'INTERNAL_ERROR', status: 500 },
  PAYLOAD_TOO_LARGE: { errorCode: 'RESOURCE_LIMIT_EXCEEDED', status: 413 },
  INVALID_REQUEST: { errorCode: 'INVALID_PARAMETER_VALUE', status: 400 },
  UNAUTHENTICATED: { errorCode: 'UNAUTHENTICATED', status: 401 },
  FORBIDDEN: { errorCode: 'PERMISSION_DENIED', status: 403 },
  NOT_FOUND: { errorCode: 'ENDPOINT_NOT_FOUND', status: 404 },
  METHOD_NOT_ALLOWED: { errorCode: 'ENDPOINT_NOT_FOUND', status: 404 },
  KAFKA_UNAVAILABLE: { errorCode: 'TEMPORARILY_UNAVAILABLE', status: 503 },
  SHUTTING_DOWN: { errorCode: 'TEMPORARILY_UNAVAILABLE', status: 503 },
};

/**
 * Any failure of an artifact route as MLflow's `{error_code, message}` with
 * MLflow's status. Our code stays in the message (`ARTIFACT_CORRUPT: …`), as
 * the MLflow layer does for decider refusals (docs/mlflow.md).
 */
export function toMlflowError(error: unknown): { status: number; body: MlflowErrorBody } {
  if (isMlstreamError(error)) {
    const m = mapped[error.code] ?? (error.status >= 500 ? { errorCode: 'INTERNAL_ERROR', status: error.status } : { errorCode: 'BAD_REQUEST', status: error.status });
    return { status: m.status, body: { error_code: m.errorCode, message: `${error.code}: ${error.message}` } };
  }
  const e = error as { statusCode?: number; code?: string; message?: string } | null;
  const statusCode = e?.statusCode;
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || statusCode === 413) return { status: 413, body: { error_code: 'RESOURCE_LIMIT_EXCEEDED', message: `PAYLOAD_TOO_LARGE: ${e?.message ?? ''}` } };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return { status: 400, body: { error_code: 'BAD_REQUEST', message: e?.message ?? 'bad request' } };
  return { status: 500, body: { error_code: 'INTERNAL_ERROR', message: 'INTERNAL_ERROR: an unexpected error occurred' } };
}
