/** One feature's latest value and the event time it holds for. */
export interface FeatureValue {
  value: number | string;
  /** Event time of the value (epoch ms), not the time it arrived. */
  eventTime: number;
}

/** The online value of one entity in one view: the values of its latest event. */
export interface OnlineEntry {
  view: string;
  entityKey: string;
  /** View version of the event that last changed this entry. */
  viewVersion: number;
  features: Record<string, FeatureValue>;
  /** Event time of the entry's event (epoch ms). */
  eventTime: number;
}

/** What an online entry is built from (the fields of FeatureValuesLogged it uses). */
export interface FeatureValuesInput {
  occurredAt: number;
  view: string;
  viewVersion: number;
  entityKey: string;
  numericValues?: Record<string, number>;
  categoricalValues?: Record<string, string>;
}

/** The changelog and store key of an entity in a view (the same as the features topic's key). */
export const onlineKey = (view: string, entityKey: string): string => `${view}|${entityKey}`;

/**
 * Applies feature values to an entity's online entry, latest by event time,
 * with the offline store's rule (getHistoricalFeatures): the entry is the
 * whole latest event of the entity (latest event time; an equal event time:
 * the later record in the log wins), and a feature that event does not carry
 * has no value. A late event older than the current entry changes nothing.
 * Returns the new entry, or undefined when nothing changed (nothing to write
 * to the changelog).
 */
export function applyFeatureValues(current: OnlineEntry | undefined, input: FeatureValuesInput): OnlineEntry | undefined {
  const at = input.occurredAt;
  if (current && current.eventTime > at) return undefined;
  const features: Record<string, FeatureValue> = {};
  for (const [name, value] of Object.entries(input.numericValues ?? {})) features[name] = { value, eventTime: at };
  for (const [name, value] of Object.entries(input.categoricalValues ?? {})) features[name] = { value, eventTime: at };
  const next: OnlineEntry = { view: input.view, entityKey: input.entityKey, viewVersion: input.viewVersion, features, eventTime: at };
  if (current && current.eventTime === at && sameEntry(current, next)) return undefined;
  return next;
}

const sameEntry = (a: OnlineEntry, b: OnlineEntry): boolean => {
  const names = Object.keys(a.features);
  return a.viewVersion === b.viewVersion && names.length === Object.keys(b.features).length && names.every((n) => b.features[n]?.value === a.features[n]!.value);
};
