// Pure drift-view logic: the windows × features matrix the heatmap draws, and
// live SSE events folded into the history the view shows.
import type { DriftDetection, DriftHistory, DriftPoint, RetrainRequest } from '../api-types.ts';

/** Windows (columns, oldest first) × features (rows): statistic and verdict per cell, flat row-major by feature. */
export interface DriftMatrix {
  windows: DriftPoint[];
  features: string[];
  /** statistic[f * windows.length + w]; NaN where the window did not measure the feature. */
  statistic: Float64Array;
  /** 1 drifted, 0 not, 255 not measured. */
  drifted: Uint8Array;
  /** The test per feature (the latest window's). */
  tests: string[];
}

/** The matrix of the measurements of one version (features in order of first appearance). */
export function driftMatrix(measurements: readonly DriftPoint[]): DriftMatrix {
  const windows = [...measurements];
  const index = new Map<string, number>();
  const tests: string[] = [];
  for (const m of windows)
    for (const f of m.features) {
      if (!index.has(f.feature)) {
        index.set(f.feature, index.size);
        tests.push(f.test);
      } else tests[index.get(f.feature)!] = f.test;
    }
  const W = windows.length;
  const F = index.size;
  const statistic = new Float64Array(W * F).fill(NaN);
  const drifted = new Uint8Array(W * F).fill(255);
  windows.forEach((m, w) => {
    for (const f of m.features) {
      const i = index.get(f.feature)! * W + w;
      statistic[i] = f.statistic;
      drifted[i] = f.drifted ? 1 : 0;
    }
  });
  return { windows, features: [...index.keys()], statistic, drifted, tests };
}

/** The value of a DriftMeasured event (as /v1/streams/drift sends it) as a history point. */
export function pointFromEvent(value: Record<string, unknown>): DriftPoint | undefined {
  const v = value as {
    eventId?: string;
    version?: number;
    window?: { id: string; index: number; start: number; end: number; count: number };
    driftedShare?: number;
    datasetDrift?: boolean;
    features?: Array<{ feature: string; test: string; statistic: number; pValue?: number | null; drifted: boolean }>;
    performance?: { accuracy?: number | null; mae?: number | null } | null;
  };
  if (!v.eventId || typeof v.version !== 'number' || !v.window || !Array.isArray(v.features)) return undefined;
  return {
    version: v.version,
    windowId: v.window.id,
    windowIndex: Number(v.window.index),
    windowStart: Number(v.window.start),
    windowEnd: Number(v.window.end),
    count: Number(v.window.count),
    driftedShare: Number(v.driftedShare ?? 0),
    datasetDrift: Boolean(v.datasetDrift),
    features: v.features.map((f) => ({ feature: f.feature, test: f.test, statistic: f.statistic, pValue: f.pValue ?? null, drifted: f.drifted })),
    accuracy: v.performance?.accuracy ?? null,
    mae: v.performance?.mae ?? null,
    eventId: v.eventId,
  };
}

export interface LiveDriftEvent {
  type: string;
  value: Record<string, unknown>;
}

/**
 * Folds one event of /v1/streams/drift or /v1/streams/retrain into the
 * history of `version` (undefined: every version): idempotent on eventId, so
 * a replay after reconnect or an event also read from ClickHouse is shown once.
 */
export function applyDriftEvent(history: DriftHistory, event: LiveDriftEvent, version?: number): DriftHistory {
  const v = event.value as { eventId?: string; version?: number; occurredAt?: number };
  if (version !== undefined && v.version !== version) return history;
  if (event.type === 'DriftMeasured') {
    const p = pointFromEvent(event.value);
    if (!p || history.measurements.some((m) => m.eventId === p.eventId || m.windowId === p.windowId)) return history;
    const measurements = [...history.measurements, p].sort((a, b) => a.version - b.version || a.windowIndex - b.windowIndex);
    return { ...history, measurements };
  }
  if (event.type === 'DriftDetected') {
    const d = event.value as { version: number; windowId: string; occurredAt: number; driftedFeatures: string[]; measurementIds: string[]; reason: string };
    if (history.detections.some((x) => x.windowId === d.windowId && x.version === d.version)) return history;
    const detection: DriftDetection = { version: d.version, windowId: d.windowId, at: d.occurredAt, driftedFeatures: d.driftedFeatures, measurementIds: d.measurementIds, reason: d.reason };
    return { ...history, detections: [...history.detections, detection] };
  }
  if (event.type === 'RetrainRequested') {
    const r = event.value as { version: number; occurredAt: number; idempotencyKey: string; reason: string; requestedBy: string; evidence: Array<{ eventId: string }> };
    if (history.retrains.some((x) => x.idempotencyKey === r.idempotencyKey)) return history;
    const retrain: RetrainRequest = { version: r.version, at: r.occurredAt, idempotencyKey: r.idempotencyKey, reason: r.reason, requestedBy: r.requestedBy, evidenceEventIds: (r.evidence ?? []).map((e) => e.eventId) };
    return { ...history, retrains: [...history.retrains, retrain] };
  }
  return history;
}

/** Versions present in a history, ascending. */
export const versionsOf = (h: DriftHistory): number[] => [...new Set(h.measurements.map((m) => m.version))].sort((a, b) => a - b);

/** A mark on the drift timeline: where (window column) a detection or retrain request sits. */
export interface TimelineMark {
  kind: 'detection' | 'retrain';
  at: number;
  /** Column of the window it names or follows (-1 when before every window). */
  column: number;
  label: string;
  evidence: string[];
}

/** Detections (at their window) and retrain requests (at the last window they cite as evidence, else by time). */
export function timelineMarks(h: DriftHistory, windows: readonly DriftPoint[]): TimelineMark[] {
  const byId = new Map(windows.map((w, i) => [w.windowId, i]));
  const byEvent = new Map(windows.map((w, i) => [w.eventId, i]));
  const byTime = (t: number) => {
    let col = -1;
    windows.forEach((w, i) => {
      if (w.windowEnd <= t) col = i;
    });
    return col;
  };
  const marks: TimelineMark[] = [];
  for (const d of h.detections) {
    const col = byId.get(d.windowId);
    if (col !== undefined || byTime(d.at) >= 0) marks.push({ kind: 'detection', at: d.at, column: col ?? byTime(d.at), label: d.reason || `drift in ${d.driftedFeatures.join(', ')}`, evidence: d.measurementIds });
  }
  for (const r of h.retrains) {
    const cols = r.evidenceEventIds.map((id) => byEvent.get(id)).filter((c): c is number => c !== undefined);
    const col = cols.length ? Math.max(...cols) : byTime(r.at);
    if (col >= 0) marks.push({ kind: 'retrain', at: r.at, column: col, label: r.reason || `retrain requested by ${r.requestedBy}`, evidence: r.evidenceEventIds });
  }
  return marks.sort((a, b) => a.column - b.column || a.at - b.at);
}
