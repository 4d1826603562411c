import { describe, expect, it } from 'vitest';
import { checkRetryPolicy, defaultRetryPolicy, nextDelayMs } from './retry.ts';

describe('retry schedule', () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 4_000 };

  it('doubles from the base, capped, with half of each delay jittered', () => {
    expect([1, 2, 3, 4].map((n) => nextDelayMs(policy, n, 0))).toEqual([500, 1_000, 2_000, 2_000]);
    expect([1, 2, 3, 4].map((n) => nextDelayMs(policy, n, 0.999_999))).toEqual([1_000, 2_000, 4_000, 4_000]);
  });

  it('has no delay after the last attempt: the delivery is dead-lettered', () => {
    expect(nextDelayMs(policy, 5, 0.5)).toBeUndefined();
    expect(nextDelayMs({ ...policy, maxAttempts: 1 }, 1, 0.5)).toBeUndefined();
  });

  it('by default spans about 8 to 17 minutes over 10 attempts before a dead letter', () => {
    const total = (r: number) => Array.from({ length: 9 }, (_, i) => nextDelayMs(defaultRetryPolicy, i + 1, r)!).reduce((a, b) => a + b, 0);
    expect(total(0)).toBe(255_500);
    expect(total(0.999_999)).toBeCloseTo(511_000, -1);
  });

  it('refuses a policy that cannot work, saying why', () => {
    expect(() => checkRetryPolicy({ ...policy, maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => checkRetryPolicy({ ...policy, maxDelayMs: 10 })).toThrow(/baseDelayMs <= maxDelayMs/);
  });
});
