import type { OnlineEntry } from './online.ts';

/** `present`: a value within the view's TTL; `expired`: the latest value is older than the TTL; `missing`: never seen. */
export type FeatureStatus = 'present' | 'expired' | 'missing';

export interface FeatureRead {
  feature: string;
  /** Null unless present. */
  value: number | string | null;
  /** Event time of the latest value (also when expired), or null when missing. */
  eventTime: number | null;
  status: FeatureStatus;
}

/**
 * Reads features of one entity as of `now`. A value whose age (now − event
 * time) exceeds `ttlMs` is reported expired with a null value, as the offline
 * store would leave it out of a training row; without a TTL values never expire.
 */
export function readFeatures(entry: OnlineEntry | undefined, features: readonly string[], now: number, ttlMs?: number): FeatureRead[] {
  return features.map((feature) => {
    const held = entry?.features[feature];
    if (!held) return { feature, value: null, eventTime: null, status: 'missing' };
    if (ttlMs !== undefined && now - held.eventTime > ttlMs) return { feature, value: null, eventTime: held.eventTime, status: 'expired' };
    return { feature, value: held.value, eventTime: held.eventTime, status: 'present' };
  });
}
