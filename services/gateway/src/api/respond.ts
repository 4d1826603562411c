import type { FastifyReply, FastifyRequest } from 'fastify';
import { MlstreamError, errorCodes, type CommandAccepted, type ErrorCode, type EventMeta, type RecordName, type RecordTypes } from '@mlstream/kit';
import { principalOf } from '../auth/index.ts';
import { fingerprintOf, requestIds, type Answer, type RequestIds } from '../idempotency/index.ts';
import type { CommandOutcome } from '../kafka/index.ts';
import type { RouteDeps } from './deps.ts';

export interface Ctx {
  actor: string;
  ids: RequestIds;
  meta: EventMeta;
  now: number;
}

/**
 * Runs a write once per Idempotency-Key: a retry gets the first answer
 * (`Idempotent-Replayed: true`) and produces nothing; the same key with
 * another body or path is IDEMPOTENCY_KEY_REUSED.
 */
export async function idempotent<T>(deps: RouteDeps, request: FastifyRequest, reply: FastifyReply, produce: (ctx: Ctx) => Promise<Answer<T>>): Promise<T> {
  const actor = principalOf(request).name;
  const ids = requestIds(actor, request.headers['idempotency-key']);
  const traceparent = typeof request.headers.traceparent === 'string' ? request.headers.traceparent : undefined;
  const ctx: Ctx = { actor, ids, now: (deps.now ?? Date.now)(), meta: { correlationId: request.id, ...(traceparent ? { traceparent } : {}) } };
  let produced = false;
  const run = () => {
    produced = true;
    return produce(ctx);
  };
  const answer = ids.scope === undefined ? await run() : ((await deps.answers.run(ids.scope, fingerprintOf(request.method, request.url, request.body), run)) as Answer<T>);
  if (ids.key !== undefined) reply.header('idempotent-replayed', String(!produced));
  reply.code(answer.status);
  return answer.body;
}

const knownCode = (code: string): code is ErrorCode => Object.hasOwn(errorCodes, code);

/**
 * Sends a command and waits for its result: interest is registered before
 * the send, so the result cannot be missed. A rejection becomes the coded
 * error the decider chose (404 / 409 / 422).
 */
export async function sendCommand<K extends RecordName>(deps: RouteDeps, ctx: Ctx, type: K, value: RecordTypes[K]): Promise<Extract<CommandOutcome, { type: 'CommandAccepted' }>> {
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
