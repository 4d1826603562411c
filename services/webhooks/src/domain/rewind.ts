/**
 * Where a redelivery moves one source topic of a subscription: to the wanted
 * offset per partition (from a time and/or named offsets; the lowest wins),
 * but never past the committed position, so a redelivery never skips an
 * event the subscription has not been given yet. Partitions not wanted keep
 * their position. `committed` is -1 (or absent) where nothing was committed.
 */
export function rewindTargets(committed: ReadonlyMap<number, number>, fromTime: ReadonlyMap<number, number> | undefined, fromOffsets: ReadonlyArray<{ partition: number; offset: number }>): Array<{ partition: number; offset: number }> {
  const wanted = new Map<number, number>(fromTime ?? []);
  for (const o of fromOffsets) wanted.set(o.partition, Math.min(o.offset, wanted.get(o.partition) ?? Infinity));
  return [...wanted].map(([partition, offset]) => {
    const current = committed.get(partition) ?? -1;
    return { partition, offset: current >= 0 ? Math.min(offset, current) : offset };
  });
}
