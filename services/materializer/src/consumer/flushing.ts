/** Flush a partition's buffer at this many events (MLSTREAM_MATERIALIZER_MAX_EVENTS). */
export const DEFAULT_MAX_EVENTS = 5_000;
/** ... or once no record arrived for this long (MLSTREAM_MATERIALIZER_IDLE_MS) ... */
export const DEFAULT_IDLE_MS = 5;
/** ... or at the latest when its oldest record waited this long (MLSTREAM_MATERIALIZER_MAX_WAIT_MS). */
export const DEFAULT_MAX_WAIT_MS = 250;

/** A batch whose rows already cover its last offset in every table writes the progress hint (dashboards only) at most this often. */
export const PROGRESS_EVERY_MS = 1_000;

export interface BufferClock {
  /** When the oldest buffered record arrived (ms epoch). */
  since: number;
  /** When the partition's last batch of records was buffered (ms epoch). */
  lastAt: number;
}

/**
 * Pure: whether a partition's buffer (not full, nothing in flight) is due.
 * A quiet partition is written as soon as it goes idle, a busy one that
 * never pauses at the latest after `maxWaitMs`; a full buffer (`maxEvents`)
 * is written at once by the consumer loop, not here.
 */
export function flushDue(clock: BufferClock, now: number, limits: { idleMs: number; maxWaitMs: number }): boolean {
  return now - clock.lastAt >= limits.idleMs || now - clock.since >= limits.maxWaitMs;
}
