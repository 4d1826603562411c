import { describe, expect, it } from 'vitest';
import { MlstreamError, isMlstreamError } from '@mlstream/kit';
import { createAnswerCache, fingerprintOf } from './cache.ts';
import { requestIds } from './keys.ts';

describe('idempotency answer cache', () => {
  it('produces once and replays the first answer to a retry, even a concurrent one', async () => {
    const cache = createAnswerCache();
    let calls = 0;
    const produce = async () => ({ status: 202, body: { n: ++calls } });
    const [a, b] = await Promise.all([cache.run('k', 'f', produce), cache.run('k', 'f', produce)]);
    const c = await cache.run('k', 'f', produce);
    expect([a, b, c]).toEqual([{ status: 202, body: { n: 1 } }, { status: 202, body: { n: 1 } }, { status: 202, body: { n: 1 } }]);
    expect(calls).toBe(1);
  });

  it('rejects the same key with another request', async () => {
    const cache = createAnswerCache();
    await cache.run('k', 'f1', async () => ({ status: 202, body: {} }));
    await expect(cache.run('k', 'f2', async () => ({ status: 202, body: {} }))).rejects.toSatisfy((e) => isMlstreamError(e, 'IDEMPOTENCY_KEY_REUSED'));
  });

  it('forgets retriable failures, keeps final rejections', async () => {
    const cache = createAnswerCache();
    await expect(cache.run('down', 'f', async () => Promise.reject(new MlstreamError('KAFKA_UNAVAILABLE')))).rejects.toThrow();
    expect(await cache.run('down', 'f', async () => ({ status: 202, body: 'ok' }))).toEqual({ status: 202, body: 'ok' });
    await expect(cache.run('gone', 'f', async () => Promise.reject(new MlstreamError('RUN_NOT_FOUND')))).rejects.toThrow();
    await expect(cache.run('gone', 'f', async () => ({ status: 200, body: 'second' }))).rejects.toSatisfy((e) => isMlstreamError(e, 'RUN_NOT_FOUND'));
  });

  it('is bounded (least recently used first) and expires entries', async () => {
    let t = 0;
    const cache = createAnswerCache({ maxEntries: 2, ttlMs: 100, now: () => t });
    const answer = (body: string) => async () => ({ status: 202, body });
    await cache.run('a', 'f', answer('a1'));
    await cache.run('b', 'f', answer('b1'));
    await cache.run('a', 'f', answer('a2')); // touch a
    await cache.run('c', 'f', answer('c1')); // evicts b
    expect(cache.size).toBe(2);
    expect((await cache.run('b', 'f', answer('b2'))).body).toBe('b2');
    t = 1000;
    expect((await cache.run('c', 'f', answer('c2'))).body).toBe('c2');
  });

  it('fingerprints requests by content', () => {
    expect(fingerprintOf('POST', '/v1/x', { a: 1 })).toBe(fingerprintOf('POST', '/v1/x', { a: 1 }));
    expect(fingerprintOf('POST', '/v1/x', { a: 1 })).not.toBe(fingerprintOf('POST', '/v1/x', { a: 2 }));
  });
});

describe('request ids', () => {
  it('derives the same ids from the same API key and Idempotency-Key, others from other keys', () => {
    const a = requestIds('ci', 'key-1');
    expect(a.derive('event:0')).toBe(requestIds('ci', 'key-1').derive('event:0'));
    expect(a.derive('event:0')).not.toBe(a.derive('event:1'));
    expect(a.derive('event:0')).not.toBe(requestIds('other', 'key-1').derive('event:0'));
    expect(a.derive('event:0')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('uses random ids without a key and rejects a malformed key', () => {
    const none = requestIds('ci', undefined);
    expect(none.scope).toBeUndefined();
    expect(none.derive('x')).not.toBe(none.derive('x'));
    expect(() => requestIds('ci', 'has space')).toThrow(/Idempotency-Key/);
    expect(() => requestIds('ci', 'x'.repeat(256))).toThrow(/Idempotency-Key/);
  });
});
