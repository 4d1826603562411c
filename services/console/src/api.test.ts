import { describe, expect, it } from 'vitest';
import { ApiError, createApi, problemWords } from './api.ts';

const respond = (status: number, body: unknown) => async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status });

describe('console api: errors in words', () => {
  it('words a problem+json with its detail, field errors and code', () => {
    const words = problemWords(400, { status: 400, detail: 'the filter is not valid', code: 'INVALID_REQUEST', errors: [{ path: 'query.filter', message: "unexpected token 'AND'" }] }, '/v1/x');
    expect(words).toBe("The request was refused: the filter is not valid (query.filter: unexpected token 'AND') [INVALID_REQUEST]");
  });

  it('asks for a key on 401 and names the scope problem on 403', () => {
    expect(problemWords(401, { detail: 'the API key is not valid' }, '/v1/x')).toBe('The gateway did not accept the API key: the API key is not valid. Enter a key with the read scope.');
    expect(problemWords(403, undefined, '/v1/x')).toBe('The API key may not read this.');
  });

  it('says what is missing, and when to retry', () => {
    expect(problemWords(404, { detail: 'no run r1' }, '/v1/runs/r1')).toBe('Not found: no run r1.');
    expect(problemWords(404, undefined, '/v1/runs/r1')).toBe('Nothing at /v1/runs/r1.');
    expect(problemWords(503, { detail: 'Kafka is unavailable' }, '/v1/x')).toBe('The gateway is not ready (Kafka is unavailable); retry in a few seconds.');
    expect(problemWords(500, { detail: 'internal error' }, '/v1/x')).toBe('The gateway failed: internal error');
    expect(problemWords(502, undefined, '/v1/x')).toBe('The gateway answered /v1/x with HTTP 502.');
  });

  it('sends the key as a Bearer token and returns the JSON body', async () => {
    let seen: Record<string, string> = {};
    const api = createApi({ fetch: async (_url, init) => ((seen = init?.headers as Record<string, string>), new Response('{"ok":1}')) });
    api.setKey('k1');
    await expect(api.get('/v1/experiments')).resolves.toEqual({ ok: 1 });
    expect(seen.authorization).toBe('Bearer k1');
  });

  it('throws ApiError with words for problems, non-JSON answers and network failures', async () => {
    const failed = await createApi({ fetch: respond(401, { detail: 'send the API key' }) }).get('/v1/runs/a').catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ApiError);
    expect((failed as ApiError).needsKey).toBe(true);
    const html = await createApi({ fetch: respond(200, '<html>') }).get('/v1/x').catch((e: ApiError) => e.words);
    expect(html).toBe('The gateway answered /v1/x with something that is not JSON.');
    const down = await createApi({ fetch: async () => Promise.reject(new TypeError('fetch failed')) }).get('/v1/x').catch((e: ApiError) => e.words);
    expect(down).toBe('Could not reach the gateway for /v1/x (fetch failed); is `npm start` running?');
  });
});
