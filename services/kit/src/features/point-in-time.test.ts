import { describe, expect, it } from 'vitest';
import { inReach, parseFeatureRef, pointInTimeReference, trainingSetJsonl, type FeatureRef, type LoggedValues, type ViewForRetrieval } from './point-in-time.ts';

const H = 3_600_000;
const views = new Map<string, ViewForRetrieval>([
  ['driver_stats', { name: 'driver_stats', keyName: 'driver_id', ttlSeconds: 2 * 3600 }],
  ['driver_profile', { name: 'driver_profile', keyName: 'driver_id', ttlSeconds: 0 }],
]);
const refs = ['driver_stats:conv_rate', 'driver_stats:city', 'driver_profile:tier'].map((r) => parseFeatureRef(r)!) as FeatureRef[];
let position = 0;
const logged = (view: string, entityKey: string, occurredAt: number, values: Record<string, number | string>): LoggedValues => ({
  view,
  entityKey,
  occurredAt,
  numericValues: Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'number')) as Record<string, number>,
  categoricalValues: Object.fromEntries(Object.entries(values).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
  position: position++,
});
const at = (events: LoggedValues[], driver: string | number, timestamp: number) => pointInTimeReference([{ entities: { driver_id: driver }, timestamp }], refs, views, events)[0]!.values;

describe('point-in-time reference', () => {
  it('returns a value whose event time is exactly the row timestamp', () => {
    const events = [logged('driver_stats', '1', 10 * H, { conv_rate: 0.5, city: 'Lyon' })];
    expect(at(events, '1', 10 * H)).toEqual({ 'driver_stats:conv_rate': 0.5, 'driver_stats:city': 'Lyon', 'driver_profile:tier': null });
  });

  it('never returns a value logged after the row timestamp (no leakage), but the latest before it', () => {
    const events = [logged('driver_stats', '1', 9 * H, { conv_rate: 0.1 }), logged('driver_stats', '1', 10 * H + 1, { conv_rate: 0.9 })];
    expect(at(events, '1', 10 * H)['driver_stats:conv_rate']).toBe(0.1);
    expect(at(events, '1', 10 * H + 1)['driver_stats:conv_rate']).toBe(0.9);
  });

  it('drops values older than the TTL (bound inclusive), and keeps them forever when the TTL is 0', () => {
    const events = [logged('driver_stats', '1', 0, { conv_rate: 0.3 }), logged('driver_profile', '1', 0, { tier: 'gold' })];
    expect(at(events, '1', 2 * H)['driver_stats:conv_rate']).toBe(0.3);
    expect(at(events, '1', 2 * H + 1)['driver_stats:conv_rate']).toBeNull();
    expect(at(events, '1', 1000 * H)['driver_profile:tier']).toBe('gold');
  });

  it('places a late-arriving event by its event time, not by when it was logged', () => {
    const onTime = logged('driver_stats', '1', 10 * H, { conv_rate: 0.7 });
    const late = logged('driver_stats', '1', 9 * H, { conv_rate: 0.2 }); // logged after onTime, happened before it
    expect(at([onTime, late], '1', 9.5 * H)['driver_stats:conv_rate']).toBe(0.2);
    expect(at([onTime, late], '1', 11 * H)['driver_stats:conv_rate']).toBe(0.7);
  });

  it('breaks a tie on event time by log order: the later record wins', () => {
    const first = logged('driver_stats', '1', 10 * H, { conv_rate: 0.1 });
    const second = logged('driver_stats', '1', 10 * H, { conv_rate: 0.2 });
    expect(at([second, first], '1', 10 * H)['driver_stats:conv_rate']).toBe(0.2);
  });

  it('answers null for an entity never seen, and for a feature the winning event does not carry', () => {
    const events = [logged('driver_stats', '1', 0, { conv_rate: 0.3 })];
    expect(at(events, '2', H)).toEqual({ 'driver_stats:conv_rate': null, 'driver_stats:city': null, 'driver_profile:tier': null });
    expect(at(events, '1', H)['driver_stats:city']).toBeNull();
  });

  it('matches numeric INT64 keys given as numbers to their string form', () => {
    expect(at([logged('driver_stats', '1001', 0, { conv_rate: 1 })], 1001, H)['driver_stats:conv_rate']).toBe(1);
  });

  it('inReach bounds', () => {
    expect(inReach(5, 5, 0)).toBe(true);
    expect(inReach(6, 5, 0)).toBe(false);
    expect(inReach(0, 1000, 1)).toBe(true);
    expect(inReach(0, 1001, 1)).toBe(false);
  });

  it('parses feature references and writes rows in a fixed column order', () => {
    expect(parseFeatureRef('a:b')).toEqual({ ref: 'a:b', view: 'a', feature: 'b' });
    expect(parseFeatureRef('ab')).toBeUndefined();
    expect(parseFeatureRef('a:b:c')).toBeUndefined();
    expect(parseFeatureRef(':b')).toBeUndefined();
    const text = trainingSetJsonl([{ entities: { z: 1, a: 'x' }, timestamp: 5, values: { 'v:f': 2 } }], [parseFeatureRef('v:f')!, parseFeatureRef('v:g')!]);
    expect(text).toBe('{"a":"x","z":1,"timestamp":5,"v:f":2,"v:g":null}\n');
  });
});
