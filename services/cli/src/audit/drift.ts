import { apply, createLineage, emptyDetectorState, type DetectorConfig, type DetectorInput, type DetectorOutput } from '@mlstream/drift-detector';
import type { DecodedEvent, StreamId } from '@mlstream/kit';
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

/** The detector's decisions the audit checks: drift, retraining, the data quality of the same windows and the labels dropped at their closes. */
const AUDITED = new Set(['DriftMeasured', 'DriftDetected', 'RetrainRequested', 'DataQualityMeasured', 'DataQualityFailed', 'LabelsDropped']);

/** Every field is compared (canonical JSON). */
const comparable = (value: Record<string, unknown>) => canonicalJson(value, new Set());

export interface DriftAuditInput {
  model: string;
  /** The predictions topic's records (other models' are skipped). */
  predictions: DecodedEvent[];
  /** The drift, retrain and quality topics' records: the decisions to check. */
  recorded: DecodedEvent[];
  configOf: (model: string) => DetectorConfig;
  /** Only decisions at or after / at or before these event times. */
  from?: number;
  to?: number;
  /** The feedback topic's records: labels are fed where the recorded windows say they were joined. */
  labels?: DecodedEvent[];
  /** Registry, runs, ingestion and expectations records: the lineage that gives training-profile references and the models' suites. */
  lineage?: DecodedEvent[];
}

/**
 * Where each recorded window says its labels came from: the feedback offsets
 * joined at its close (DriftMeasured.sources after the predictions range),
 * keyed by the window's last prediction.
 */
function labelRanges(model: string, recorded: DecodedEvent[]) {
  const ranges = new Map<string, Array<{ partition: number; fromOffset: number; toOffset: number }>>();
  for (const r of recorded) {
    if (r.type !== 'DriftMeasured' || r.value.model !== model) continue;
    const [window, ...labels] = r.value.sources ?? [];
    if (!window || !labels.length) continue;
    const key = `${window.partition}:${window.toOffset}`;
    ranges.set(key, [...(ranges.get(key) ?? []), ...labels]);
  }
  return ranges;
}

/**
 * Re-runs the detector core over the recorded predictions of one model and
 * compares every recorded DriftMeasured, DriftDetected, RetrainRequested,
 * DataQualityMeasured and DataQualityFailed with the recomputed one, by event id (ids are derived from window ids).
 * Labels are fed just before the last prediction of the window that recorded
 * joining them, so performance and label drift are checked too; references
 * come from the same lineage rule as the live detector.
 */
export function auditDrift(input: DriftAuditInput): DriftAuditReport {
  const { model, predictions, recorded, configOf, from, to } = input;
  const state = emptyDetectorState();
  const recomputed: DetectorOutput[] = [];
  const lineage = createLineage();
  for (const e of input.lineage ?? []) lineage.add(e);
  const ranges = labelRanges(model, recorded);
  const labels = new Map<string, DecodedEvent>();
  for (const e of input.labels ?? []) if (e.type === 'LabelObserved' && e.value.model === model) labels.set(`${e.partition}:${e.offset}`, e);
  let count = 0;
  for (const e of predictions) {
    if (e.type !== 'PredictionLogged' || e.value.model !== model) continue;
    count += 1;
    for (const range of ranges.get(`${e.partition}:${e.offset}`) ?? []) {
      for (let offset = range.fromOffset; offset <= range.toOffset; offset++) {
        const label = labels.get(`${range.partition}:${offset}`);
        if (label?.type !== 'LabelObserved') continue;
        recomputed.push(...apply(state, { kind: 'label', value: label.value, topic: label.topic, partition: label.partition, offset }, configOf, lineage.referenceFor, lineage.suiteFor));
      }
    }
    const input: DetectorInput = { kind: 'prediction', value: e.value, topic: e.topic, partition: e.partition, offset: Number(e.offset) };
    recomputed.push(...apply(state, input, configOf, lineage.referenceFor, lineage.suiteFor));
  }
  const inRange = (at: number) => (from === undefined || at >= from) && (to === undefined || at <= to);
  const expected = new Map(recomputed.filter((o) => inRange(o.value.occurredAt)).map((o) => [o.value.eventId, o]));
  const actual = recorded.filter((e) => AUDITED.has(e.type) && (e.value as { model?: string }).model === model && inRange(e.value.occurredAt));
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
  for (const r of actual) if (r.type === 'DriftMeasured' || r.type === 'DataQualityMeasured') reached.set(r.value.version, Math.max(reached.get(r.value.version) ?? -Infinity, r.value.occurredAt));
  let pending = 0;
  for (const [eventId, output] of expected) {
    if (seen.has(eventId)) continue;
    if (output.value.occurredAt > (reached.get(output.value.version) ?? -Infinity)) pending += 1;
    else findings.push({ kind: 'missing', type: output.type, eventId, detail: `the detector would publish ${output.type} for ${'window' in output.value ? (output.value as { window: { id: string } }).window.id : (output.value as { windowId?: string }).windowId ?? ''} but it is not in the log` });
  }
  return {
    model,
    predictions: count,
    recomputed: expected.size,
    recorded: actual.length,
    matched,
    pending,
    findings,
    note: input.labels ? 'every field compared; labels fed at the offsets each recorded window names' : 'labels not read: performance and label drift recomputed without them',
  };
}

/** The topics the drift audit reads, in order: what it checks, what it recomputes from, and where references come from. */
export async function auditDriftFromLog(read: (stream: StreamId) => Promise<DecodedEvent[]>, options: Pick<DriftAuditInput, 'model' | 'configOf' | 'from' | 'to'>): Promise<DriftAuditReport> {
  const predictions = await read('predictions');
  const labels = await read('feedback');
  const lineage = [...(await read('registry')), ...(await read('runs')), ...(await read('ingestion')), ...(await read('expectations'))];
  const recorded = [...(await read('drift')), ...(await read('retrain')), ...(await read('quality'))];
  return auditDrift({ ...options, predictions, recorded, labels, lineage });
}
