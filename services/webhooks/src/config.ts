import { z } from 'zod';
import { loadConfig, type Env } from '@mlstream/kit';
import { checkRetryPolicy, defaultRetryPolicy, type RetryPolicy } from './domain/index.ts';

export interface WebhooksConfig {
  policy: RetryPolicy;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  /** Source records per transaction (see docs/webhooks.md#crash-semantics). */
  maxBatch: number;
}

const int = (fallback: number, min: number, what: string) => z.coerce.number({ message: `expected ${what}` }).int(`expected ${what}`).min(min, `expected ${what} (at least ${min})`).default(fallback);

/** The deliverer's settings from the environment (docs/webhooks.md#configuration). */
export function loadWebhooksConfig(env: Env = process.env): WebhooksConfig {
  const c = loadConfig(
    z.object({
      MLSTREAM_WEBHOOKS_MAX_ATTEMPTS: int(defaultRetryPolicy.maxAttempts, 1, 'a number of attempts before a delivery is dead-lettered'),
      MLSTREAM_WEBHOOKS_RETRY_BASE_MS: int(defaultRetryPolicy.baseDelayMs, 0, 'milliseconds before the first retry'),
      MLSTREAM_WEBHOOKS_RETRY_MAX_MS: int(defaultRetryPolicy.maxDelayMs, 0, 'the longest delay between attempts, ms'),
      MLSTREAM_WEBHOOKS_TIMEOUT_MS: int(10_000, 1, 'milliseconds a receiver has to answer'),
      MLSTREAM_WEBHOOKS_BATCH: int(20, 1, 'source records per transaction'),
    }),
    env,
  );
  const policy = checkRetryPolicy({ maxAttempts: c.MLSTREAM_WEBHOOKS_MAX_ATTEMPTS, baseDelayMs: c.MLSTREAM_WEBHOOKS_RETRY_BASE_MS, maxDelayMs: Math.max(c.MLSTREAM_WEBHOOKS_RETRY_MAX_MS, c.MLSTREAM_WEBHOOKS_RETRY_BASE_MS) });
  return { policy, timeoutMs: c.MLSTREAM_WEBHOOKS_TIMEOUT_MS, maxBatch: c.MLSTREAM_WEBHOOKS_BATCH };
}
