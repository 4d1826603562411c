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

describe('applyFeatureValues: the latest event of an entity, by event time (the offline rule)', () => {
  it('given no entry, when values arrive, then they become the entry', () => {
    const entry = applyFeatureValues(undefined, values(100, { trips: 3 }, { city: 'Oslo' }));
    expect(entry).toEqual({ view: 'driver_stats', entityKey: 'd1', viewVersion: 1, eventTime: 100, features: { trips: { value: 3, eventTime: 100 }, city: { value: 'Oslo', eventTime: 100 } } });
  });

  it('given an entry, when a newer event arrives, then it replaces the entry', () => {
    expect(replay([values(100, { trips: 3 }), values(200, { trips: 4 })])?.features.trips).toEqual({ value: 4, eventTime: 200 });
  });

  it('given an entry, when a late event older than it arrives, then nothing changes and nothing is written', () => {
    const current = replay([values(200, { trips: 4 })])!;
    expect(applyFeatureValues(current, values(100, { trips: 3 }))).toBeUndefined();
    expect(applyFeatureValues(current, values(100, { trips: 3, rating: 4.5 }))).toBeUndefined();
  });

  it('given a newer event without a feature, then that feature has no value (as getHistoricalFeatures answers null)', () => {
    const next = replay([values(100, { trips: 3, rating: 4.5 }), values(200, { trips: 4 }, {}, 2)])!;
    expect(next.features).toEqual({ trips: { value: 4, eventTime: 200 } });
    expect(next.viewVersion).toBe(2);
  });

  it('given an event that repeats the entry at the same event time (a redelivery), then nothing is written', () => {
    const current = replay([values(200, { trips: 4 }, { city: 'Oslo' })])!;
    expect(applyFeatureValues(current, values(200, { trips: 4 }, { city: 'Oslo' }))).toBeUndefined();
  });

  it('given two different events with the same event time, then the later in the log wins', () => {
    expect(replay([values(200, { trips: 4 }), values(200, { trips: 5 })])?.features.trips?.value).toBe(5);
    expect(replay([values(200, { trips: 4 }), values(200, { trips: 4, rating: 1 })])?.features.rating?.value).toBe(1);
  });

  it('is independent of arrival order when event times differ: any permutation ends in the latest event', () => {
    const events = [values(300, { trips: 1 }), values(100, { trips: 2, rating: 1 }), values(200, { rating: 2 }, { city: 'Bergen' }), values(50, {}, { city: 'Oslo' })];
    const permutations = [[0, 1, 2, 3], [3, 2, 1, 0], [1, 3, 0, 2], [2, 0, 3, 1]];
    for (const order of permutations) expect(replay(order.map((i) => events[i]!))).toEqual({ view: 'driver_stats', entityKey: 'd1', viewVersion: 1, eventTime: 300, features: { trips: { value: 1, eventTime: 300 } } });
  });

  it('does not mutate the entry it is given (the committed state stays as it was until the transaction commits)', () => {
    const current = replay([values(100, { trips: 3 })])!;
    const copy = structuredClone(current);
    applyFeatureValues(current, values(200, { trips: 4 }));
    expect(current).toEqual(copy);
  });
});
