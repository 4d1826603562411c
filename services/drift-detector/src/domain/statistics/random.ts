/**
 * mulberry32, the one seeded generator of the drift detector: its whole state
 * is one uint32, so a window's sampler snapshots as a plain number and replays
 * draw exactly the same values after a restart.
 */
export function mulberry32(state: number): { state: number; value: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { state: next, value: ((t ^ (t >>> 14)) >>> 0) / 4294967296 };
}

/** The same generator as a closure, for synthetic streams and test data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    const draw = mulberry32(state);
    state = draw.state;
    return draw.value;
  };
}
