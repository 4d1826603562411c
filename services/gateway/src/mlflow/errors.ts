import { errorCodes, isMlstreamError, type ErrorCode } from '@mlstream/kit';
import { RequestValidationError } from '../api/validation.ts';

/** MLflow's error codes (databricks ErrorCode) and the HTTP status its server answers them with. */
export const mlflowCodes = {
  RESOURCE_DOES_NOT_EXIST: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_PARAMETER_VALUE: 400,
  INVALID_STATE: 400,
  BAD_REQUEST: 400,
  ENDPOINT_NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  INTERNAL_ERROR: 500,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;

export type MlflowCode = keyof typeof mlflowCodes;

/**
 * The one table from mlstream's codes to MLflow's. A Record over every kit
 * code, so a new code cannot be left out; the MLflow client turns
 * RESOURCE_DOES_NOT_EXIST / RESOURCE_ALREADY_EXISTS / INVALID_PARAMETER_VALUE
 * into the exceptions users catch, and retries TEMPORARILY_UNAVAILABLE.
 */
export const mlflowCodeOf: Record<ErrorCode, MlflowCode> = {
  RUN_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  WEBHOOK_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  TAG_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  EXPERIMENT_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  MODEL_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  MODEL_VERSION_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  ALIAS_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  ARTIFACT_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  RUN_ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  EXPERIMENT_ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  MODEL_ALREADY_EXISTS: 'RESOURCE_ALREADY_EXISTS',
  // MLflow's own answer to changing a param, or to writing to a deleted run or experiment.
  PARAM_IMMUTABLE: 'INVALID_PARAMETER_VALUE',
  RUN_DELETED: 'INVALID_PARAMETER_VALUE',
  EXPERIMENT_DELETED: 'INVALID_PARAMETER_VALUE',
  LIMIT_EXCEEDED: 'INVALID_PARAMETER_VALUE',
  INVALID_COMMAND: 'INVALID_PARAMETER_VALUE',
  INVALID_FILTER: 'INVALID_PARAMETER_VALUE',
  INVALID_REQUEST: 'INVALID_PARAMETER_VALUE',
  INVALID_ANALYTICS_REQUEST: 'INVALID_PARAMETER_VALUE',
  INVALID_REPLAY_OPTION: 'INVALID_PARAMETER_VALUE',
  IDEMPOTENCY_KEY_REUSED: 'INVALID_PARAMETER_VALUE',
  SCHEMA_VIOLATION: 'INVALID_PARAMETER_VALUE',
  // Refusals MLflow itself does not make (it lets finished runs change and stages move freely).
  RUN_TERMINAL: 'INVALID_STATE',
  VERSION_CONFLICT: 'INVALID_STATE',
  INVALID_TRANSITION: 'INVALID_STATE',
  GATE_FAILED: 'INVALID_STATE',
  REPLAY_REFUSED: 'INVALID_STATE',
  SCHEMA_INCOMPATIBLE: 'INVALID_STATE',
  PAYLOAD_TOO_LARGE: 'BAD_REQUEST',
  HEADERS_TOO_LARGE: 'BAD_REQUEST',
  UNSUPPORTED_MEDIA_TYPE: 'BAD_REQUEST',
  UNKNOWN_SCHEMA_ID: 'BAD_REQUEST',
  CORRUPT_MESSAGE: 'BAD_REQUEST',
  UNEXPECTED_RECORD_TYPE: 'BAD_REQUEST',
  NOT_FOUND: 'ENDPOINT_NOT_FOUND',
  METHOD_NOT_ALLOWED: 'ENDPOINT_NOT_FOUND',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'PERMISSION_DENIED',
  KAFKA_UNAVAILABLE: 'TEMPORARILY_UNAVAILABLE',
  REGISTRY_UNAVAILABLE: 'TEMPORARILY_UNAVAILABLE',
  CLICKHOUSE_UNAVAILABLE: 'TEMPORARILY_UNAVAILABLE',
  SHUTTING_DOWN: 'TEMPORARILY_UNAVAILABLE',
  ONLINE_VIEW_RESTORING: 'TEMPORARILY_UNAVAILABLE',
  FEATURES_UNAVAILABLE: 'TEMPORARILY_UNAVAILABLE',
  TOO_MANY_STREAMS: 'TEMPORARILY_UNAVAILABLE',
  COMMAND_TIMEOUT: 'TEMPORARILY_UNAVAILABLE',
  ARTIFACT_CORRUPT: 'INTERNAL_ERROR',
  CONFIG_INVALID: 'INTERNAL_ERROR',
  UNKNOWN_TOPIC: 'INTERNAL_ERROR',
  TOPIC_CONFIG_DRIFT: 'INTERNAL_ERROR',
  HANDLER_FAILED: 'INTERNAL_ERROR',
  STACK_PREREQUISITE_MISSING: 'INTERNAL_ERROR',
  STACK_PORT_IN_USE: 'INTERNAL_ERROR',
  STACK_START_FAILED: 'INTERNAL_ERROR',
  STACK_INSTALL_FAILED: 'INTERNAL_ERROR',
  MIGRATION_FAILED: 'INTERNAL_ERROR',
  ANALYTICS_QUERY_FAILED: 'INTERNAL_ERROR',
  INTERNAL_ERROR: 'INTERNAL_ERROR',
  FEATURE_ENTITY_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  FEATURE_VIEW_NOT_FOUND: 'RESOURCE_DOES_NOT_EXIST',
  FEATURE_DEFINITION_CONFLICT: 'INVALID_STATE',
  FEATURE_VALUES_INVALID: 'INVALID_PARAMETER_VALUE',
};

/** An error the MLflow layer decides itself, worded as MLflow's server words it. */
export class MlflowError extends Error {
  readonly errorCode: MlflowCode;
  constructor(errorCode: MlflowCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MlflowError';
    this.errorCode = errorCode;
  }
}

export interface MlflowErrorBody {
  error_code: MlflowCode;
  message: string;
}

export interface MlflowErrorAnswer {
  status: number;
  body: MlflowErrorBody;
  /** The mlstream code it came from, for logs. */
  code?: ErrorCode;
}

/** Where HTTP's own status says more than MLflow's code: a body over the limit is 413 (the client does not retry it). */
const statusOf = (errorCode: MlflowCode, code?: ErrorCode): number => (code === 'PAYLOAD_TOO_LARGE' ? 413 : mlflowCodes[errorCode]);

const answer = (errorCode: MlflowCode, message: string, code?: ErrorCode): MlflowErrorAnswer => ({ status: statusOf(errorCode, code), body: { error_code: errorCode, message }, ...(code ? { code } : {}) });

const fastifyCodes: Record<string, MlflowCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'BAD_REQUEST',
  FST_ERR_NOT_FOUND: 'ENDPOINT_NOT_FOUND',
};

