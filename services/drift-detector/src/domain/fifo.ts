/**
 * The bounded buffers of the detector (dedupe eventIds, pending predictions,
 * early labels) are Maps used as FIFOs: insertion order is age, and the oldest
 * key leaves when one is too many. `map.delete(map.keys().next().value)` is
 * O(holes) in V8: a fresh iterator walks every slot the earlier deletions
 * emptied at the front of the table, thousands in a buffer of 5 000 kept
 * full (~3.5 µs per record, docs/performance.md "Drift detector"). A Map iterator
 * is live (it follows deletions, insertions and rehashes), so one kept per
 * Map that only ever hands out keys which are then deleted always stands at
 * the oldest live key: O(1) amortized.
 */
const cursors = new WeakMap<Map<unknown, unknown>, Iterator<unknown>>();

/** Deletes and returns the oldest key of `map` (undefined when empty): what `map.delete(map.keys().next().value)` does. */
export function deleteOldest<K>(map: Map<K, unknown>): K | undefined {
  let cursor = cursors.get(map) as Iterator<K> | undefined;
  let next = cursor?.next();
  if (!next || next.done) {
    // First use, or the cursor ran off the end (an exhausted iterator stays done): start a new one.
    cursor = map.keys();
    cursors.set(map, cursor);
    next = cursor.next();
  }
  if (next.done) return undefined;
  map.delete(next.value);
  return next.value;
}
