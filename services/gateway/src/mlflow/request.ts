import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RecordName, RecordTypes } from '@mlstream/kit';
import { awaitView, commandFields, idempotent, sendCommand, type Ctx } from '../api/respond.ts';
import type { MlflowDeps } from './deps.ts';
import { MlflowError } from './errors.ts';

/** A request's arguments as MLflow's server reads them: the query string of a GET, the JSON body otherwise (and the query too). */
export type Args = Record<string, unknown>;

export const argsOf = (request: FastifyRequest): Args => {
  const query = (request.query ?? {}) as Args;
  const body = request.body !== null && typeof request.body === 'object' && !Array.isArray(request.body) ? (request.body as Args) : {};
  return { ...query, ...body };
};

const missing = (name: string) => new MlflowError('INVALID_PARAMETER_VALUE', `Missing value for required parameter '${name}'. See the API docs for more information about request parameters.`);
const invalid = (name: string, value: unknown, expected: string) => new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${JSON.stringify(value)} for parameter '${name}' supplied: expected ${expected}.`);

const first = (value: unknown): unknown => (Array.isArray(value) ? value[0] : value);

/** A required string argument (numbers are accepted as their decimal text, as protobuf JSON parsing does). */
export function str(args: Args, name: string): string {
  const value = optStr(args, name);
  if (value === undefined || value === '') throw missing(name);
  return value;
}

export function optStr(args: Args, name: string): string | undefined {
  const value = first(args[name]);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw invalid(name, value, 'a string');
}

/** An integer argument given as a number or a decimal string. */
export function optInt(args: Args, name: string): number | undefined {
  const value = first(args[name]);
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw invalid(name, value, 'an integer');
  return n;
}

export function int(args: Args, name: string): number {
  const n = optInt(args, name);
  if (n === undefined) throw missing(name);
  return n;
}

export function optNumber(args: Args, name: string): number | undefined {
  const value = first(args[name]);
  if (value === undefined || value === null || value === '') return undefined;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw invalid(name, value, 'a finite number');
  return n;
}

export function optBool(args: Args, name: string): boolean | undefined {
  const value = first(args[name]);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalid(name, value, 'true or false');
}

/** A repeated string argument (a JSON list, or a repeated query parameter). */
export function strList(args: Args, name: string): string[] {
  const value = args[name];
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((v) => {
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    throw invalid(name, value, 'a list of strings');
  });
}

/** A list of objects (`tags`, `params`, `metrics`, `datasets`). */
export function objList(args: Args, name: string): Args[] {
  const value = args[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => v === null || typeof v !== 'object' || Array.isArray(v))) throw invalid(name, value, 'a list of objects');
  return value as Args[];
}

/** `[{key, value}]` → `{key: value}`; later entries win, as MLflow applies them in order. */
export function keyValueMap(args: Args, name: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const item of objList(args, name)) map[str(item, 'key')] = optStr(item, 'value') ?? '';
  return map;
}

/** MLflow clients send both `run_id` and the deprecated `run_uuid`. */
export const runIdArg = (args: Args): string => {
  const id = optStr(args, 'run_id') || optStr(args, 'run_uuid');
  if (!id) throw missing('run_id');
  return id;
};

// ---- reads ---------------------------------------------------------------------

/** Every MLflow read waits until the view holds every write this gateway acknowledged (and any the client names in X-Mlstream-Consistency). */
export const caughtUp = (deps: MlflowDeps, request: FastifyRequest): Promise<void> => awaitView(deps, request);

// ---- writes -------------------------------------------------------------------

/**
 * A step of one MLflow call: its own command and event ids (derived from the
 * request's), so an MLflow call that sends several commands (log-batch:
 * params, metrics, tags) never sends two with one command id.
 */
export const step = (ctx: Ctx, name: string): Ctx => ({ ...ctx, ids: { ...ctx.ids, derive: (what: string) => ctx.ids.derive(`${name}:${what}`) } });

export type CommandValue<K extends RecordName> = Omit<RecordTypes[K], 'eventId' | 'occurredAt' | 'commandId' | 'actor' | 'expectedVersion'>;

/** Sends one command of an MLflow call and waits for the processor's result (a rejection throws its coded error). */
export const command = <K extends RecordName>(deps: MlflowDeps, ctx: Ctx, name: string, type: K, value: CommandValue<K>) => {
  const at = step(ctx, name);
  return sendCommand(deps, at, type, { ...commandFields(at, undefined), ...value } as unknown as RecordTypes[K]);
};

/** An MLflow write: one answer per Idempotency-Key (when the client sends one), 200 with MLflow's body. */
export const write = <T>(deps: MlflowDeps, request: FastifyRequest, reply: FastifyReply, produce: (ctx: Ctx) => Promise<T>): Promise<T> =>
  idempotent(deps, request, reply, async (ctx) => ({ status: 200, body: await produce(ctx) }));
