import type { ExpectationSuiteDeclared } from '@mlstream/kit';
import { type Expectation, expectationsFromRecords } from '@mlstream/kit/expectations';

/** One version of a subject's suite and the time it came into force. */
export interface SuiteVersion {
  subject: string;
  version: number;
  /** In force from this event time (ms) until the next version's. */
  since: number;
  expectations: Expectation[];
  eventId: string;
}

/**
 * Every suite version ever declared, from `mlops.expectations.v1`: the suite
 * in force at any time is reproducible from the log. Pure; the followers and
 * `mlstream audit` feed it events in log order.
 */
export function createSuiteHistory() {
  const bySubject = new Map<string, SuiteVersion[]>();
  return {
    add(event: ExpectationSuiteDeclared): void {
      const list = bySubject.get(event.subject) ?? [];
      if (list.some((v) => v.version === event.version)) return;
      list.push({ subject: event.subject, version: event.version, since: event.occurredAt, expectations: expectationsFromRecords(event.expectations), eventId: event.eventId });
      list.sort((a, b) => a.version - b.version);
      bySubject.set(event.subject, list);
    },
    /**
     * The suite in force at `atMs`: the highest version declared at or before
     * that time. Versions are numbered in log order; should a later version
     * carry an earlier time (clock skew between senders), the later version wins.
     */
    at(subject: string, atMs: number): SuiteVersion | undefined {
      const list = bySubject.get(subject) ?? [];
      let found: SuiteVersion | undefined;
      for (const v of list) if (v.since <= atMs) found = v;
      return found;
    },
    /** The latest version, whatever its time. */
    latest(subject: string): SuiteVersion | undefined {
      return bySubject.get(subject)?.at(-1);
    },
    versions(subject: string): readonly SuiteVersion[] {
      return bySubject.get(subject) ?? [];
    },
  };
}

export type SuiteHistory = ReturnType<typeof createSuiteHistory>;
