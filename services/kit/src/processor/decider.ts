import type { ErrorCode } from '../errors/index.ts';
import type { RecordName, RecordTypes } from '../contracts/index.ts';

/** A record as deciders see it: its type name and its full value. */
export type Envelope<K extends RecordName = RecordName> = { [T in K]: { type: T; value: RecordTypes[T] } }[K];

/** Fields the processor runtime stamps on every event (deterministically), so deciders never invent ids or clocks. */
export type StampedField = 'eventId' | 'occurredAt' | 'commandId' | 'actor' | 'aggregateVersion';

/** An event as a decider produces it: everything but the stamped fields. */
export type EventDraft<K extends RecordName = RecordName> = {
  [T in K]: { type: T; value: Omit<RecordTypes[T], StampedField> };
}[K];

export interface Rejection {
  code: ErrorCode;
  message: string;
  /** Facts for the client (values compared, limits, ...), as strings. */
  details?: Record<string, string>;
}

export type Decision<E extends RecordName> = { events: Array<EventDraft<E>> } | { rejection: Rejection };

/**
 * An event-sourced aggregate (Emmett's `decide`/`evolve`/`initialState`).
 * Pure: no I/O, no clock, no randomness. `context` carries read-only facts
 * from other streams (e.g. run metrics for promotion gates).
 */
export interface Decider<C extends RecordName, E extends RecordName, S, Ctx = undefined> {
  /** Which aggregate this is, e.g. `run` or `model` (recorded in command results). */
  aggregate: string;
  initialState: S;
  decide(command: Envelope<C>, state: S, context: Ctx): Decision<E>;
  evolve(state: S, event: Envelope<E>): S;
}

export const isRejection = <E extends RecordName>(d: Decision<E>): d is { rejection: Rejection } => 'rejection' in d;
