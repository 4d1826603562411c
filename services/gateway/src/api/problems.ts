import { errorCodes, isMlstreamError, type ErrorCode } from '@mlstream/kit';
import { RequestValidationError, type FieldIssue } from './validation.ts';

/** RFC 9457 problem details, with mlstream's stable code. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  retriable: boolean;
  instance?: string;
  errors?: Array<{ path: string; message: string }>;
  [extension: string]: unknown;
}

export const problemType = (code: ErrorCode): string => `urn:mlstream:error:${code}`;

const make = (code: ErrorCode, detail: string | undefined, extra: Record<string, unknown> = {}): Problem => {
  const entry = errorCodes[code];
  return { ...extra, type: problemType(code), title: entry.message, status: entry.status, detail: detail ?? entry.message, code, retriable: entry.retriable };
};

const fromIssues = (error: RequestValidationError): Problem => {
  const errors = error.issues.map((i: FieldIssue) => ({ path: i.path, message: i.message }));
  // Only limits crossed (a batch too long, a key too long): LIMIT_EXCEEDED, as the deciders answer.
  const code: ErrorCode = error.issues.every((i) => i.kind === 'too_big') ? 'LIMIT_EXCEEDED' : 'INVALID_REQUEST';
  return make(code, error.message, { errors });
};

const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_REQUEST',
  FST_ERR_NOT_FOUND: 'NOT_FOUND',
};

/**
 * The one translation of any error into a problem (the gateway's error
 * handler and not-found handler both use it). Unknown errors become a 500
 * whose detail says nothing about internals.
 */
export function toProblem(error: unknown, instance?: string): Problem {
  const withInstance = (p: Problem): Problem => (instance === undefined ? p : { ...p, instance });
  if (isMlstreamError(error)) return withInstance(make(error.code, error.message, error.details));
  if (error instanceof RequestValidationError) return withInstance(fromIssues(error));
  const e = error as { code?: unknown; statusCode?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? fastifyCodes[e.code] : undefined;
  if (code) return withInstance(make(code, typeof e?.message === 'string' ? e.message : undefined));
  // JSON syntax errors from the body parser carry statusCode 400 and no code.
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return withInstance(make('INVALID_REQUEST', typeof e.message === 'string' ? e.message : undefined));
  }
  return withInstance(make('INTERNAL_ERROR', undefined));
}
