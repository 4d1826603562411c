import { describe, expect, it } from 'vitest';
import type { OnlineEntry } from '../domain/index.ts';
import type { DefinitionsFollower } from '../processor/definitions.ts';
import type { OnlineView } from '../processor/online-view.ts';
import { readOnline } from './online.ts';

const entry = (view: string, entityKey: string, features: Record<string, number | string>, eventTime: number): OnlineEntry => ({
  view,
  entityKey,
  viewVersion: 1,
  eventTime,
  features: Object.fromEntries(Object.entries(features).map(([f, value]) => [f, { value, eventTime }])),
});
const entries = new Map([
  ['driver|d1', entry('driver', 'd1', { trips: 3, city: 'Oslo' }, 1_000)],
  ['zone|z1', entry('zone', 'z1', { demand: 0.5 }, 100)],
]);
const view = { get: (v: string, k: string) => entries.get(`${v}|${k}`) } as unknown as OnlineView;
const definitions = {
  get: (v: string) => (v === 'driver' ? { name: 'driver', version: 1, features: ['trips', 'city', 'rating'], ttlMs: 10_000 } : v === 'zone' ? { name: 'zone', version: 1, features: ['demand'], ttlMs: 500 } : undefined),
} as unknown as DefinitionsFollower;

describe('POST /v1/features/online: what it reads', () => {
  it('given a view, then every declared feature of every entity, with event times and statuses', () => {
    expect(readOnline({ view: 'driver', entityKeys: ['d1', 'd2'] }, definitions, view, 2_000)).toEqual([
      { entityKey: 'd1', values: { trips: 3, city: 'Oslo', rating: null }, eventTimes: { trips: 1_000, city: 1_000, rating: null }, statuses: { trips: 'present', city: 'present', rating: 'missing' } },
      { entityKey: 'd2', values: { trips: null, city: null, rating: null }, eventTimes: { trips: null, city: null, rating: null }, statuses: { trips: 'missing', city: 'missing', rating: 'missing' } },
    ]);
  });

  it('given <view>:<feature> references, then several views at once, each with its own TTL', () => {
    const [d1] = readOnline({ features: ['driver:trips', 'zone:demand'], entityKeys: ['d1'] }, definitions, view, 2_000);
    expect(d1!.statuses).toEqual({ 'driver:trips': 'present', 'zone:demand': 'missing' });
    const [z1] = readOnline({ features: ['zone:demand'], entityKeys: ['z1'] }, definitions, view, 2_000);
    expect(z1).toEqual({ entityKey: 'z1', values: { 'zone:demand': null }, eventTimes: { 'zone:demand': 100 }, statuses: { 'zone:demand': 'expired' } });
  });

  it('refuses features the view does not declare, a bare feature without a view, and an undefined view without features', () => {
    expect(() => readOnline({ view: 'driver', features: ['speed'], entityKeys: ['d1'] }, definitions, view, 0)).toThrow(/not features of view driver: speed/);
    expect(() => readOnline({ features: ['trips'], entityKeys: ['d1'] }, definitions, view, 0)).toThrow(/expected <view>:<feature>/);
    expect(() => readOnline({ view: 'nope', entityKeys: ['d1'] }, definitions, view, 0)).toThrow(expect.objectContaining({ code: 'FEATURE_VIEW_NOT_FOUND' }));
  });
});
