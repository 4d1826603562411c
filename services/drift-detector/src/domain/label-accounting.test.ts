import { describe, expect, it } from 'vitest';
import { syntheticPredictions } from '../synthetic/index.ts';
import { defaultConfig } from './config.ts';
import type { DetectorInput } from './records.ts';
import { deserializeState, emptyDetectorState, labelAccounting, serializeState, type DetectorState } from './state.ts';
import type { DetectorOutput } from './records.ts';
import { apply } from './window.ts';

const config = { ...defaultConfig, windowSize: 50, labelHorizon: 40, quality: false };
const configOf = () => config;
const shape = { numeric: 3, categorical: 1 };

/** Predictions with labels trailing, some early, some for unknown requests, some sent twice (same eventId). */
function stream(): DetectorInput[] {
  const predictions = syntheticPredictions({ seed: 9, model: 'm', version: 1, count: 600, shape });
  const inputs: DetectorInput[] = [];
  let p = 0;
  let f = 0;
  const label = (requestId: string, eventId: string, value: number): DetectorInput => ({ kind: 'label', value: { eventId, occurredAt: 1, requestId, model: 'm', label: value }, topic: 'fb', partition: 0, offset: f++ });
  predictions.forEach((value, i) => {
    inputs.push({ kind: 'prediction', value, topic: 'pred', partition: 0, offset: p++ });
    if (i % 50 === 7) inputs.push({ kind: 'prediction', value, topic: 'pred', partition: 0, offset: p++ }); // a retried prediction
    if (i >= 3 && i % 2 === 0) inputs.push(label(predictions[i - 3]!.requestId, `l-${i}`, 1));
    if (i % 17 === 0) inputs.push(label(`unknown-${i}`, `u-${i}`, 0)); // never joins: dropped once the buffers overflow
    if (i % 29 === 0 && i >= 3) inputs.push(label(predictions[i - 3]!.requestId, `l-${i - (i % 2)}`, 1)); // a retried label (repeat eventId)
    if (i % 31 === 0 && i + 2 < predictions.length) inputs.push(label(predictions[i + 2]!.requestId, `early-${i}`, 0)); // label before its prediction
  });
  return inputs;
}

const invariant = (state: DetectorState) => {
  const a = labelAccounting(state.models.m!);
  expect(a.accepted).toBe(a.joined + a.dropped + a.pending);
  return a;
};

