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
  STACK_PREREQUISITE_MISSING: { status: 500, retriable: false, message: 'a prerequisite of the local stack is missing' },
  STACK_PORT_IN_USE: { status: 500, retriable: false, message: 'a port of the local stack is taken by another process' },
  STACK_START_FAILED: { status: 500, retriable: false, message: 'a part of the local stack did not become ready' },
  STACK_INSTALL_FAILED: { status: 500, retriable: false, message: 'installing a part of the local stack failed' },
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