/**
 * The one translation of any error into MLflow's `{error_code, message}`
 * (the MLflow plugin's error handler uses it). A decider's rejection keeps
 * its own code and reason in the message ("PARAM_IMMUTABLE: param lr is
 * ..."); unknown errors become INTERNAL_ERROR without internals.
 */
export function toMlflowError(error: unknown): MlflowErrorAnswer {
  if (error instanceof MlflowError) return answer(error.errorCode, error.message);
  if (isMlstreamError(error)) {
    // sendCommand turns a decider's 5xx code into INVALID_COMMAND and keeps the decided one in details.
    const decided = typeof error.details.decidedCode === 'string' ? error.details.decidedCode : error.code;
    return answer(mlflowCodeOf[error.code], `${decided}: ${error.message}`, error.code);
  }
  if (error instanceof RequestValidationError) return answer('INVALID_PARAMETER_VALUE', error.message, 'INVALID_REQUEST');
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : 'the request is malformed';
  const fastify = typeof e?.code === 'string' ? fastifyCodes[e.code] : undefined;
  if (e?.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return answer('BAD_REQUEST', `PAYLOAD_TOO_LARGE: ${message}`, 'PAYLOAD_TOO_LARGE');
  if (fastify) return answer(fastify, message);
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) return answer('BAD_REQUEST', message);
  return answer('INTERNAL_ERROR', errorCodes.INTERNAL_ERROR.message, 'INTERNAL_ERROR');
}
