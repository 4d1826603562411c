import { describe, expect, it } from 'vitest';
import { syntheticPredictions } from '../synthetic/index.ts';
import { defaultConfig } from './config.ts';
import { dropLabel, MAX_REPORTED_REQUEST_IDS, reportDrops } from './label-drops.ts';
import type { DetectorInput } from './records.ts';
import { emptyDetectorState, labelAccounting, newModelState } from './state.ts';
import { apply } from './window.ts';

const window = { model: 'm', version: 3, windowId: 'w-1', end: 1_700_000_000_000 };

describe('label drops', () => {
  it('counts every drop but names at most MAX_REPORTED_REQUEST_IDS request ids per reason', () => {
    const model = newModelState();
    for (let i = 0; i < MAX_REPORTED_REQUEST_IDS + 50; i++) dropLabel(model, 'NO_PREDICTION', `r-${i}`);
    dropLabel(model, 'BACKLOG', 'b-0');
    const report = reportDrops(model, window)!;
    expect(report.dropped).toBe(MAX_REPORTED_REQUEST_IDS + 51);
    expect(report.reasons.map((r) => [r.reason, r.count, r.requestIds.length])).toEqual([
      ['BACKLOG', 1, 1],
      ['NO_PREDICTION', MAX_REPORTED_REQUEST_IDS + 50, MAX_REPORTED_REQUEST_IDS],
    ]);
    // The first ones are named, in the order they were dropped.
    expect(report.reasons[1]!.requestIds.slice(0, 2)).toEqual(['r-0', 'r-1']);
    expect(report.accounting.dropped).toBe(MAX_REPORTED_REQUEST_IDS + 51);
    expect({ model: report.model, version: report.version, windowId: report.windowId, occurredAt: report.occurredAt }).toEqual({ model: 'm', version: 3, windowId: 'w-1', occurredAt: window.end });
  });

  it('reports each drop once: the next close without new drops publishes nothing, and the id derives from the window', () => {
    const model = newModelState();
    dropLabel(model, 'REPLACED', 'x');
    const first = reportDrops(model, window)!;
    expect(reportDrops(model, window)).toBeNull();
    const again = newModelState();
    dropLabel(again, 'REPLACED', 'x');
    expect(reportDrops(again, window)!.eventId).toBe(first.eventId);
    expect(reportDrops(newModelState(), { ...window, windowId: 'w-2' })).toBeNull();
  });

  it('a label joined to a prediction whose version has no stream is dropped as UNKNOWN_VERSION, the accounting still whole', () => {
    const config = { ...defaultConfig, windowSize: 20, labelHorizon: 40, quality: false };
    const state = emptyDetectorState();
    const predictions = syntheticPredictions({ seed: 4, model: 'm', version: 2, count: 25, shape: { numeric: 2, categorical: 1 } });
    predictions.forEach((value, offset) => apply(state, { kind: 'prediction', value, topic: 'pred', partition: 0, offset }, () => config));
    // Labels for the 5 predictions of the open window, then the stream of version 2 is gone (as from a snapshot that lacks it).
    predictions.slice(20).forEach((p, i) => apply(state, { kind: 'label', value: { eventId: `l-${i}`, occurredAt: 1, requestId: p.requestId, model: 'm', label: 1 }, topic: 'fb', partition: 0, offset: i }, () => config));
    delete state.streams['m|2'];
    // The next window of the model closes (version 1's stream): the arrived labels are joined then.
    const closing: DetectorInput[] = syntheticPredictions({ seed: 5, model: 'm', version: 1, count: 20, shape: { numeric: 2, categorical: 1 } }).map((value, i) => ({ kind: 'prediction', value, topic: 'pred', partition: 0, offset: 25 + i }));
    const outputs = closing.flatMap((input) => apply(state, input, () => config));
    const dropped = outputs.flatMap((o) => (o.type === 'LabelsDropped' ? [o.value] : []));
    expect(dropped.flatMap((d) => d.reasons.map((r) => [r.reason, r.count]))).toEqual([['UNKNOWN_VERSION', 5]]);
    const a = labelAccounting(state.models.m!);
    expect(a).toEqual({ accepted: 5, joined: 0, dropped: 5, pending: 0 });
  });
});
