import type { OnlineEntry } from './online.ts';

/** An entry as the store served it from `servedFrom` (epoch ms, when it was committed to the changelog) on. */
export interface ServedVersion {
  servedFrom: number;
  entry: OnlineEntry;
}

/** What the store served for an entity at some time: `known` is false when the retained history does not reach back that far. */
export interface AsOf {
  known: boolean;
  entry: OnlineEntry | undefined;
}

/**
 * Appends a version to an entity's history (kept in servedFrom order) and
 * drops the oldest beyond `keep`; returns the history to store.
 */
export function appendVersion(history: ServedVersion[], version: ServedVersion, keep: number): ServedVersion[] {
  let at = history.length;
  while (at > 0 && history[at - 1]!.servedFrom > version.servedFrom) at -= 1;
  history.splice(at, 0, version);
  if (history.length > keep) history.splice(0, history.length - keep);
  return history;
}

/**
 * The version served at `at`: the latest whose servedFrom ≤ at. An entity
 * with no history at all was never in the store (known, undefined); a time
 * before the oldest retained version is unknown, since older versions may
 * have been dropped (bounded history, or compacted away before a restart).
 */
export function servedAt(history: readonly ServedVersion[] | undefined, at: number): AsOf {
  if (!history?.length) return { known: true, entry: undefined };
  if (at < history[0]!.servedFrom) return { known: false, entry: undefined };
  for (let i = history.length - 1; i >= 0; i -= 1) if (history[i]!.servedFrom <= at) return { known: true, entry: history[i]!.entry };
  return { known: false, entry: undefined };
}
