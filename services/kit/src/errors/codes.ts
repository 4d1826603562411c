/**
 * The one list of mlstream's coded errors. Each code has a message template,
 * the HTTP status it maps to at the gateway, and whether retrying the same
 * operation may succeed. docs/errors.md documents every code (a test checks).
 */
export const errorCodes = {
  CONFIG_INVALID: { status: 500, retriable: false, message: 'configuration is invalid' },
  KAFKA_UNAVAILABLE: { status: 503, retriable: true, message: 'Kafka is unreachable' },
  REGISTRY_UNAVAILABLE: { status: 503, retriable: true, message: 'the schema registry is unreachable' },
  CLICKHOUSE_UNAVAILABLE: { status: 503, retriable: true, message: 'ClickHouse is unreachable' },
  SCHEMA_INCOMPATIBLE: { status: 409, retriable: false, message: 'schema change is not BACKWARD_TRANSITIVE compatible' },
  SCHEMA_VIOLATION: { status: 422, retriable: false, message: 'record does not match its Avro schema' },
  UNKNOWN_SCHEMA_ID: { status: 422, retriable: false, message: 'message references a schema id the registry does not know' },
  CORRUPT_MESSAGE: { status: 422, retriable: false, message: 'message bytes are not a Confluent-framed Avro record' },
  UNEXPECTED_RECORD_TYPE: { status: 422, retriable: false, message: 'record type is not carried by this topic' },
  UNKNOWN_TOPIC: { status: 500, retriable: false, message: 'topic is not in the catalog' },
  TOPIC_CONFIG_DRIFT: { status: 500, retriable: false, message: 'existing topic differs from the catalog' },
  HANDLER_FAILED: { status: 500, retriable: false, message: 'message handler failed' },
  SHUTTING_DOWN: { status: 503, retriable: true, message: 'service is shutting down' },
  // Command rejections decided by the tracking and registry deciders.
  RUN_NOT_FOUND: { status: 404, retriable: false, message: 'no such run' },
  RUN_ALREADY_EXISTS: { status: 409, retriable: false, message: 'a run with this id already exists' },
  RUN_TERMINAL: { status: 409, retriable: false, message: 'the run has finished; it accepts no more changes' },
  RUN_DELETED: { status: 409, retriable: false, message: 'the run is deleted; restore it before changing it' },
  TAG_NOT_FOUND: { status: 404, retriable: false, message: 'no such tag' },
  EXPERIMENT_NOT_FOUND: { status: 404, retriable: false, message: 'no such experiment' },
  EXPERIMENT_ALREADY_EXISTS: { status: 409, retriable: false, message: 'an experiment with this name already exists' },
  EXPERIMENT_DELETED: { status: 409, retriable: false, message: 'the experiment is deleted; restore it before changing it' },
  MODEL_ALREADY_EXISTS: { status: 409, retriable: false, message: 'a registered model with this name already exists' },
  ARTIFACT_NOT_FOUND: { status: 404, retriable: false, message: 'no artifact at this path' },
  ARTIFACT_CORRUPT: { status: 500, retriable: false, message: 'the stored bytes do not match their recorded sha256' },
  PARAM_IMMUTABLE: { status: 409, retriable: false, message: 'a param was already logged with a different value' },
  VERSION_CONFLICT: { status: 409, retriable: false, message: 'expectedVersion does not match the aggregate version' },
  MODEL_NOT_FOUND: { status: 404, retriable: false, message: 'no such registered model' },
  MODEL_VERSION_NOT_FOUND: { status: 404, retriable: false, message: 'no such model version' },
  ALIAS_NOT_FOUND: { status: 404, retriable: false, message: 'no such alias' },
  INVALID_TRANSITION: { status: 422, retriable: false, message: 'this stage transition is not allowed' },
  GATE_FAILED: { status: 422, retriable: false, message: 'the promotion gate failed' },
  LIMIT_EXCEEDED: { status: 422, retriable: false, message: 'a batch, key or value exceeds its limit' },
  INVALID_COMMAND: { status: 422, retriable: false, message: 'the command is malformed' },
  STACK_PREREQUISITE_MISSING: { status: 500, retriable: false, message: 'a prerequisite of the local stack is missing' },
  STACK_PORT_IN_USE: { status: 500, retriable: false, message: 'a port of the local stack is taken by another process' },
  STACK_START_FAILED: { status: 500, retriable: false, message: 'a part of the local stack did not become ready' },
  STACK_INSTALL_FAILED: { status: 500, retriable: false, message: 'installing a part of the local stack failed' },
  // Materializer and analytics queries.
  MIGRATION_FAILED: { status: 500, retriable: false, message: 'a ClickHouse migration failed' },
  INVALID_FILTER: { status: 400, retriable: false, message: 'the run search filter or order is malformed' },
  INVALID_ANALYTICS_REQUEST: { status: 400, retriable: false, message: 'an analytics request parameter is invalid' },
  ANALYTICS_QUERY_FAILED: { status: 500, retriable: false, message: 'the analytics query failed' },
  // Replay of the read model (mlstream replay).
  INVALID_REPLAY_OPTION: { status: 400, retriable: false, message: 'an option of mlstream replay is malformed' },
  REPLAY_REFUSED: { status: 409, retriable: false, message: 'the replay target database is the live one or is not empty' },
  // HTTP gateway.
  INVALID_REQUEST: { status: 400, retriable: false, message: 'the request is malformed' },
  UNAUTHENTICATED: { status: 401, retriable: false, message: 'a valid API key is required' },
  FORBIDDEN: { status: 403, retriable: false, message: 'the API key lacks the scope this endpoint needs' },
  NOT_FOUND: { status: 404, retriable: false, message: 'no such endpoint' },
  METHOD_NOT_ALLOWED: { status: 405, retriable: false, message: 'the endpoint does not answer this HTTP method' },
  HEADERS_TOO_LARGE: { status: 431, retriable: false, message: 'the request line and headers are too large' },
  PAYLOAD_TOO_LARGE: { status: 413, retriable: false, message: 'the request body exceeds the size limit' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retriable: false, message: 'the request body must be application/json' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, retriable: false, message: 'the Idempotency-Key was already used for a different request' },
  TOO_MANY_STREAMS: { status: 503, retriable: true, message: 'the gateway serves its maximum number of event streams' },
  COMMAND_TIMEOUT: { status: 504, retriable: true, message: 'the command result did not arrive in time; it may still be applied' },
  INTERNAL_ERROR: { status: 500, retriable: false, message: 'an unexpected error occurred' },
  // Webhooks (docs/webhooks.md).
  WEBHOOK_NOT_FOUND: { status: 404, retriable: false, message: 'no such webhook subscription' },
  // Feature store (docs/features.md).
  FEATURE_ENTITY_NOT_FOUND: { status: 404, retriable: false, message: 'no such feature entity' },
  FEATURE_VIEW_NOT_FOUND: { status: 404, retriable: false, message: 'no such feature view' },
  FEATURE_DEFINITION_CONFLICT: { status: 409, retriable: false, message: 'the new definition changes what existing values mean (entity key type, view entity or a feature type)' },
  FEATURE_VALUES_INVALID: { status: 422, retriable: false, message: 'feature values do not match the view definition' },
  // The features service (issue 20, online serving).
  FEATURES_UNAVAILABLE: { status: 503, retriable: true, message: 'the features service is unreachable' },
  ONLINE_VIEW_RESTORING: { status: 503, retriable: true, message: 'the online feature view is still being restored from its changelog' },
} as const satisfies Record<string, { status: number; retriable: boolean; message: string }>;

export type ErrorCode = keyof typeof errorCodes;

export interface MlstreamErrorOptions {
  cause?: unknown;
  /** Structured facts for logs and problem+json bodies (field path, port, ...). */
  details?: Record<string, unknown>;
}

/** Base class of every error mlstream throws on purpose. */
export class MlstreamError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message?: string, options: MlstreamErrorOptions = {}) {
    const entry = errorCodes[code];
    super(message ?? entry.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'MlstreamError';
    this.code = code;
    this.status = entry.status;
    this.retriable = entry.retriable;
    this.details = options.details ?? {};
  }
}

export const isMlstreamError = (error: unknown, code?: ErrorCode): error is MlstreamError =>
  error instanceof MlstreamError && (code === undefined || error.code === code);
