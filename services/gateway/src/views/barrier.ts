import { MlstreamError } from '@mlstream/kit';
import { tpOf } from './fold.ts';
import type { Position } from './types.ts';

export interface BarrierOptions {
  /** Next offset to apply of `topic:partition` (every offset below it has been applied). */
  applied: (tp: string) => number;
  /** Default wait before a barrier gives up with KAFKA_UNAVAILABLE. */
  timeoutMs: number;
}

export interface Barrier {
  /** Records positions a client was told about. */
  written(positions: readonly Position[]): void;
  /** Resolves once every position written so far, and `extra`, is applied. */
  wait(extra?: readonly Position[], timeoutMs?: number): Promise<void>;
  /** Call after the view applied records: wakes the waiters it satisfied. */
  progressed(): void;
  /** Rejects every current waiter (the view stopped following); later waits proceed as usual. */
  fail(error: Error): void;
  /** Waiters not yet satisfied (tests and metrics). */
  waiting(): number;
}

type Waiter = { target: Map<string, number>; resolve: () => void; reject: (error: Error) => void };

/**
 * Read-your-writes without polling: a waiter holds the highest offset it
 * needs per partition and is woken by the view's progress. The required
 * offsets of `written` are kept as one maximum per partition, so a barrier
 * costs as many comparisons as the view has partitions.
 */
export function createBarrier(options: BarrierOptions): Barrier {
  const { applied } = options;
  /** Highest written offset per `topic:partition`. */
  const required = new Map<string, number>();
  const waiters = new Set<Waiter>();

  const reached = (target: Map<string, number>) => {
    for (const [tp, offset] of target) if (applied(tp) <= offset) return false;
    return true;
  };
  const raise = (into: Map<string, number>, p: Position) => {
    const tp = tpOf(p.topic, p.partition);
    const offset = Number(p.offset);
    if (Number.isFinite(offset) && offset > (into.get(tp) ?? -1)) into.set(tp, offset);
  };
  const unavailable = (cause: Error) => new MlstreamError('KAFKA_UNAVAILABLE', `the read view stopped following its topics: ${cause.message}`, { cause });

  return {
    written(positions) {
      for (const p of positions) raise(required, p);
    },

    async wait(extra = [], timeoutMs = options.timeoutMs) {
      const target = new Map<string, number>();
      for (const [tp, offset] of required) if (applied(tp) <= offset) target.set(tp, offset);
      for (const p of extra) raise(target, p);
      if (reached(target)) return;
      let timer: NodeJS.Timeout | undefined;
      const waiter: Waiter = { target, resolve: () => {}, reject: () => {} };
      try {
        await new Promise<void>((resolve, reject) => {
          Object.assign(waiter, { resolve, reject });
          waiters.add(waiter);
          timer = setTimeout(() => {
            const behind = [...target].filter(([tp, offset]) => applied(tp) <= offset).map(([tp, offset]) => `${tp}:${offset}`);
            reject(new MlstreamError('KAFKA_UNAVAILABLE', `the read view did not reach ${behind.join(', ')} within ${timeoutMs} ms`, { details: { behind } }));
          }, timeoutMs);
        });
      } finally {
        clearTimeout(timer);
        waiters.delete(waiter);
      }
    },

    progressed() {
      for (const w of waiters) if (reached(w.target)) w.resolve();
    },

    fail(error) {
      for (const w of waiters) w.reject(unavailable(error));
    },

    waiting: () => waiters.size,
  };
}
