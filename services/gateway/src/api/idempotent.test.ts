import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { createAnswerCache, fingerprintOf } from '../idempotency/index.ts';
import type { RouteDeps } from './deps.ts';
import { idempotent } from './respond.ts';

// `idempotent` on two write routes of an in-process fastify app: each answer
// says which route produced it, so a replay of the wrong answer shows.
describe('idempotent writes: one Idempotency-Key, several routes', () => {
  const app = Fastify();
  const produced: string[] = [];
  const deps = { answers: createAnswerCache(), now: () => 1_764_000_000_000 } as unknown as RouteDeps;

  beforeAll(async () => {
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', async (request) => {
      request.principal = { name: String(request.headers['x-actor'] ?? 'ci'), scopes: new Set(['admin']) };
    });
    app.setErrorHandler((error, _request, reply) => reply.code(isMlstreamError(error) ? error.status : 500).send({ code: isMlstreamError(error) ? error.code : 'INTERNAL' }));
    for (const route of ['/v1/runs/:runId/params', '/v1/runs/:runId/tags']) {
      app.post(route, (request, reply) =>
        idempotent(deps, request, reply, async (ctx) => {
          produced.push(request.url);
          return { status: 202, body: { route: request.url, commandId: ctx.ids.derive('command') } };
        }),
      );
    }
    await app.ready();
  });
  afterAll(() => app.close());

  const post = (url: string, key: string, body: object = { x: { a: '1' } }, actor = 'ci') =>
    app.inject({ method: 'POST', url, payload: body, headers: { 'idempotency-key': key, 'x-actor': actor } });

  it('replays the first answer to a retry on the same route, producing once', async () => {
    const first = await post('/v1/runs/r1/params', 'k-retry');
    const again = await post('/v1/runs/r1/params', 'k-retry');
    expect(first.statusCode).toBe(202);
    expect(first.headers['idempotent-replayed']).toBe('false');
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect(produced.filter((u) => u === '/v1/runs/r1/params')).toHaveLength(1);
  });

  it("refuses the same key with the same body on another route, never returning the first route's answer", async () => {
    const first = await post('/v1/runs/r1/params', 'k-route');
    expect(first.json()).toMatchObject({ route: '/v1/runs/r1/params' });
    const other = await post('/v1/runs/r1/tags', 'k-route');
    expect(other.statusCode).toBe(422);
    expect(other.json()).toEqual({ code: 'IDEMPOTENCY_KEY_REUSED' });
    const otherRun = await post('/v1/runs/r2/params', 'k-route');
    expect(otherRun.json()).toEqual({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses the same key with another body on the same route', async () => {
    await post('/v1/runs/r1/params', 'k-body', { x: { a: '1' } });
    expect((await post('/v1/runs/r1/params', 'k-body', { x: { a: '2' } })).json()).toEqual({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it("keeps two API keys' Idempotency-Keys apart", async () => {
    const a = await post('/v1/runs/r1/params', 'k-shared', { x: {} }, 'alice');
    const b = await post('/v1/runs/r1/tags', 'k-shared', { x: {} }, 'bob');
    expect(a.json()).toMatchObject({ route: '/v1/runs/r1/params' });
    expect(b.json()).toMatchObject({ route: '/v1/runs/r1/tags' });
    expect(b.json().commandId).not.toBe(a.json().commandId);
  });
});

describe('request fingerprints', () => {
  it('differ by method, URL and body', () => {
    const base = fingerprintOf('POST', '/v1/runs/r1/params', { a: 1 });
    expect(fingerprintOf('POST', '/v1/runs/r1/tags', { a: 1 })).not.toBe(base);
    expect(fingerprintOf('PUT', '/v1/runs/r1/params', { a: 1 })).not.toBe(base);
    expect(fingerprintOf('POST', '/v1/runs/r1/params', { a: 2 })).not.toBe(base);
    expect(fingerprintOf('POST', '/v1/runs/r1/params', { a: 1 })).toBe(base);
  });
});


describe('answer cache limits', () => {
  it('replays for 24 hours by default, and not a millisecond longer', async () => {
    let t = 0;
    const cache = createAnswerCache({ now: () => t });
    let n = 0;
    const produce = async () => ({ status: 202, body: ++n });
    await cache.run('k', 'f', produce);
    t = 24 * 60 * 60 * 1000 - 1;
    expect((await cache.run('k', 'f', produce)).body).toBe(1);
    t = 24 * 60 * 60 * 1000;
    expect((await cache.run('k', 'f', produce)).body).toBe(2);
  });

  it('checks its options', () => {
    expect(() => createAnswerCache({ maxEntries: 0 })).toThrow('`maxEntries` must be a positive integer');
    expect(() => createAnswerCache({ maxEntries: 1.5 })).toThrow('`maxEntries` must be a positive integer');
    expect(() => createAnswerCache({ ttlMs: 0 })).toThrow('`ttlMs` must be positive');
    expect(createAnswerCache({ maxEntries: 1, ttlMs: 1 }).size).toBe(0);
  });
});
