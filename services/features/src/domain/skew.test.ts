import { describe, expect, it } from 'vitest';
import { appendVersion, servedAt, type ServedVersion } from './history.ts';
import type { OnlineEntry } from './online.ts';
import { compareServed, entitiesOf } from './skew.ts';

const entry = (trips: number, at: number): OnlineEntry => ({ view: 'driver', entityKey: 'd1', viewVersion: 1, eventTime: at, features: { trips: { value: trips, eventTime: at }, city: { value: 'Oslo', eventTime: at } } });

describe('the served history of an entity', () => {
  const history = [3, 1, 2].reduce<ServedVersion[]>((h, i) => appendVersion(h, { servedFrom: i * 100, entry: entry(i, i * 10) }, 10), []);

  it('keeps versions in servedFrom order, whatever order they were appended in', () => {
    expect(history.map((v) => v.servedFrom)).toEqual([100, 200, 300]);
  });

  it('answers the version served at a time: the latest served at or before it', () => {
    expect(servedAt(history, 250).entry?.features.trips?.value).toBe(2);
    expect(servedAt(history, 200).entry?.features.trips?.value).toBe(2);
    expect(servedAt(history, 10_000).entry?.features.trips?.value).toBe(3);
  });

  it('says unknown before its oldest retained version, and known-absent for an entity never stored', () => {
    expect(servedAt(history, 99)).toEqual({ known: false, entry: undefined });
    expect(servedAt(undefined, 99)).toEqual({ known: true, entry: undefined });
  });

  it('drops the oldest versions beyond the bound', () => {
    const bounded = [1, 2, 3].reduce<ServedVersion[]>((h, i) => appendVersion(h, { servedFrom: i, entry: entry(i, i) }, 2), []);
    expect(bounded.map((v) => v.servedFrom)).toEqual([2, 3]);
  });
});

describe('compareServed: what a prediction used against what the store held then', () => {
  const prediction = (trips: number, city = 'Oslo', occurredAt = 1_000) => ({ occurredAt, numericFeatures: { trips, request_hour: 9 }, categoricalFeatures: { city, '__entity.driver': 'd1' } });
  const asOf = { known: true, entry: entry(5, 900) };

  it('finds the entity keys a prediction carries by the __entity.<view> convention', () => {
    expect(entitiesOf({ occurredAt: 0, categoricalFeatures: { '__entity.zone': 'z9', '__entity.driver': 'd1', '__entity.': 'x', city: 'Oslo' } })).toEqual([
      { view: 'driver', entityKey: 'd1' },
      { view: 'zone', entityKey: 'z9' },
    ]);
  });

  it('given the same values, then every compared feature matches and request-time inputs are not compared', () => {
    expect(compareServed(prediction(5), asOf).map((f) => [f.feature, f.status])).toEqual([
      ['city', 'match'],
      ['trips', 'match'],
    ]);
  });

  it('given a different numeric value (a broken serving path), then that feature is skewed, with both values', () => {
    expect(compareServed(prediction(6), asOf).find((f) => f.feature === 'trips')).toEqual({ feature: 'trips', status: 'skew', served: 6, online: 5, onlineEventTime: 900 });
  });

  it('given a different category, then skewed; a tiny float difference within tolerance matches', () => {
    expect(compareServed(prediction(5, 'Bergen'), asOf).find((f) => f.feature === 'city')?.status).toBe('skew');
    expect(compareServed(prediction(5 + 1e-12), asOf).find((f) => f.feature === 'trips')?.status).toBe('match');
  });

  it('given a declared feature the store did not hold, then missing_online', () => {
    expect(compareServed(prediction(5), { known: true, entry: undefined }, { declared: ['trips'] })).toEqual([{ feature: 'trips', status: 'missing_online', served: 5, online: null, onlineEventTime: null }]);
  });

  it('given a store value older than the TTL at prediction time, then expired', () => {
    expect(compareServed(prediction(5), asOf, { ttlMs: 50 }).every((f) => f.status === 'expired')).toBe(true);
  });

  it('given a history that does not reach back to the prediction, then unknown rather than a false alarm', () => {
    expect(compareServed(prediction(6), { known: false, entry: undefined }, { declared: ['trips'] })[0]?.status).toBe('unknown');
  });
});
