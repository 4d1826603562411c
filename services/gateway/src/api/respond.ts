import type { FastifyReply, FastifyRequest } from 'fastify';
import { MlstreamError, errorCodes, type CommandAccepted, type ErrorCode, type EventMeta, type RecordName, type RecordTypes } from '@mlstream/kit';
import { principalOf } from '../auth/index.ts';
import { fingerprintOf, requestIds, type Answer, type RequestIds } from '../idempotency/index.ts';
import type { CommandOutcome } from '../kafka/index.ts';
import { CONSISTENCY_HEADER, formatConsistency, parseConsistency, type Position } from '../views/index.ts';
import type { RouteDeps } from './deps.ts';

export interface Ctx {
  actor: string;
  ids: RequestIds;
  meta: EventMeta;
  now: number;
  /** Positions of the events this request's writes produced; answered in X-Mlstream-Consistency. */
  written?: Position[];
}

/** Sets X-Mlstream-Consistency to the positions a write produced (nothing when there are none). */
export function setConsistencyHeader(reply: FastifyReply, positions: readonly Position[]): void {
  if (positions.length) reply.header(CONSISTENCY_HEADER, formatConsistency(positions));
}

/**
 * Read-your-writes for a read: waits until the view has applied every write
 * this gateway acknowledged and the positions the client passed in
 * X-Mlstream-Consistency (a write answer of any gateway instance).
 */
export async function awaitView(deps: RouteDeps, request: FastifyRequest): Promise<void> {
  await deps.view.barrier(parseConsistency(request.headers[CONSISTENCY_HEADER]), deps.commandTimeoutMs);
}

/** The event positions an accepted-command answer lists (a replayed answer carries them in its body). */
const positionsInBody = (body: unknown): Position[] => {
  const events = (body as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) return [];
  return events.flatMap((e: { topic?: unknown; partition?: unknown; offset?: unknown }) =>
    typeof e?.topic === 'string' && typeof e.partition === 'number' && (typeof e.offset === 'number' || typeof e.offset === 'string') ? [{ topic: e.topic, partition: e.partition, offset: e.offset }] : [],
  );
};

/**
 * Runs a write once per Idempotency-Key: a retry gets the first answer
 * (`Idempotent-Replayed: true`) and produces nothing; the same key with
 * another body or path is IDEMPOTENCY_KEY_REUSED.
 */
export async function idempotent<T>(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply, produce: (ctx: Ctx) => Promise<Answer<T>>): Promise<T> {
  const actor = principalOf(request).name;
  const ids = requestIds(actor, request.headers['idempotency-key']);
  const traceparent = typeof request.headers.traceparent === 'string' ? request.headers.traceparent : undefined;
  const ctx: Ctx = { actor, ids, now: (deps.now ?? Date.now)(), meta: { correlationId: request.id, ...(traceparent ? { traceparent } : {}) }, written: [] };
  let produced = false;
  const run = () => {
    produced = true;
    return produce(ctx);
  };
  const answer = ids.scope === undefined ? await run() : ((await deps.answers.run(ids.scope, fingerprintOf(request.method, request.url, request.body), run)) as Answer<T>);
  if (ids.key !== undefined) reply.header('idempotent-replayed', String(!produced));
  setConsistencyHeader(reply, ctx.written?.length ? ctx.written : positionsInBody(answer.body));
  reply.code(answer.status);
  return answer.body;
}

const knownCode = (code: string): code is ErrorCode => Object.hasOwn(errorCodes, code);

/**
 * Sends a command and waits for its result: interest is registered before
 * the send, so the result cannot be missed. A rejection becomes the coded
 * error the decider chose (404 / 409 / 422). `readView: false` for
 * aggregates the read view does not follow (expectation suites): their
 * positions must not hold back its barrier.
 */
export async function sendCommand<K extends RecordName>(deps: RouteDeps, ctx: Ctx, type: K, value: RecordTypes[K], options: { readView?: boolean } = {}): Promise<Extract<CommandOutcome, { type: 'CommandAccepted' }>> {
  const commandId = (value as { commandId: string }).commandId;
  const encoded = await deps.serde.encode(type, value, { ...ctx.meta, causationId: commandId });
  const { outcome, cancel } = deps.waiter.expect(commandId, deps.commandTimeoutMs);
  outcome.catch(() => {});
  try {
    await deps.producer.send([encoded]);
  } catch (error) {
    cancel();
    throw error;
  }
  const result = await outcome;
  if (result.type === 'CommandRejected') {
    const r = result.value;
    const code: ErrorCode = knownCode(r.errorCode) && errorCodes[r.errorCode].status < 500 ? r.errorCode : 'INVALID_COMMAND';
    throw new MlstreamError(code, r.message, { details: { commandId, currentVersion: r.currentVersion, details: r.details, ...(code !== r.errorCode ? { decidedCode: r.errorCode } : {}) } });
  }
  // Read-your-writes: every read after this answer waits until the view has applied these events.
  const positions = result.value.events.flatMap((e) => (e.offset === null || e.offset === undefined ? [] : [{ topic: e.topic, partition: e.partition, offset: e.offset }]));
  if (options.readView !== false) {
    deps.view.written(positions);
    ctx.written?.push(...positions);
  }
  return result;
}

/** The fields every command carries. */
export const commandFields = (ctx: Ctx, expectedVersion: number | undefined) => ({
  eventId: ctx.ids.derive('command-event'),
  occurredAt: ctx.now,
  commandId: ctx.ids.derive('command'),
  actor: ctx.actor,
  expectedVersion: expectedVersion ?? null,
});

/**
 * `dev.mlstream.runs.RunStarted` → `RunStarted`: the gateway names event types
 * by their Avro record name everywhere (command answers, SSE), as the SDK and
 * the topic catalog do; full names are Kafka's (ce_type, subjects).
 */
export const shortTypeName = (fullName: string): string => fullName.slice(fullName.lastIndexOf('.') + 1);

export const acceptedBody = (value: CommandAccepted) => ({
  commandId: value.commandId,
  aggregateId: value.aggregateId,
  aggregateVersion: value.aggregateVersion,
  events: value.events.map((e) => ({ type: shortTypeName(e.type), eventId: e.eventId, topic: e.topic, partition: e.partition, offset: e.offset ?? null })),
});
