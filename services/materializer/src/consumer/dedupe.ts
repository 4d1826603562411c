import type { DecodedEvent } from '@mlstream/kit';
import type { MaterializedStream, TableName } from '../projections/index.ts';

/**
 * Fact streams whose events are deduplicated by eventId. A fact retried by a
 * client after a gateway restart (the gateway's idempotency cache died with
 * it) is in Kafka twice with the same eventId, at two offsets of the same
 * partition (same key). Each of these streams feeds exactly one table, one
 * row per event.
 */
export const dedupedStreams: ReadonlySet<MaterializedStream> = new Set<MaterializedStream>(['predictions', 'feedback', 'ingestion']);

/** Default window: a repeat is dropped when it lies at most this many offsets after the kept copy, per partition. */
export const DEFAULT_DEDUPE_WINDOW = 50_000;

/**
 * Pure: the eventIds of one partition's kept rows within the last `size`
 * offsets. "Kept" is deterministic: an event is a repeat when the same
 * eventId was kept at a LOWER offset no more than `size` before it; replaying
 * the same offsets (a retried batch) gives the same answers, and the state can
 * be rebuilt from the table itself (the rows of the kept copies).
 */
export class EventIdWindow {
  private readonly kept = new Map<string, number>();
  private highest = -1;
  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new TypeError(`EventIdWindow: size must be a positive integer, got ${size}`);
  }

  /** Seeds the window with rows already in the table (eventId → offset of its row). */
  seed(rows: Iterable<readonly [string, number]>): this {
    for (const [id, offset] of rows) this.remember(id, offset);
    return this;
  }

  /** True when `eventId` at `offset` repeats a copy kept within the window; otherwise remembers it as kept. */
  isRepeat(eventId: string, offset: number): boolean {
    const first = this.kept.get(eventId);
    if (first !== undefined && first < offset && offset - first <= this.size) return true;
    this.remember(eventId, offset);
    return false;
  }

  get entries(): number {
    return this.kept.size;
  }

  private remember(id: string, offset: number) {
    const prev = this.kept.get(id);
    if (prev === undefined || prev < offset) {
      // Map order is insertion order: re-insert so the oldest entries stay at the front.
      this.kept.delete(id);
      this.kept.set(id, offset);
    }
    if (offset > this.highest) this.highest = offset;
    if (this.kept.size > 2 * this.size) this.evict();
  }

  private evict() {
    const floor = this.highest - this.size;
    for (const [id, offset] of this.kept) {
      if (offset >= floor) continue;
      this.kept.delete(id);
    }
  }
}

/** Drops the events that repeat an eventId within the window (in offset order); returns the kept ones and how many were dropped. */
export function dropRepeats(events: readonly DecodedEvent[], window: EventIdWindow | undefined): { kept: DecodedEvent[]; repeats: number } {
  if (!window) return { kept: [...events], repeats: 0 };
  const kept = events.filter((e) => !window.isRepeat(e.value.eventId, Number(e.offset)));
  return { kept, repeats: events.length - kept.length };
}

export type DedupedTable = Extract<TableName, 'predictions' | 'labels' | 'datasets'>;
