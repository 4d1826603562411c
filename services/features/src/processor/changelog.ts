import { randomUUID } from 'node:crypto';
import type { OnlineFeaturesUpdated } from '@mlstream/kit';
import type { FeatureValue, OnlineEntry } from '../domain/index.ts';

/** The changelog record of an entry: the whole entry, so the compacted topic's latest record per key is enough. */
export function changelogRecord(entry: OnlineEntry, source: { eventId: string; ingestedAt: number }): OnlineFeaturesUpdated {
  const numericValues: Record<string, number> = {};
  const categoricalValues: Record<string, string> = {};
  const eventTimes: Record<string, number> = {};
  for (const [name, f] of Object.entries(entry.features)) {
    if (typeof f.value === 'number') numericValues[name] = f.value;
    else categoricalValues[name] = f.value;
    eventTimes[name] = f.eventTime;
  }
  return {
    eventId: randomUUID(),
    occurredAt: entry.eventTime,
    view: entry.view,
    viewVersion: entry.viewVersion,
    entityKey: entry.entityKey,
    numericValues,
    categoricalValues,
    eventTimes,
    sourceEventId: source.eventId,
    ingestedAt: source.ingestedAt,
  };
}

/** The entry a changelog record holds. */
export function entryOf(record: OnlineFeaturesUpdated): OnlineEntry {
  const features: Record<string, FeatureValue> = {};
  const at = (name: string) => record.eventTimes?.[name] ?? record.occurredAt;
  for (const [name, value] of Object.entries(record.numericValues ?? {})) features[name] = { value, eventTime: at(name) };
  for (const [name, value] of Object.entries(record.categoricalValues ?? {})) features[name] = { value, eventTime: at(name) };
  return { view: record.view, entityKey: record.entityKey, viewVersion: record.viewVersion, features, eventTime: record.occurredAt };
}
