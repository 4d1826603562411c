import { createHash } from 'node:crypto';
import { MlstreamError, isMlstreamError } from '@mlstream/kit';

/** What a handler answered: replayed as is to a retry with the same Idempotency-Key. */
export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export interface AnswerCacheOptions {
  /** Entries kept (least recently used evicted first); default 10 000. */
  maxEntries?: number;
  /** How long an answer is replayed, in ms; default 24 h. */
  ttlMs?: number;
  /** Injected for tests; default Date.now. */
  now?: () => number;
}

type Entry = { fingerprint: string; expires: number; outcome: Promise<Answer> };

export interface AnswerCache {
  /**
   * Runs `produce` once per key: a concurrent or later call with the same key
   * and fingerprint gets the same answer (or the same non-retriable error);
   * the same key with another fingerprint is IDEMPOTENCY_KEY_REUSED. A
   * retriable failure (Kafka down, timeout) is forgotten, so a retry tries again.
   */
  run(key: string, fingerprint: string, produce: () => Promise<Answer>): Promise<Answer>;
  readonly size: number;
}

export function createAnswerCache(options: AnswerCacheOptions = {}): AnswerCache {
  const maxEntries = options.maxEntries ?? 10_000;
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const now = options.now ?? Date.now;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError('createAnswerCache: `maxEntries` must be a positive integer');
  if (!(ttlMs > 0)) throw new TypeError('createAnswerCache: `ttlMs` must be positive');
  // A Map iterates in insertion order: re-inserting on use makes it an LRU.
  const entries = new Map<string, Entry>();
  return {
    get size() {
      return entries.size;
    },
    run(key, fingerprint, produce) {
      const found = entries.get(key);
      if (found && found.expires > now()) {
        if (found.fingerprint !== fingerprint) {
          return Promise.reject(new MlstreamError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was already used for a different request; use a new key for a new request'));
        }
        entries.delete(key);
        entries.set(key, found);
        return found.outcome;
      }
      const outcome = produce();
      const entry: Entry = { fingerprint, expires: now() + ttlMs, outcome };
      entries.delete(key);
      entries.set(key, entry);
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      outcome.catch((error: unknown) => {
        const keep = isMlstreamError(error) && !error.retriable;
        if (!keep && entries.get(key) === entry) entries.delete(key);
      });
      return outcome;
    },
  };
}

export const fingerprintOf = (...parts: unknown[]): string => createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
