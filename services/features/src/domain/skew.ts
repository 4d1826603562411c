import type { AsOf } from './history.ts';

/**
 * How a prediction names the entity whose features it used: a categorical
 * input `__entity.<view>` = entity key (one per view it read). Inputs whose
 * name starts with `__` are never compared.
 */
export const ENTITY_FEATURE_PREFIX = '__entity.';

/** The inputs of a prediction that skew checking reads (PredictionLogged's fields). */
export interface ServedInputs {
  occurredAt: number;
  numericFeatures?: Record<string, number>;
  categoricalFeatures?: Record<string, string>;
}

/** `match`: equal within tolerance; `skew`: different; `missing_online`: the store had no value; `expired`: the store's value was older than the TTL; `unknown`: the store's history does not reach back to the prediction. */
export type SkewStatus = 'match' | 'skew' | 'missing_online' | 'expired' | 'unknown';

export interface FeatureSkew {
  feature: string;
  status: SkewStatus;
  served: number | string;
  online: number | string | null;
  onlineEventTime: number | null;
}

export interface SkewOptions {
  /** The view's declared features, if known; otherwise the features the online entry holds. */
  declared?: readonly string[];
  ttlMs?: number;
  /** Numeric values match when |a − b| ≤ absolute + relative·max(|a|, |b|); default 1e-9 and 1e-9. */
  absolute?: number;
  relative?: number;
}

/** Views and entity keys a prediction carries by the `__entity.<view>` convention, in name order. */
export function entitiesOf(inputs: ServedInputs): Array<{ view: string; entityKey: string }> {
  return Object.entries(inputs.categoricalFeatures ?? {})
    .filter(([name]) => name.startsWith(ENTITY_FEATURE_PREFIX) && name.length > ENTITY_FEATURE_PREFIX.length)
    .map(([name, entityKey]) => ({ view: name.slice(ENTITY_FEATURE_PREFIX.length), entityKey }))
    .sort((a, b) => (a.view < b.view ? -1 : a.view > b.view ? 1 : 0));
}

export const isSkewed = (status: SkewStatus): boolean => status === 'skew' || status === 'missing_online' || status === 'expired';

/**
 * Compares the inputs a prediction was served with against the store's
 * value of the same features at the prediction's time (`asOf`). Only inputs
 * that are features of the view are compared; the result is in feature-name order.
 */
export function compareServed(inputs: ServedInputs, asOf: AsOf, options: SkewOptions = {}): FeatureSkew[] {
  const absolute = options.absolute ?? 1e-9;
  const relative = options.relative ?? 1e-9;
  const served = new Map<string, number | string>([...Object.entries(inputs.numericFeatures ?? {}), ...Object.entries(inputs.categoricalFeatures ?? {})]);
  const names = new Set(options.declared ?? Object.keys(asOf.entry?.features ?? {}));
  const compared = [...served.keys()].filter((f) => !f.startsWith('__') && names.has(f)).sort();
  return compared.map((feature) => {
    const value = served.get(feature)!;
    const base = { feature, served: value, online: null, onlineEventTime: null };
    if (!asOf.known) return { ...base, status: 'unknown' };
    const held = asOf.entry?.features[feature];
    if (!held) return { ...base, status: 'missing_online' };
    const online = { ...base, online: held.value, onlineEventTime: held.eventTime };
    if (options.ttlMs !== undefined && inputs.occurredAt - held.eventTime > options.ttlMs) return { ...online, status: 'expired' };
    const equal =
      typeof value === 'number' && typeof held.value === 'number' ? Math.abs(value - held.value) <= absolute + relative * Math.max(Math.abs(value), Math.abs(held.value)) : value === held.value;
    return { ...online, status: equal ? 'match' : 'skew' };
  });
}
