import { describe, expect, it } from 'vitest';
import { loadWebhooksConfig } from './config.ts';

describe('webhooks settings', () => {
  it('defaults: 10 attempts from 1 s up to 5 min apart, 10 s per request, 20 records per transaction', () => {
    expect(loadWebhooksConfig({})).toEqual({ policy: { maxAttempts: 10, baseDelayMs: 1_000, maxDelayMs: 300_000 }, timeoutMs: 10_000, maxBatch: 20 });
  });

  it('names the variable and what it expects', () => {
    expect(() => loadWebhooksConfig({ MLSTREAM_WEBHOOKS_MAX_ATTEMPTS: '0' })).toThrow(/MLSTREAM_WEBHOOKS_MAX_ATTEMPTS.*at least 1/s);
    expect(() => loadWebhooksConfig({ MLSTREAM_WEBHOOKS_TIMEOUT_MS: 'soon' })).toThrow(/MLSTREAM_WEBHOOKS_TIMEOUT_MS/);
  });

  it('never lets the largest delay fall below the base', () => {
    expect(loadWebhooksConfig({ MLSTREAM_WEBHOOKS_RETRY_BASE_MS: '5000', MLSTREAM_WEBHOOKS_RETRY_MAX_MS: '100' }).policy).toMatchObject({ baseDelayMs: 5_000, maxDelayMs: 5_000 });
  });
});
