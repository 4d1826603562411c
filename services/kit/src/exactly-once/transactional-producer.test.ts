import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import kafkajs from 'kafkajs';
import { MlstreamError } from '../errors/index.ts';
import { isFenced, transactionalIdOf, transactionalProducerSettings, whileConcurrentTransactions } from './transactional-producer.ts';

// The errors kafkajs itself raises for a broker error code (not hand-made look-alikes).
const { createErrorFromCode } = createRequire(import.meta.url)('kafkajs/src/protocol/error.js') as { createErrorFromCode: (code: number) => Error };

describe('isFenced', () => {
  it('recognizes INVALID_PRODUCER_EPOCH (47) and PRODUCER_FENCED (90, unnamed in kafkajs 2.2.4)', () => {
    expect(isFenced(createErrorFromCode(47))).toBe(true);
    expect(isFenced(createErrorFromCode(90))).toBe(true);
  });

  it('looks through the errors kafkajs wraps them in', () => {
    const fenced = createErrorFromCode(47);
    expect(isFenced(new kafkajs.KafkaJSNumberOfRetriesExceeded(fenced, { retryCount: 5, retryTime: 100 }))).toBe(true);
    expect(isFenced(new kafkajs.KafkaJSAggregateError('send failed', [createErrorFromCode(6), fenced]))).toBe(true);
    expect(isFenced(new Error('commit failed', { cause: fenced }))).toBe(true);
  });

  it('is false for every other failure, whatever its message says', () => {
    expect(isFenced(createErrorFromCode(48))).toBe(false); // INVALID_TXN_STATE
    expect(isFenced(createErrorFromCode(51))).toBe(false); // CONCURRENT_TRANSACTIONS
    expect(isFenced(new MlstreamError('KAFKA_UNAVAILABLE', 'broker epoch changed'))).toBe(false);
    expect(isFenced(new Error('leader epoch is stale'))).toBe(false);
    expect(isFenced(undefined)).toBe(false);
    expect(isFenced('fenced')).toBe(false);
  });
});

describe('transactional producer settings', () => {
  it('binds the transactional id to (group, partition), so the next owner of a partition fences the previous one', () => {
    expect(transactionalIdOf('p.mlstream-tracking', 3)).toBe('p.mlstream-tracking-3');
    expect(transactionalIdOf('g', 3)).not.toBe(transactionalIdOf('g', 4));
  });

  it('is idempotent, one request in flight, unbounded retries and a 30 s transaction timeout', () => {
    expect(transactionalProducerSettings).toMatchObject({ idempotent: true, maxInFlightRequests: 1, transactionTimeout: 30_000, retry: { retries: Number.MAX_SAFE_INTEGER } });
  });
});

describe('whileConcurrentTransactions', () => {
  it("retries the broker's CONCURRENT_TRANSACTIONS (51) until the request goes through", async () => {
    let calls = 0;
    const answer = await whileConcurrentTransactions(
      async () => {
        calls += 1;
        if (calls < 3) throw createErrorFromCode(51);
        return 'added';
      },
      10,
      1,
    );
    expect(answer).toBe('added');
    expect(calls).toBe(3);
  });

  it('gives up after its attempts, and never retries another error (a fenced producer must not try again)', async () => {
    let calls = 0;
    await expect(
      whileConcurrentTransactions(
        async () => {
          calls += 1;
          throw createErrorFromCode(51);
        },
        3,
        1,
      ),
    ).rejects.toMatchObject({ type: 'CONCURRENT_TRANSACTIONS' });
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      whileConcurrentTransactions(
        async () => {
          calls += 1;
          throw createErrorFromCode(47);
        },
        3,
        1,
      ),
    ).rejects.toMatchObject({ type: 'INVALID_PRODUCER_EPOCH' });
    expect(calls).toBe(1);
  });
});
