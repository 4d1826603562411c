import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';

export interface FieldIssue {
  /** `predictions[3].numericFeatures.age`; keys that are not identifiers are quoted: `tags["a.b"]`. */
  path: string;
  message: string;
  /** zod issue code (`invalid_type`, `too_big`, ...); `out_of_range` for a number beyond its bounds, which is not a limit. */
  kind: string;
}

/** A request whose body, params, query or headers do not match the route's schema. */
export class RequestValidationError extends Error {
  readonly issues: FieldIssue[];
  readonly part: string;
  constructor(part: string, issues: FieldIssue[]) {
    super(`${part} is invalid: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`);
    this.name = 'RequestValidationError';
    this.part = part;
    this.issues = issues;
  }
}

export const renderPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, p) => {
    if (typeof p === 'number') return `${acc}[${p}]`;
    const key = String(p);
    if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) return acc ? `${acc}.${key}` : key;
    return `${acc}[${JSON.stringify(key)}]`;
  }, '');

const MAX_ISSUES = 20;

export const toIssues = (error: z.ZodError): FieldIssue[] =>
  error.issues.slice(0, MAX_ISSUES).map((issue) => {
    // A bad record key: report the key's own problem (e.g. too long) at the key's path.
    const inner = issue.code === 'invalid_key' ? issue.issues[0] : undefined;
    const code = inner?.code ?? issue.code;
    // A number too large to represent is malformed input (400), not a batch or length limit crossed (422).
    const range = (inner ?? issue) as { origin?: string };
    const kind = (code === 'too_big' || code === 'too_small') && (range.origin === 'number' || range.origin === 'int') ? 'out_of_range' : code;
    const message = inner ? `key ${inner.message.replace(/^Too big: expected string/, 'expected key')}` : issue.message;
    return {
      path: renderPath(issue.path),
      kind,
      // zod says "received Infinity" for 1e400; say why that matters.
      message: code === 'invalid_type' && /received (-?Infinity|NaN)/.test(message) ? 'expected a finite number' : message,
    };
  });

/** Hand-written checks that answer a schema's parse faster, registered with `withFastPath`. */
const fastPaths = new WeakMap<z.ZodType, (data: unknown) => unknown>();

/**
 * Gives `schema` a fast path: `check` answers what `schema.parse` would, or
 * undefined for anything it does not accept outright, and zod then decides
 * and names the problems. For hot routes only (the predictions batch).
 */
export function withFastPath<S extends z.ZodType>(schema: S, check: (data: unknown) => z.output<S> | undefined): S {
  fastPaths.set(schema, check);
  return schema;
}

/** fastify validator compiler for zod schemas that keeps zod's issue paths intact. */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const fast = fastPaths.get(schema)?.(data);
    if (fast !== undefined) return { value: fast };
    const result = schema.safeParse(data);
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(httpPart ?? 'request', toIssues(result.error)) };
  };
