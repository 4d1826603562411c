import { describe, expect, it } from 'vitest';
import { applyFeatureValues, type FeatureValuesInput, type OnlineEntry } from './online.ts';

const values = (occurredAt: number, numericValues: Record<string, number>, categoricalValues: Record<string, string> = {}, viewVersion = 1): FeatureValuesInput => ({
  occurredAt,
  view: 'driver_stats',
  viewVersion,
  entityKey: 'd1',
  numericValues,
  categoricalValues,
});

const replay = (events: FeatureValuesInput[]): OnlineEntry | undefined => events.reduce<OnlineEntry | undefined>((entry, e) => applyFeatureValues(entry, e) ?? entry, undefined);

describe('applyFeatureValues: the latest value per feature by event time', () => {
  it('given no entry, when values arrive, then they become the entry', () => {
    const entry = applyFeatureValues(undefined, values(100, { trips: 3 }, { city: 'Oslo' }));
    expect(entry).toEqual({ view: 'driver_stats', entityKey: 'd1', viewVersion: 1, eventTime: 100, features: { trips: { value: 3, eventTime: 100 }, city: { value: 'Oslo', eventTime: 100 } } });
  });

  it('given a value, when a newer one arrives, then it replaces it', () => {
    expect(replay([values(100, { trips: 3 }), values(200, { trips: 4 })])?.features.trips).toEqual({ value: 4, eventTime: 200 });
  });

  it('given a value, when a late event older than it arrives, then nothing changes and nothing is written', () => {
    const current = replay([values(200, { trips: 4 })])!;
    expect(applyFeatureValues(current, values(100, { trips: 3 }))).toBeUndefined();
  });

  it('given a late event carrying a feature the entry lacks, then only that feature is taken, and the entry keeps its latest event time and view version', () => {
    const current = replay([values(200, { trips: 4 }, {}, 2)])!;
    const next = applyFeatureValues(current, values(100, { trips: 3, rating: 4.5 }, {}, 1))!;
    expect(next.features).toEqual({ trips: { value: 4, eventTime: 200 }, rating: { value: 4.5, eventTime: 100 } });
    expect(next.eventTime).toBe(200);
    expect(next.viewVersion).toBe(2);
  });

  it('given an event that repeats the current value at the same event time (a redelivery), then nothing is written', () => {
    const current = replay([values(200, { trips: 4 })])!;
    expect(applyFeatureValues(current, values(200, { trips: 4 }))).toBeUndefined();
  });

  it('given two different values with the same event time, then the later in the log wins', () => {
    expect(replay([values(200, { trips: 4 }), values(200, { trips: 5 })])?.features.trips?.value).toBe(5);
  });

  it('is independent of arrival order: any permutation of the events ends in the same entry', () => {
    const events = [values(300, { trips: 1 }), values(100, { trips: 2, rating: 1 }), values(200, { rating: 2 }, { city: 'Bergen' }), values(50, {}, { city: 'Oslo' })];
    const reference = replay(events);
    const permutations = [[3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]];
    for (const order of permutations) expect(replay(order.map((i) => events[i]!))).toEqual({ ...reference, viewVersion: 1 });
    expect(reference?.features).toEqual({ trips: { value: 1, eventTime: 300 }, rating: { value: 2, eventTime: 200 }, city: { value: 'Bergen', eventTime: 200 } });
  });

  it('does not mutate the entry it is given (the committed state stays as it was until the transaction commits)', () => {
    const current = replay([values(100, { trips: 3 })])!;
    const copy = structuredClone(current);
    applyFeatureValues(current, values(200, { trips: 4 }));
    expect(current).toEqual(copy);
  });
});
