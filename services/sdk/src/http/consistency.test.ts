import { describe, expect, it } from 'vitest';
import { createHttp } from './client.ts';

describe('http: the consistency token a client carries from writes to reads', () => {
  it('keeps the highest offset per partition from write answers and sends it with every read', async () => {
    const seen: Array<string | undefined> = [];
    const answers = ['t:0:5,u:1:2', 't:0:3', 't:1:9', null];
    let i = 0;
    const fake: typeof fetch = async (_url, init) => {
      seen.push((init?.headers as Record<string, string>)['x-mlstream-consistency']);
      const header = answers[i++ % answers.length];
      return new Response('{}', { status: 200, headers: header ? { 'x-mlstream-consistency': header } : {} });
    };
    const http = createHttp({ baseUrl: 'http://gw', apiKey: 'k', fetch: fake });
    await http.request('GET', '/v1/runs/a');
    await http.request('POST', '/v1/runs', { body: {} });
    await http.request('POST', '/v1/runs', { body: {} });
    await http.request('POST', '/v1/runs', { body: {} });
    await http.request('GET', '/v1/runs/a');
    expect(seen[0]).toBeUndefined();
    expect(seen.slice(1, 4)).toEqual([undefined, undefined, undefined]); // writes never carry it
    expect(seen[4]).toBe('t:0:5,u:1:2,t:1:9');
    expect(http.consistency()).toBe('t:0:5,u:1:2,t:1:9');
  });
});
