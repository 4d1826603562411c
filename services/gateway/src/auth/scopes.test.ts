import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMlstreamError } from '@mlstream/kit';
import { authenticate } from './hook.ts';
import { bearerToken, createKeyRing, hasScope, parseApiKeys, scopes, sha256Hex, type Scope } from './keys.ts';

// One key per scope, each named after it; `admin` is the only scope that implies others.
const ring = createKeyRing(parseApiKeys(scopes.map((s) => `${s.replace(':', '-')}:${sha256Hex(`token-${s}`)}:${s}`).join(';')));
const principal = (scope: Scope) => ring.verify(`token-${scope}`)!;

describe('scopes', () => {
  it('each scope other than admin grants only itself', () => {
    for (const held of scopes.filter((s) => s !== 'admin')) {
      for (const wanted of scopes) expect(hasScope(principal(held), wanted), `${held} → ${wanted}`).toBe(held === wanted);
    }
  });

  it('admin grants every scope', () => {
    for (const wanted of scopes) expect(hasScope(principal('admin'), wanted), wanted).toBe(true);
  });
});

describe('the authenticate hook', () => {
  const app = Fastify();
  beforeAll(async () => {
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', authenticate(ring));
    app.setErrorHandler((error, _request, reply) => reply.code(isMlstreamError(error) ? error.status : 500).send({ code: isMlstreamError(error) ? error.code : 'INTERNAL' }));
    app.get('/v1/read', { config: { scope: 'read' } }, async (request) => ({ name: request.principal?.name }));
    app.post('/v1/runs', { config: { scope: 'write:runs' } }, async (request) => ({ name: request.principal?.name }));
    app.post('/v1/admin', { config: { scope: 'admin' } }, async () => ({}));
    app.get('/healthz', async () => ({ ok: true }));
    await app.ready();
  });
  afterAll(() => app.close());

  const call = (method: 'GET' | 'POST', url: string, token?: string) =>
    app.inject({ method, url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  it('lets a read key read, and refuses it every write (403 FORBIDDEN)', async () => {
    expect((await call('GET', '/v1/read', 'token-read')).json()).toEqual({ name: 'read' });
    const write = await call('POST', '/v1/runs', 'token-read');
    expect(write.statusCode).toBe(403);
    expect(write.json()).toEqual({ code: 'FORBIDDEN' });
    expect((await call('POST', '/v1/admin', 'token-read')).statusCode).toBe(403);
  });

  it('lets a write key write but not read', async () => {
    expect((await call('POST', '/v1/runs', 'token-write:runs')).json()).toEqual({ name: 'write-runs' });
    expect((await call('GET', '/v1/read', 'token-write:runs')).statusCode).toBe(403);
  });

  it('answers 401 without a key or with an unknown one; public routes need none', async () => {
    expect((await call('GET', '/v1/read')).statusCode).toBe(401);
    expect((await call('GET', '/v1/read', 'nope')).statusCode).toBe(401);
    expect((await call('GET', '/healthz')).statusCode).toBe(200);
  });
});

describe('reading keys and tokens strictly', () => {
  it('takes the Bearer scheme only at the start of the header, one space-separated token', () => {
    expect(bearerToken('Bearer  abc  ')).toBe('abc');
    expect(bearerToken('Basic Bearer abc')).toBeUndefined();
    expect(bearerToken('XBearer abc')).toBeUndefined();
    expect(bearerToken('Bearer abc x')).toBeUndefined();
  });

  it('refuses key names and hashes with anything before or after the allowed characters', () => {
    const hash = sha256Hex('t');
    expect(() => parseApiKeys(`bad name:${hash}:read`)).toThrow('key #1: name "bad name" must be 1-100 letters');
    expect(() => parseApiKeys(`ok/:${hash}:read`)).toThrow('must be 1-100 letters');
    expect(() => parseApiKeys(`ok:x${hash}:read`)).toThrow('expected the SHA-256 of the token as 64 hex digits');
    expect(() => parseApiKeys(`ok:${hash}x:read`)).toThrow('expected the SHA-256 of the token as 64 hex digits');
    expect(() => parseApiKeys(`:${hash}:read`)).toThrow('key #1: expected name:sha256:scope');
    expect(() => parseApiKeys('ok')).toThrow('key #1: expected name:sha256:scope');
    expect(parseApiKeys(`ok:${hash}: read , write:runs `)[0]!.scopes).toEqual(['read', 'write:runs']);
  });

  it('asks for the bearer scheme with WWW-Authenticate and says whether the key was missing or wrong', async () => {
    const app = Fastify();
    app.decorateRequest('principal', undefined);
    app.addHook('onRequest', authenticate(ring));
    app.setErrorHandler((error, _request, reply) => reply.code(isMlstreamError(error) ? error.status : 500).send({ message: (error as Error).message, details: isMlstreamError(error) ? error.details : undefined }));
    app.get('/v1/read', { config: { scope: 'read' } }, async () => ({}));
    app.post('/v1/runs', { config: { scope: 'write:runs' } }, async () => ({}));
    await app.ready();
    const missing = await app.inject({ method: 'GET', url: '/v1/read' });
    expect(missing.headers['www-authenticate']).toBe('Bearer realm="mlstream"');
    expect(missing.json().message).toMatch(/send the API key as "Authorization: Bearer <key>"/);
    expect((await app.inject({ method: 'GET', url: '/v1/read', headers: { authorization: 'Bearer nope' } })).json().message).toBe('the API key is not valid');
    const forbidden = await app.inject({ method: 'POST', url: '/v1/runs', headers: { authorization: 'Bearer token-read' } });
    expect(forbidden.json()).toEqual({ message: 'the API key "read" lacks the scope "write:runs"', details: { requiredScope: 'write:runs' } });
    await app.close();
  });
});
