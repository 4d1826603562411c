import type { CommandAccepted, CommandRejected, EventRef, RecordName, RecordTypes } from '../contracts/index.ts';
import type { Decider, Envelope } from './decider.ts';
import { deterministicUuid } from './ids.ts';
import type { Outcome, PartitionState } from './state.ts';

interface CommandFields {
  eventId: string;
  occurredAt: number;
  commandId: string;
  actor: string;
  expectedVersion?: number | null;
}

export interface CommandInput<C extends RecordName, E extends RecordName, S, Ctx> {
  decider: Decider<C, E, S, Ctx>;
  state: PartitionState<S>;
  command: Envelope<C>;
  aggregateId: string;
  sourceOffset: number;
  /** Avro full name of a record type (results and event refs carry full names). */
  fullName: (type: RecordName) => string;
  eventTopic: string;
  partition: number;
  context?: () => Ctx;
}

export interface CommandDecision<E extends RecordName> {
  /** Stamped events, in order (empty for rejections and repeats). */
  events: Array<{ type: E; value: RecordTypes[E] }>;
  /** The result to publish; for an accepted command its event refs' offsets are filled in after sending. */
  result: Outcome;
  refs: EventRef[];
}

/**
 * Everything the runtime decides for one command, with no I/O: the repeat
 * check (first outcome again), expectedVersion, the decider, stamping of
 * events (ids derived from the command id) and the result. State changes are
 * staged on `state`. The processor and `mlstream audit` share this function,
 * so an audit recomputes exactly what the processor would have written.
 */
export function decideCommand<C extends RecordName, E extends RecordName, S, Ctx>(input: CommandInput<C, E, S, Ctx>): CommandDecision<E> {
  const { decider, state, command, aggregateId, sourceOffset } = input;
  const fields = command.value as unknown as CommandFields;
  const first = state.outcome(fields.commandId);
  if (first) {
    const again = { ...first.value, eventId: deterministicUuid(`${fields.commandId}:result:${sourceOffset}`), sourceOffset } as Outcome['value'];
    return { events: [], result: { type: first.type, value: again } as Outcome, refs: [] };
  }
  const base = { commandId: fields.commandId, commandType: input.fullName(command.type), aggregate: decider.aggregate, aggregateId, sourceOffset };
  const aggregate = state.aggregate(aggregateId);
  const reject = (errorCode: string, text: string, details: Record<string, string> = {}): CommandDecision<E> => {
    const value: CommandRejected = { ...base, eventId: deterministicUuid(`${fields.commandId}:result`), occurredAt: fields.occurredAt, errorCode, message: text, currentVersion: aggregate.version, details };
    state.stageOutcome(fields.commandId, { type: 'CommandRejected', value });
    return { events: [], result: { type: 'CommandRejected', value }, refs: [] };
  };
  if (fields.expectedVersion !== null && fields.expectedVersion !== undefined && fields.expectedVersion !== aggregate.version) {
    return reject('VERSION_CONFLICT', `expected version ${fields.expectedVersion}, but ${aggregateId} is at version ${aggregate.version}`, {
      expectedVersion: String(fields.expectedVersion),
      currentVersion: String(aggregate.version),
    });
  }
  const decision = decider.decide(command, aggregate.state, input.context ? input.context() : (undefined as Ctx));
  if ('rejection' in decision) return reject(decision.rejection.code, decision.rejection.message, decision.rejection.details);
  let next = aggregate;
  const events: CommandDecision<E>['events'] = [];
  const refs: EventRef[] = [];
  for (const [index, draft] of decision.events.entries()) {
    const value = {
      ...draft.value,
      eventId: deterministicUuid(`${fields.commandId}:${index}`),
      occurredAt: fields.occurredAt,
      commandId: fields.commandId,
      actor: fields.actor,
      aggregateVersion: next.version + 1,
    } as unknown as RecordTypes[E];
    next = { version: next.version + 1, state: decider.evolve(next.state, { type: draft.type, value } as unknown as Envelope<E>) };
    events.push({ type: draft.type as E, value });
    refs.push({ eventId: (value as { eventId: string }).eventId, type: input.fullName(draft.type), topic: input.eventTopic, partition: input.partition, offset: null });
  }
  state.stage(aggregateId, next);
  const accepted: CommandAccepted = { ...base, eventId: deterministicUuid(`${fields.commandId}:result`), occurredAt: fields.occurredAt, aggregateVersion: next.version, events: refs };
  state.stageOutcome(fields.commandId, { type: 'CommandAccepted', value: accepted });
  return { events, result: { type: 'CommandAccepted', value: accepted }, refs };
}