describe('label accounting', () => {
  it('every accepted label is joined once, dropped or pending, after every input and across a snapshot/restore', () => {
    const inputs = stream();
    const whole = emptyDetectorState();
    for (const input of inputs) {
      apply(whole, input, configOf);
      invariant(whole);
    }
    const end = invariant(whole);
    expect(end.joined).toBeGreaterThan(200);
    expect(end.dropped).toBeGreaterThan(0);
    // Repeats are skipped, not accepted: a prediction sent twice is counted once in its window.
    expect(whole.models.m!.repeats).toBeGreaterThan(10);
    const distinctLabels = new Set(inputs.filter((i) => i.kind === 'label').map((i) => i.value.eventId)).size;
    expect(end.accepted).toBe(distinctLabels);

    // A restart from the last snapshot (SIGKILL) gives the same accounting.
    let state = emptyDetectorState();
    const cut = Math.floor(inputs.length * 0.6);
    for (const input of inputs.slice(0, cut)) apply(state, input, configOf);
    state = deserializeState(serializeState(state));
    for (const input of inputs.slice(cut)) apply(state, input, configOf);
    expect(labelAccounting(state.models.m!)).toEqual(end);
    const joinedInWindows = (s: DetectorState) => s.models.m!.labelsJoined;
    expect(joinedInWindows(state)).toBe(joinedInWindows(whole));
  });

  it('reports every drop in a LabelsDropped at the next window close, by reason, identically after a restart', () => {
    const inputs = stream();
    // Two labels for one request before its prediction (the first is replaced), and a backlog beyond the horizon.
    const extra: DetectorInput[] = [
      ...Array.from({ length: 60 }, (_, i): DetectorInput => ({ kind: 'label', value: { eventId: `flood-${i}`, occurredAt: 1, requestId: `flood-${i}`, model: 'm', label: 1 }, topic: 'fb', partition: 0, offset: 10_000 + i })),
      { kind: 'label', value: { eventId: 'twice-1', occurredAt: 1, requestId: 'later', model: 'm', label: 1 }, topic: 'fb', partition: 0, offset: 10_060 },
      { kind: 'label', value: { eventId: 'twice-2', occurredAt: 1, requestId: 'later', model: 'm', label: 0 }, topic: 'fb', partition: 0, offset: 10_061 },
    ];
    const all = [...inputs.slice(0, 300), ...extra, ...inputs.slice(300)];
    const run = (cut?: number) => {
      let state = emptyDetectorState();
      const out: DetectorOutput[] = [];
      all.forEach((input, i) => {
        if (i === cut) state = deserializeState(serializeState(state));
        out.push(...apply(state, input, configOf));
      });
      return { state, out };
    };
    const { state, out } = run();
    const reports = out.flatMap((o) => (o.type === 'LabelsDropped' ? [o.value] : []));
    const a = invariant(state);
    const unreported = Object.values(state.models.m!.unreportedDrops).reduce((n, e) => n + e!.count, 0);
    expect(reports.reduce((n, r) => n + r.dropped, 0)).toBe(a.dropped - unreported);
    expect(new Set(reports.flatMap((r) => r.reasons.map((x) => x.reason)))).toEqual(new Set(['BACKLOG', 'NO_PREDICTION', 'REPLACED']));
    for (const r of reports) {
      expect(r.dropped).toBe(r.reasons.reduce((n, x) => n + x.count, 0));
      expect(r.accounting.accepted).toBe(r.accounting.joined + r.accounting.dropped + r.accounting.pending);
      expect(out.some((o) => o.type === 'DriftMeasured' && o.value.window.id === r.windowId)).toBe(true);
    }
    expect(reports.flatMap((r) => r.reasons.filter((x) => x.reason === 'REPLACED').flatMap((x) => x.requestIds))).toContain('later');
    // Joined labels are in exactly one window: the windows' labeled counts add up to the joined ones (open window aside).
    const labeled = out.reduce((n, o) => n + (o.type === 'DriftMeasured' ? (o.value.performance?.labeled ?? 0) : 0), 0);
    expect(labeled + state.streams['m|1']!.window.performance.labeled).toBe(a.joined);
    // A restart from a snapshot publishes the same records.
    expect(JSON.stringify(run(Math.floor(all.length / 2)).out)).toBe(JSON.stringify(out));
  });

  it('a prediction sent twice (same eventId) is counted once in its window', () => {
    const predictions = syntheticPredictions({ seed: 2, model: 'm', version: 1, count: 50, shape });
    const state = emptyDetectorState();
    const inputs: DetectorInput[] = [...predictions, predictions[10]!].map((value, offset) => ({ kind: 'prediction', value, topic: 'pred', partition: 0, offset }));
    const outputs = inputs.flatMap((i) => apply(state, i, configOf));
    const measured = outputs.filter((o) => o.type === 'DriftMeasured');
    expect(measured).toHaveLength(1);
    expect((measured[0]!.value as { window: { count: number } }).window.count).toBe(50);
    expect(state.streams['m|1']!.window.count).toBe(0);
    expect(state.models.m!.repeats).toBe(1);
  });

  it('an old snapshot without the accounting fields restores with the invariant holding', () => {
    const state = emptyDetectorState();
    for (const input of stream().slice(0, 300)) apply(state, input, configOf);
    const old = JSON.parse(serializeState(state)) as { models: Record<string, Record<string, unknown>> };
    for (const m of Object.values(old.models)) {
      delete m.labelsAccepted;
      delete m.labelsJoined;
      delete m.recentEventIds;
      delete m.repeats;
    }
    invariant(deserializeState(JSON.stringify(old)));
  });
});
