import { describe, expect, it } from 'vitest';
import { changelogRecord, entryOf } from './changelog.ts';

describe('the changelog record of an online entry', () => {
  it('holds the whole entry: reading it back gives the same entry', () => {
    const entry = { view: 'driver', entityKey: 'd1', viewVersion: 2, eventTime: 500, features: { trips: { value: 3, eventTime: 500 }, city: { value: 'Oslo', eventTime: 500 } } };
    const record = changelogRecord(entry, { eventId: 'source', ingestedAt: 900 });
    expect(record).toMatchObject({ occurredAt: 500, view: 'driver', entityKey: 'd1', viewVersion: 2, numericValues: { trips: 3 }, categoricalValues: { city: 'Oslo' }, sourceEventId: 'source', ingestedAt: 900 });
    expect(entryOf(record)).toEqual(entry);
  });
});
