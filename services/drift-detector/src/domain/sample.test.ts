import { describe, expect, it } from 'vitest';
import { syntheticPredictions } from '../synthetic/index.ts';
import { apply } from './window.ts';
import type { DetectorInput } from './records.ts';
import { defaultConfig } from './config.ts';
import { offer, seedFor } from './sample.ts';
import { emptyDetectorState, serializeState } from './state.ts';

describe('bounded window samples', () => {
  it('keeps a uniform sample of at most `capacity` values', () => {
    const state = { seen: {}, rng: seedFor(3) };
    const values: number[] = [];
    for (let v = 1; v <= 100_000; v++) offer(state, 'x', values, v, 1000);
    expect(values).toHaveLength(1000);
    expect(state.seen).toEqual({ x: 100_000 });
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    // Uniform over 1..100 000: mean 50 000, standard error about 913.
    expect(Math.abs(mean - 50_000)).toBeLessThan(4000);
    expect(values.filter((v) => v > 50_000).length).toBeGreaterThan(400);
  });

  it('bounds an event-time window whatever its traffic, with the same sample on replay', () => {
    const config = { ...defaultConfig, windowKind: 'EVENT_TIME' as const, windowMs: 3_600_000, maxWindowSample: 500 };
    // 20 000 predictions 100 ms apart: all in one hour-long window (still open at the end).
    const inputs: DetectorInput[] = syntheticPredictions({ seed: 12, model: 'm', version: 1, count: 20_000, startAt: 1_800_000_000_000, shape: { numeric: 3, categorical: 1 } }).map((value, offset) => ({ kind: 'prediction', value, topic: 't', partition: 0, offset }));
    const run = () => {
      const state = emptyDetectorState();
      for (const input of inputs) apply(state, input, () => config);
      return state;
    };
    const state = run();
    const window = state.streams['m|1']!.window;
    expect(window.count).toBe(20_000);
    for (const series of Object.values(window.numeric)) expect(series).toHaveLength(500);
    expect(window.predictionNumeric).toHaveLength(500);
    expect(serializeState(run())).toBe(serializeState(state));
  });
});
