/** When failed deliveries are tried again (docs/webhooks.md#retries). */
export interface RetryPolicy {
  /** Attempts per delivery before it is dead-lettered (>= 1). */
  maxAttempts: number;
  /** Delay after the first failure, ms. */
  baseDelayMs: number;
  /** Largest delay, ms. */
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 300_000 };

export function checkRetryPolicy(p: RetryPolicy): RetryPolicy {
  if (!Number.isInteger(p.maxAttempts) || p.maxAttempts < 1) throw new TypeError(`maxAttempts must be a whole number >= 1, got ${p.maxAttempts}`);
  if (!(p.baseDelayMs >= 0) || !(p.maxDelayMs >= p.baseDelayMs)) throw new TypeError(`need 0 <= baseDelayMs <= maxDelayMs, got ${p.baseDelayMs} and ${p.maxDelayMs}`);
  return p;
}

/**
 * Delay before attempt `failed + 1`, after `failed` failures: exponential
 * (base · 2^(failed-1), capped) with "equal jitter": half of it fixed, the
 * other half uniform, so receivers recovering from an outage are not hit by
 * every subscription at the same instant, and a delay never collapses to 0.
 * `random` in [0, 1) is passed in (Math.random in the service, fixed in tests).
 * Undefined when no attempt is left: the delivery is dead-lettered.
 */
export function nextDelayMs(policy: RetryPolicy, failed: number, random: number): number | undefined {
  if (failed >= policy.maxAttempts) return undefined;
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failed - 1));
  return Math.round(exp / 2 + (exp / 2) * random);
}
