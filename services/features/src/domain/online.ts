/** One feature's latest value and the event time it holds for. */
export interface FeatureValue {
  value: number | string;
  /** Event time of the value (epoch ms), not the time it arrived. */
  eventTime: number;
}

/** The online value of one entity in one view: per feature, the value with the latest event time. */
export interface OnlineEntry {
  view: string;
  entityKey: string;
  /** View version of the event that last changed this entry. */
  viewVersion: number;
  features: Record<string, FeatureValue>;
  /** The latest event time of any feature (epoch ms). */
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
 * Applies feature values to an entity's online entry, latest by event time:
 * a feature is replaced only by a value with a later event time (an equal
 * event time: the later record in the log wins), so a late event older than
 * the current value changes nothing. Returns the new entry, or undefined when
 * nothing changed (nothing to write to the changelog).
 */
export function applyFeatureValues(current: OnlineEntry | undefined, input: FeatureValuesInput): OnlineEntry | undefined {
  const at = input.occurredAt;
  const incoming: Array<[string, number | string]> = [...Object.entries(input.numericValues ?? {}), ...Object.entries(input.categoricalValues ?? {})];
  let features: Record<string, FeatureValue> | undefined;
  for (const [name, value] of incoming) {
    const held = current?.features[name];
    if (held && (held.eventTime > at || (held.eventTime === at && held.value === value))) continue;
    features ??= { ...current?.features };
    features[name] = { value, eventTime: at };
  }
  if (!features) return undefined;
  const eventTime = Math.max(current?.eventTime ?? Number.NEGATIVE_INFINITY, at);
  const latest = !current || at >= current.eventTime;
  return { view: input.view, entityKey: input.entityKey, viewVersion: latest ? input.viewVersion : current.viewVersion, features, eventTime };
}
