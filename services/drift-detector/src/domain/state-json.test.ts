import { describe, expect, it } from 'vitest';
import { profileDataset } from '@mlstream/kit';
import { syntheticPredictions } from '../synthetic/index.ts';
import { defaultConfig } from './config.ts';
import type { DetectorInput } from './records.ts';
import { referenceFromProfile } from './reference.ts';
import { deserializeState, emptyDetectorState, serializeState } from './state.ts';
import { joinSegments, serializeStateSegments, type StableJson } from './state-json.ts';
import { apply } from './window.ts';

const shape = { numeric: 4, categorical: 2 };
const config = { ...defaultConfig, windowSize: 40, labelHorizon: 30, dedupeWindow: 50 };
const training = syntheticPredictions({ seed: 7, model: 'train', version: 1, count: 500, shape });
const profile = referenceFromProfile('train', '1', training.length, profileDataset(training).profile);

/** Two models, two versions (one with a training profile), classification and regression, labels late, early, unknown and repeated. */
function inputs(): DetectorInput[] {
  const out: DetectorInput[] = [];
  let p = 0;
  let f = 0;
  const streams = [
    syntheticPredictions({ seed: 1, model: 'a', version: 1, count: 300, shape }),
    syntheticPredictions({ seed: 2, model: 'a', version: 2, count: 300, shape }).map((x) => ({ ...x, prediction: (x.prediction as number) > 0.5 ? 'yes' : 'no' })),
    syntheticPredictions({ seed: 3, model: 'b', version: 1, count: 300, shape, idPrefix: 'b' }),
  ];
  for (let i = 0; i < 300; i++) {
    for (const s of streams) {
      const value = s[i]!;
      out.push({ kind: 'prediction', value, topic: 'p', partition: 0, offset: p++ });
      const label = typeof value.prediction === 'number' ? value.prediction + 0.1 : 'yes';
      if (i % 3 === 0) out.push({ kind: 'label', value: { eventId: `l-${value.requestId}`, occurredAt: 1, requestId: value.requestId, model: value.model, label }, topic: 'f', partition: 0, offset: f++ });
      if (i % 11 === 0 && i + 1 < 300) out.push({ kind: 'label', value: { eventId: `e-${i}-${value.model}`, occurredAt: 1, requestId: s[i + 1]!.requestId, model: value.model, label }, topic: 'f', partition: 0, offset: f++ });
      if (i % 13 === 0) out.push({ kind: 'label', value: { eventId: `u-${i}-${value.model}`, occurredAt: 1, requestId: `nobody-${i}`, model: value.model, label }, topic: 'f', partition: 0, offset: f++ });
      if (i % 17 === 0) out.push({ kind: 'prediction', value, topic: 'p', partition: 0, offset: p++ }); // a repeat
    }
  }
  return out;
}

describe('the state serialized in segments', () => {
  it('is serializeState text exactly, after every input', () => {
    const state = emptyDetectorState();
    const configOf = () => config;
    const references = (model: string, version: number) => (model === 'b' && version === 1 ? profile : undefined);
    expect(joinSegments(serializeStateSegments(state))).toBe(serializeState(state));
    for (const input of inputs()) {
      apply(state, input, configOf, references);
      expect(joinSegments(serializeStateSegments(state))).toBe(serializeState(state));
    }
    expect(Object.keys(state.streams)).toHaveLength(3);
    expect(state.models.a!.pending.size).toBeGreaterThan(0);
    expect(state.models.a!.early.size).toBeGreaterThan(0);
    // And after a restore, which builds new objects (the stable pieces are stringified again).
    const restored = deserializeState(serializeState(state));
    expect(joinSegments(serializeStateSegments(restored))).toBe(serializeState(state));
  });

  it('hands out the same stable piece for a reference, profile and schema while they live', () => {
    const state = emptyDetectorState();
    for (const input of inputs().slice(0, 400)) apply(state, input, () => config, (model) => (model === 'b' ? profile : undefined));
    const stable = (segments: ReturnType<typeof serializeStateSegments>) => segments.filter((s): s is StableJson => typeof s !== 'string');
    const first = stable(serializeStateSegments(state));
    // a/v1 and a/v2: reference window and schema; b/v1: profile, reference window (for predictions and labels) and schema.
    expect(first).toHaveLength(7);
    for (const input of inputs().slice(400, 420)) apply(state, input, () => config, (model) => (model === 'b' ? profile : undefined));
    const second = stable(serializeStateSegments(state));
    expect(second).toHaveLength(7);
    second.forEach((s, i) => expect(s).toBe(first[i]));
  });
});
