import type { KafkaMessage } from 'kafkajs';
import type { Logger } from '../logging/index.ts';
import type { ServiceMetrics } from '../metrics/index.ts';
import { decodeKnownOrDeadLetter, decodeOrDeadLetter } from '../kafka/index.ts';
import { deadLetterFor, type EncodedRecord, type RecordName, type Serde } from '../contracts/index.ts';
import type { Decider, Envelope } from './decider.ts';
import type { PartitionState } from './state.ts';
import { decideCommand } from './decide-command.ts';

export interface EventOut {
  message: EncodedRecord['message'];
  assignOffset(offset: number): void;
}
/** A record encoded only when the transaction reaches it (results carry event offsets known after sending). */
export interface EncodeLater {
  encode(): Promise<EncodedRecord>;
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
  logger?: Logger;
  metrics?: ServiceMetrics;
}

/**
 * Decides every command of a chunk against the partition's state (staged,
 * not committed) and returns what the transaction must write. Pure apart
 * from decoding and encoding.
 */
export async function decideBatch<C extends RecordName, E extends RecordName, S, Ctx>(input: BatchInput<C, E, S, Ctx>) {
  const { serde, decider, state, partition, commandTopic, eventTopic, groupId } = input;
  const events: EventOut[] = [];
  const results: EncodeLater[] = [];
  const deadLetters: EncodeLater[] = [];

  for (const message of input.chunk) {
    const record = { topic: commandTopic, partition, message };
    const observer = { logger: input.logger, metrics: input.metrics };
    // Synchronous once the command's schema id is known (every command after the first of its type).
    const decoded = decodeKnownOrDeadLetter(serde, record, observer) ?? (await decodeOrDeadLetter(serde, record, observer));
    if (decoded.deadLetter) {
      const letter = deadLetterFor(decoded.deadLetter.record, decoded.deadLetter.error, groupId);
      deadLetters.push({ encode: () => serde.encode('DeadLetter', letter) });
      continue;
    }
    const command = decoded.event as unknown as Envelope<C>;
    const decided = decideCommand({
      decider,
      state,
      command,
      aggregateId: message.key?.toString() ?? '',
      sourceOffset: Number(message.offset),
      fullName: (type) => serde.typeOf(type).name!,
      eventTopic,
      partition,
      context: input.context,
    });
    const causationId = (command.value as unknown as { commandId: string }).commandId;
    for (const [index, event] of decided.events.entries()) {
      const encoded = await serde.encode(event.type, event.value as never, { causationId });
      const ref = decided.refs[index]!;
      events.push({ message: encoded.message, assignOffset: (offset) => void (ref.offset = offset) });
    }
    const result = decided.result;
    results.push({ encode: () => serde.encode(result.type, result.value as never, { causationId }) });
  }
  return { events, results, deadLetters };
}
