import type { ErrorCode } from '../errors/index.ts';
import type { RecordName } from '../contracts/index.ts';
import type { Decider, Decision, Envelope, EventDraft } from './decider.ts';

/**
 * Given/when/then for deciders (after Emmett's DeciderSpecification):
 *
 *   spec(runDecider).given([started]).when(logParams).then([paramsLogged])
 *   spec(runDecider).given([]).when(logParams).thenRejects('RUN_NOT_FOUND')
 *
 * `then*` return the decision so a test can inspect details further.
 */
export function spec<C extends RecordName, E extends RecordName, S, Ctx>(decider: Decider<C, E, S, Ctx>, context?: Ctx) {
  return {
    given(events: Array<Envelope<E>>) {
      const state = events.reduce((s, e) => decider.evolve(s, e), decider.initialState);
      return {
        state,
        when(command: Envelope<C>) {
          const decision: Decision<E> = decider.decide(command, state, context as Ctx);
          return {
            then(expected: Array<EventDraft<E>>): Decision<E> {
              if ('rejection' in decision) {
                throw new Error(`expected events, got rejection ${decision.rejection.code}: ${decision.rejection.message}`);
              }
              const actual = JSON.stringify(decision.events);
              const wanted = JSON.stringify(expected);
              if (actual !== wanted) throw new Error(`events differ:\n  expected ${wanted}\n  actual   ${actual}`);
              return decision;
            },
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

/** Completes an event draft with the stamped fields, for `given` lists in specs. */
export function stamped<E extends RecordName>(draft: EventDraft<E>, version: number, commandId = `c${version}`): Envelope<E> {
  return { type: draft.type, value: { ...draft.value, eventId: `e-${commandId}`, occurredAt: version, commandId, actor: 'spec', aggregateVersion: version } } as unknown as Envelope<E>;
}
