import type { KafkaMessage } from 'kafkajs';
import { isMlstreamError } from '../errors/index.ts';
import { poisonCodes } from '../kafka/index.ts';
import type { CommandAccepted, CommandRejected, EncodedRecord, EventRef, RecordName, RecordTypes, Serde } from '../contracts/index.ts';
import type { Decider, Envelope } from './decider.ts';
import { deterministicUuid } from './ids.ts';
import type { Outcome, PartitionState } from './state.ts';

export interface EventOut {
  message: EncodedRecord['message'];
  assignOffset(offset: number): void;
}
export interface ResultDraft {
  encode(): Promise<EncodedRecord>;
}
export interface DeadLetterDraft {
  encode(): Promise<EncodedRecord>;
}

interface CommandFields {
  eventId: string;
  occurredAt: number;
  commandId: string;
  actor: string;
  expectedVersion?: number | null;
}

export interface BatchInput<C extends RecordName, E extends RecordName, S, Ctx> {
  serde: Serde;
  decider: Decider<C, E, S, Ctx>;
  state: PartitionState<S>;
  chunk: KafkaMessage[];
  partition: number;
  commandTopic: string;
  eventTopic: string;
  groupId: string;
  context?: () => Ctx;
}

/**
 * Decides every command of a chunk against the partition's state (staged,
 * not committed) and returns what the transaction must write. Pure apart
 * from decoding and encoding.
 */
export async function decideBatch<C extends RecordName, E extends RecordName, S, Ctx>(input: BatchInput<C, E, S, Ctx>) {
  const { serde, decider, state, partition, commandTopic, eventTopic, groupId } = input;
  const events: EventOut[] = [];
  const results: ResultDraft[] = [];
  const deadLetters: DeadLetterDraft[] = [];

  for (const message of input.chunk) {
    let command: Envelope<C>;
    try {
      command = (await serde.decode({ topic: commandTopic, partition, message })) as unknown as Envelope<C>;
    } catch (error) {
      if (!isMlstreamError(error) || !poisonCodes.has(error.code)) throw error;
      deadLetters.push({
        encode: () =>
          serde.encode('DeadLetter', {
            eventId: deterministicUuid(`deadletter:${commandTopic}:${partition}:${message.offset}`),
            occurredAt: Number(message.timestamp),
            sourceTopic: commandTopic,
            sourcePartition: partition,
            sourceOffset: Number(message.offset),
            key: message.key ?? null,
            value: message.value ?? null,
            headers: [],
            errorCode: error.code,
            reason: error.message,
            consumer: groupId,
          }),
      });
      continue;
    }
    const fields = command.value as unknown as CommandFields;
    const aggregateId = message.key?.toString() ?? '';
    const sourceOffset = Number(message.offset);
    const first = state.outcome(fields.commandId);
    if (first) {
      // A repeated command id: answer with the first outcome again, apply nothing.
      const again = { ...first.value, eventId: deterministicUuid(`${fields.commandId}:result:${sourceOffset}`), sourceOffset };
      results.push({ encode: () => serde.encode(first.type, again as never, { causationId: fields.commandId }) });
      continue;
    }
    const base = { commandId: fields.commandId, commandType: serde.typeOf(command.type).name!, aggregate: decider.aggregate, aggregateId, sourceOffset };
    const aggregate = state.aggregate(aggregateId);
    const reject = (errorCode: string, text: string, details: Record<string, string> = {}) => {
      const value: CommandRejected = {
        ...base,
        eventId: deterministicUuid(`${fields.commandId}:result`),
        occurredAt: fields.occurredAt,
        errorCode,
        message: text,
        currentVersion: aggregate.version,
        details,
      };
      state.stageOutcome(fields.commandId, { type: 'CommandRejected', value });
      results.push({ encode: () => serde.encode('CommandRejected', value, { causationId: fields.commandId }) });
    };
    if (fields.expectedVersion !== null && fields.expectedVersion !== undefined && fields.expectedVersion !== aggregate.version) {
      reject('VERSION_CONFLICT', `expected version ${fields.expectedVersion}, but ${aggregateId} is at version ${aggregate.version}`, {
        expectedVersion: String(fields.expectedVersion),
        currentVersion: String(aggregate.version),
      });
      continue;
    }
    const decision = decider.decide(command, aggregate.state, input.context ? input.context() : (undefined as Ctx));
    if ('rejection' in decision) {
      reject(decision.rejection.code, decision.rejection.message, decision.rejection.details);
      continue;
    }
    let next = aggregate;
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
      const event = { type: draft.type, value } as unknown as Envelope<E>;
      next = { version: next.version + 1, state: decider.evolve(next.state, event) };
      const encoded = await serde.encode(draft.type, value as never, { causationId: fields.commandId });
      const ref: EventRef = { eventId: (value as { eventId: string }).eventId, type: serde.typeOf(draft.type).name!, topic: eventTopic, partition, offset: null };
      refs.push(ref);
      events.push({ message: encoded.message, assignOffset: (offset) => void (ref.offset = offset) });
    }
    state.stage(aggregateId, next);
    const accepted: CommandAccepted = {
      ...base,
      eventId: deterministicUuid(`${fields.commandId}:result`),
      occurredAt: fields.occurredAt,
      aggregateVersion: next.version,
      events: refs,
    };
    const outcome: Outcome = { type: 'CommandAccepted', value: accepted };
    state.stageOutcome(fields.commandId, outcome);
    results.push({ encode: () => serde.encode('CommandAccepted', accepted, { causationId: fields.commandId }) });
  }
  return { events, results, deadLetters };
}
