import type { RouteOptions } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { errorCodes, type ErrorCode } from '@mlstream/kit';

/** RFC 9457 problem details as the gateway sends them (problems.ts). */
export const problemJsonSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'retriable'],
  properties: {
    type: { type: 'string', description: '`urn:mlstream:error:<code>`' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', enum: Object.keys(errorCodes), description: 'Stable error code (docs/errors.md).' },
    retriable: { type: 'boolean', description: 'Whether the same request may succeed later unchanged.' },
    instance: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string' }, message: { type: 'string' } } } },
  },
  additionalProperties: true,
} as const;

// LIMIT_EXCEEDED: any string (a path segment too) longer than its limit.
const common: ErrorCode[] = ['INVALID_REQUEST', 'UNAUTHENTICATED', 'FORBIDDEN', 'LIMIT_EXCEEDED', 'HEADERS_TOO_LARGE', 'SHUTTING_DOWN', 'INTERNAL_ERROR'];
const withBody: ErrorCode[] = ['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'];
const write: ErrorCode[] = ['IDEMPOTENCY_KEY_REUSED', 'SCHEMA_VIOLATION', 'KAFKA_UNAVAILABLE', 'REGISTRY_UNAVAILABLE'];
const command: ErrorCode[] = [...write, 'COMMAND_TIMEOUT', 'VERSION_CONFLICT', 'INVALID_COMMAND', 'LIMIT_EXCEEDED'];
const runs: ErrorCode[] = [...command, 'RUN_NOT_FOUND', 'RUN_ALREADY_EXISTS', 'RUN_TERMINAL', 'PARAM_IMMUTABLE'];
const registry: ErrorCode[] = [...command, 'RUN_NOT_FOUND', 'MODEL_NOT_FOUND', 'MODEL_VERSION_NOT_FOUND', 'ALIAS_NOT_FOUND', 'INVALID_TRANSITION', 'GATE_FAILED'];
const analytics: ErrorCode[] = ['INVALID_ANALYTICS_REQUEST', 'INVALID_FILTER', 'CLICKHOUSE_UNAVAILABLE', 'ANALYTICS_QUERY_FAILED'];
const streams: ErrorCode[] = ['TOO_MANY_STREAMS', 'KAFKA_UNAVAILABLE'];

/** The codes a route may answer, from what it does (its scope, path and method). */
export function errorCodesOf(route: { url: string; method: string | string[]; config?: { scope?: string } }): ErrorCode[] {
  const scope = route.config?.scope;
  if (!scope) return [];
  const methods = [route.method].flat();
  const codes = [...common];
  if (methods.some((m) => m === 'POST' || m === 'PUT')) codes.push(...withBody);
  if (scope === 'write:data' || scope === 'write:predictions') codes.push(...write);
  else if (scope === 'write:runs') codes.push(...runs);
  else if (scope === 'write:registry') codes.push(...registry);
  else if (route.url.includes('/streams/')) codes.push(...streams);
  else codes.push(...analytics);
  // Champion vs challenger resolves @alias references.
  if (route.url.endsWith('/compare')) codes.push('ALIAS_NOT_FOUND');
  return [...new Set(codes)];
}

const retryAfter = { 'retry-after': { type: 'integer', description: 'Seconds to wait before retrying (MLSTREAM_GATEWAY_RETRY_AFTER_S).' } };

/** OpenAPI responses for `codes`: one per status, problem+json, the description listing each code. */
export function errorResponses(codes: ErrorCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(errorCodes[code].status, [...(byStatus.get(errorCodes[code].status) ?? []), code]);
  const out: Record<string, unknown> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    out[String(status)] = {
      description: list.map((c) => `\`${c}\`: ${errorCodes[c].message}`).join('; '),
      content: { 'application/problem+json': { schema: problemJsonSchema } },
      ...(status === 503 || status === 504 ? { headers: retryAfter } : status === 401 ? { headers: { 'www-authenticate': { type: 'string', description: 'Bearer realm="mlstream"' } } } : {}),
    };
  }
  return out;
}

const readiness = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ready', 'not_ready'] },
    accepting: { type: 'boolean' },
    checks: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, ok: { type: 'boolean' }, error: { type: 'string' } } } },
  },
};

/** The ops routes: public, and documented as what they answer. */
const ops: Record<string, Record<string, unknown>> = {
  '/healthz': { 200: { description: 'The process is alive', content: { 'application/json': { schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } } } } } } },
  '/readyz': {
    200: { description: 'Kafka, the schema registry and the command-result reader answer', content: { 'application/json': { schema: readiness } } },
    503: { description: 'A dependency does not answer, or the gateway is shutting down', content: { 'application/json': { schema: readiness } } },
  },
  '/metrics': { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: { type: 'string' } } } } },
};

type TransformInput = Parameters<typeof jsonSchemaTransform>[0] & { route: RouteOptions };

/**
 * fastify-type-provider-zod's transform, plus what zod schemas cannot say:
 * every error a route answers (problem+json), no security on public routes,
 * and the SSE and ops responses.
 */
export const openApiTransform = (input: TransformInput) => {
  const { schema, url } = jsonSchemaTransform(input) as { schema: Record<string, unknown> | undefined; url: string };
  const { route } = input;
  if (schema?.hide) return { schema, url };
  const scope = (route.config as { scope?: string } | undefined)?.scope;
  if (!scope) return { schema: { ...schema, security: [], response: { ...(schema?.response as object), ...ops[url], ...errorResponses(['HEADERS_TOO_LARGE']) } }, url };
  const declared = (schema?.response ?? {}) as Record<string, unknown>;
  // Without a declared success, swagger would list none once errors are listed.
  const success = url.includes('/streams/')
    ? { 200: { description: 'Server-Sent Events', content: { 'text/event-stream': { schema: { type: 'string' } } } } }
    : Object.keys(declared).some((status) => status.startsWith('2'))
      ? {}
      : { 200: { description: 'OK', content: { 'application/json': { schema: { type: 'object', additionalProperties: true } } } } };
  return { schema: { ...schema, response: { ...success, ...declared, ...errorResponses(errorCodesOf({ url, method: route.method, config: { scope } })) } }, url };
};
