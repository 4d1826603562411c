import { describe, expect, it } from 'vitest';
import { readFeatures } from './read.ts';
import type { OnlineEntry } from './online.ts';

const entry: OnlineEntry = { view: 'v', entityKey: 'e', viewVersion: 1, eventTime: 1_000, features: { a: { value: 1.5, eventTime: 1_000 }, b: { value: 'x', eventTime: 400 } } };

describe('readFeatures: values as of now, with the view TTL', () => {
  it('given values within the TTL, then they are present with their event times', () => {
    expect(readFeatures(entry, ['a', 'b'], 1_100, 1_000)).toEqual([
      { feature: 'a', value: 1.5, eventTime: 1_000, status: 'present' },
      { feature: 'b', value: 'x', eventTime: 400, status: 'present' },
    ]);
  });

  it('given a value older than the TTL, then it is expired and null, with its event time', () => {
    expect(readFeatures(entry, ['b'], 1_500, 1_000)).toEqual([{ feature: 'b', value: null, eventTime: 400, status: 'expired' }]);
  });

  it('given a value exactly TTL old, then it is still present', () => {
    expect(readFeatures(entry, ['b'], 1_400, 1_000)[0]?.status).toBe('present');
  });

  it('given no TTL, then values never expire', () => {
    expect(readFeatures(entry, ['b'], 10_000_000)[0]?.status).toBe('present');
  });

  it('given an entity never seen or a feature it lacks, then missing', () => {
    expect(readFeatures(undefined, ['a'], 0, 10)).toEqual([{ feature: 'a', value: null, eventTime: null, status: 'missing' }]);
    expect(readFeatures(entry, ['c'], 0)[0]?.status).toBe('missing');
  });
});
