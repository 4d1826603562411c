import { PartitionState, decideCommand, type DecodedEvent, type Decider, type Envelope, type RecordName } from '@mlstream/kit';
import type { AuditFinding } from './drift.ts';
import { canonicalJson } from './canonical.ts';

export interface CommandAuditReport {
  aggregate: string;
  commands: number;
  events: { recomputed: number; recorded: number; matched: number };
  results: { recomputed: number; recorded: number; matched: number };
  findings: AuditFinding[];
}

// Event-ref offsets are only known after sending; they are checked separately against the real coordinates.
const canonical = (value: unknown) => canonicalJson(value, new Set(['offset']));

/**
 * Re-runs a decider over the recorded command log, partition by partition in
 * offset order, with the same runtime rules (repeats, expectedVersion,
 * stamping), and compares every recorded event and command result with the
 * recomputed one. Result event references are also checked against the real
 * coordinates of the events they name.
 */
export function auditCommands<C extends RecordName, E extends RecordName, S, Ctx>(
  decider: Decider<C, E, S, Ctx>,
  commands: DecodedEvent[],
  recordedEvents: DecodedEvent[],
  recordedResults: DecodedEvent[],
  fullName: (type: RecordName) => string,
  eventTopic: string,
  context?: () => Ctx,
): CommandAuditReport {
  const states = new Map<number, PartitionState<S>>();
  const expectedEvents = new Map<string, { type: string; value: unknown }>();
  const expectedResults = new Map<string, { type: string; value: unknown }>();
  for (const command of commands) {
    const state = states.get(command.partition) ?? new PartitionState<S>(decider.initialState);
    states.set(command.partition, state);
    const decided = decideCommand({ decider, state, command: command as unknown as Envelope<C>, aggregateId: command.key ?? '', sourceOffset: Number(command.offset), fullName, eventTopic, partition: command.partition, context });
    state.commit();
    for (const e of decided.events) expectedEvents.set((e.value as { eventId: string }).eventId, e);
    expectedResults.set(decided.result.value.eventId, decided.result);
  }
  const findings: AuditFinding[] = [];
  const compare = (recorded: DecodedEvent[], expected: Map<string, { type: string; value: unknown }>) => {
    let matched = 0;
    const seen = new Set<string>();
    for (const r of recorded) {
      const id = (r.value as { eventId: string }).eventId;
      seen.add(id);
      const twin = expected.get(id);
      if (!twin) findings.push({ kind: 'unexpected', type: r.type, eventId: id, detail: `recorded at ${r.topic}[${r.partition}]@${r.offset}; no command explains it` });
      else if (twin.type !== r.type || canonical(twin.value) !== canonical(r.value)) findings.push({ kind: 'different', type: r.type, eventId: id, detail: `recorded ${canonical(r.value).slice(0, 300)} … recomputed ${canonical(twin.value).slice(0, 300)} …` });
      else matched += 1;
    }
    for (const [id, e] of expected) if (!seen.has(id)) findings.push({ kind: 'missing', type: e.type, eventId: id, detail: 'recomputed but not in the log' });
    return { recomputed: expected.size, recorded: recorded.length, matched };
  };
  const events = compare(recordedEvents, expectedEvents);
  const mine = recordedResults.filter((r) => (r.value as { aggregate?: string }).aggregate === decider.aggregate);
  const results = compare(mine, expectedResults);
  // Every event reference in an accepted result must point at that very event.
  const at = new Map(recordedEvents.map((e) => [`${e.partition}@${e.offset}`, (e.value as { eventId: string }).eventId]));
  for (const r of mine) {
    if (r.type !== 'CommandAccepted') continue;
    for (const ref of r.value.events) {
      if (ref.offset !== null && ref.offset !== undefined && at.get(`${ref.partition}@${ref.offset}`) !== ref.eventId) {
        findings.push({ kind: 'different', type: 'CommandAccepted', eventId: r.value.eventId, detail: `event ref ${ref.eventId} points at ${ref.partition}@${ref.offset}, which holds ${at.get(`${ref.partition}@${ref.offset}`) ?? 'nothing'}` });
      }
    }
  }
  return { aggregate: decider.aggregate, commands: commands.length, events, results, findings };
}
