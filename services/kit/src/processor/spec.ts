import { isDeepStrictEqual } from 'node:util';
import type { ErrorCode } from '../errors/index.ts';
import type { RecordName } from '../contracts/index.ts';
import type { Decider, Decision, Envelope, EventDraft } from './decider.ts';

/**
 * Given/when/then for deciders (after Emmett's DeciderSpecification):
 *
 *   spec(runDecider).given([started]).when(logParams).then([paramsLogged])
 *   spec(runDecider).given([]).when(logParams).thenRejects('RUN_NOT_FOUND', { runId: 'r1' })
 *   spec(modelDecider, gateContext).given([...]).when(transition).then([...])
 *
 * `given` takes past events either as drafts (stamped here, in order, as the
 * runtime would) or as full envelopes (e.g. to set actor or occurredAt).
 * `then*` return the decision so a test can inspect it further.
 */
export function spec<C extends RecordName, E extends RecordName, S, Ctx>(decider: Decider<C, E, S, Ctx>, context?: Ctx) {
  return {
    given(events: Array<EventDraft<E> | Envelope<E>>) {
      const state = events.reduce((s, e, i) => decider.evolve(s, isStamped(e) ? e : stamped(e, i + 1)), decider.initialState);
      return {
        /** The state the past events fold to, for assertions on evolve. */
        state,
        when(command: Envelope<C>) {
          // Deciders without context take `undefined`; the cast only spares callers from passing it.
          const decision: Decision<E> = decider.decide(command, state, context as Ctx);
          return {
            /** Expects acceptance with exactly these events, in order (`[]`: accepted, nothing new). */
            then(expected: Array<EventDraft<E>>): Decision<E> {
              if ('rejection' in decision) {
                throw new Error(`expected events, got rejection ${decision.rejection.code}: ${decision.rejection.message}`);
              }
              if (!isDeepStrictEqual(decision.events, expected)) {
                throw new Error(`events differ:\n  expected ${JSON.stringify(expected)}\n  actual   ${JSON.stringify(decision.events)}`);
              }
              return decision;
            },
            /** Expects this rejection code; `details` need only be a subset of the rejection's details. */
            thenRejects(code: ErrorCode, details?: Record<string, string>): Decision<E> {
              if (!('rejection' in decision)) throw new Error(`expected rejection ${code}, got events ${JSON.stringify(decision.events)}`);
              if (decision.rejection.code !== code) throw new Error(`expected rejection ${code}, got ${decision.rejection.code}: ${decision.rejection.message}`);
              for (const [k, v] of Object.entries(details ?? {})) {
                if (decision.rejection.details?.[k] !== v) throw new Error(`rejection detail ${k}: expected ${v}, got ${decision.rejection.details?.[k]}`);
              }
              return decision;
            },
          };
        },
      };
    },
  };
}

const isStamped = <E extends RecordName>(e: EventDraft<E> | Envelope<E>): e is Envelope<E> => 'aggregateVersion' in e.value;

/** Completes an event draft with the stamped fields (version doubles as a fake clock), for `given` lists in specs. */
export function stamped<E extends RecordName>(draft: EventDraft<E>, version: number, commandId = `c${version}`): Envelope<E> {
  return { type: draft.type, value: { ...draft.value, eventId: `e-${commandId}`, occurredAt: version, commandId, actor: 'spec', aggregateVersion: version } } as unknown as Envelope<E>;
}
