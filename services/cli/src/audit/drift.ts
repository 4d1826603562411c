import { apply, emptyDetectorState, type DetectorConfig, type DetectorInput, type DetectorOutput } from '@mlstream/drift-detector';
import type { DecodedEvent } from '@mlstream/kit';
import { canonicalJson } from './canonical.ts';

export interface AuditFinding {
  kind: 'missing' | 'unexpected' | 'different';
  type: string;
  eventId: string;
  detail: string;
}

export interface DriftAuditReport {
  model: string;
  predictions: number;
  recomputed: number;
  recorded: number;
  matched: number;
  /** Recomputed decisions past the last recorded window: the detector has not got there yet (not a finding). */
  pending: number;
  findings: AuditFinding[];
  note: string;
}

/** Fields compared; label-based fields depend on label arrival order and are not compared. */
const comparable = (value: Record<string, unknown>) => canonicalJson(value, new Set(['performance', 'labelDrift']));

/**
 * Re-runs the detector core over the recorded predictions of one model and
 * compares every recorded DriftMeasured, DriftDetected and RetrainRequested
 * with the recomputed one, by event id (ids are derived from window ids).
 */
export function auditDrift(model: string, predictions: DecodedEvent[], recorded: DecodedEvent[], configOf: (model: string) => DetectorConfig, from?: number, to?: number): DriftAuditReport {
  const state = emptyDetectorState();
  const recomputed: DetectorOutput[] = [];
  let count = 0;
  for (const e of predictions) {
    if (e.type !== 'PredictionLogged' || e.value.model !== model) continue;
    count += 1;
    const input: DetectorInput = { kind: 'prediction', value: e.value, topic: e.topic, partition: e.partition, offset: Number(e.offset) };
    recomputed.push(...apply(state, input, configOf));
  }
  const inRange = (at: number) => (from === undefined || at >= from) && (to === undefined || at <= to);
  const expected = new Map(recomputed.filter((o) => inRange(o.value.occurredAt)).map((o) => [o.value.eventId, o]));
  const actual = recorded.filter((e) => (e.type === 'DriftMeasured' || e.type === 'DriftDetected' || e.type === 'RetrainRequested') && e.value.model === model && inRange(e.value.occurredAt));
  const findings: AuditFinding[] = [];
  let matched = 0;
  const seen = new Set<string>();
  for (const record of actual) {
    const value = record.value as unknown as Record<string, unknown> & { eventId: string };
    seen.add(value.eventId);
    const twin = expected.get(value.eventId);
    if (!twin) {
      findings.push({ kind: 'unexpected', type: record.type, eventId: value.eventId, detail: `recorded at ${record.topic}[${record.partition}]@${record.offset} but the detector would not publish it` });
    } else if (twin.type !== record.type || comparable(twin.value as unknown as Record<string, unknown>) !== comparable(value)) {
      findings.push({ kind: 'different', type: record.type, eventId: value.eventId, detail: `recorded ${comparable(value).slice(0, 300)} … recomputed ${comparable(twin.value as unknown as Record<string, unknown>).slice(0, 300)} …` });
    } else matched += 1;
  }
  // How far the detector has got, per version: the last recorded window's end.
  const reached = new Map<number, number>();
  for (const r of actual) if (r.type === 'DriftMeasured') reached.set(r.value.version, Math.max(reached.get(r.value.version) ?? -Infinity, r.value.occurredAt));
  let pending = 0;
  for (const [eventId, output] of expected) {
    if (seen.has(eventId)) continue;
    if (output.value.occurredAt > (reached.get(output.value.version) ?? -Infinity)) pending += 1;
    else findings.push({ kind: 'missing', type: output.type, eventId, detail: `the detector would publish ${output.type} for ${'window' in output.value ? (output.value as { window: { id: string } }).window.id : (output.value as { windowId?: string }).windowId ?? ''} but it is not in the log` });
  }
  return { model, predictions: count, recomputed: expected.size, recorded: actual.length, matched, pending, findings, note: 'label-based fields (performance, labelDrift) are not compared: they depend on label arrival order' };
}
