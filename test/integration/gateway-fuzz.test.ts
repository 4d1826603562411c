import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveCatalog, readToEnd, type RunningService } from '@mlstream/kit';
import { testKafka, uniqueName, applyTestTopics, startCommandProcessors } from '../helpers/index.ts';
import { prediction, startTestGateway, tokens, type TestGateway } from '../fixtures/gateway/index.ts';

// Hostile bodies, headers and paths to every endpoint: never a 5xx, never a
// crash, and nothing reaches Kafka for a request the gateway refused.
describe('gateway under malformed and hostile input', () => {
  const prefix = `${uniqueName('gwfuzz')}.`;
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('gateway-fuzz');
  let gw: TestGateway;
  const processors: RunningService[] = [];

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
    const env = { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_LOG_LEVEL: 'warn' };
    // Real processors, so a command that happens to be valid gets a real answer, not a timeout.
    processors.push(...(await startCommandProcessors(env)));
    gw = await startTestGateway({ prefix });
    await gw.commandsReady;
  });
  afterAll(async () => {
    await gw?.stop();
    await Promise.all(processors.map((p) => p.stop()));
  });

  const endpoints: Array<{ method: string; path: (seg: string) => string; sample: unknown; kind: 'facts' | 'command' | 'stream'; field?: string }> = [
    { method: 'POST', path: () => '/v1/predictions', sample: { predictions: [prediction(1)] }, kind: 'facts', field: 'predictions' },
    { method: 'POST', path: () => '/v1/feedback', sample: { labels: [{ requestId: 'r', model: 'm', label: 1 }] }, kind: 'facts', field: 'labels' },
    { method: 'POST', path: (s) => `/v1/datasets/${s}/versions`, sample: { version: 'v', uri: 's3://x', contentSha256: 'b'.repeat(64), rowCount: 1 }, kind: 'facts' },
    { method: 'POST', path: () => '/v1/runs', sample: { experiment: 'e' }, kind: 'command' },
    { method: 'POST', path: (s) => `/v1/runs/${s}/params`, sample: { params: { a: '1' } }, kind: 'command' },
    { method: 'POST', path: (s) => `/v1/runs/${s}/metrics`, sample: { metrics: [{ key: 'k', value: 1 }] }, kind: 'command' },
    { method: 'POST', path: (s) => `/v1/runs/${s}/tags`, sample: { tags: { a: 'b' } }, kind: 'command' },
    { method: 'POST', path: (s) => `/v1/runs/${s}/inputs`, sample: { inputs: [{ datasetId: 'd', version: 'v' }] }, kind: 'command' },
    { method: 'POST', path: (s) => `/v1/runs/${s}/artifacts`, sample: { name: 'n', uri: 'u' }, kind: 'command' },
    { method: 'POST', path: (s) => `/v1/runs/${s}/finish`, sample: { status: 'FAILED' }, kind: 'command' },
    { method: 'POST', path: (s) => `/v1/models/${s}/versions`, sample: { artifactUri: 's3://m' }, kind: 'command' },
    { method: 'POST', path: (s) => `/v1/models/${s}/versions/1/stage`, sample: { stage: 'STAGING' }, kind: 'command' },
    { method: 'PUT', path: (s) => `/v1/models/${s}/aliases/champion`, sample: { version: 1 }, kind: 'command' },
    { method: 'DELETE', path: (s) => `/v1/models/m/aliases/${s}`, sample: undefined, kind: 'command' },
    { method: 'GET', path: () => '/v1/streams/retrain', sample: undefined, kind: 'stream' },
    { method: 'GET', path: () => '/v1/streams/drift', sample: undefined, kind: 'stream' },
  ];

  const hostileValue = fc.oneof(
    fc.anything({ maxDepth: 3 }),
    fc.constantFrom('NaN', 'Infinity', '-inf', '', ' ', '\u0000', '__proto__', 'x'.repeat(7000), '😀'.repeat(300), '\ud800', 1e308, -0, 2 ** 63, -1, 0.5),
    fc.string({ maxLength: 300 }),
  );
  /** A valid sample with one field replaced, removed or added at some depth. */
  const mutated = (sample: unknown) =>
    fc.tuple(fc.nat(), fc.constantFrom<'replace' | 'delete' | 'add'>('replace', 'delete', 'add'), hostileValue, fc.string({ maxLength: 20 })).map(([pick, op, value, key]) => {
      const copy = structuredClone(sample) as Record<string, unknown> | undefined;
      if (!copy || typeof copy !== 'object') return value;
      const containers: Array<Record<string, unknown>> = [];
      const walk = (o: unknown) => {
        if (o && typeof o === 'object') {
          containers.push(o as Record<string, unknown>);
          for (const v of Object.values(o)) walk(v);
        }
      };
      walk(copy);
      const target = containers[pick % containers.length]!;
      const keys = Object.keys(target);
      const k = keys.length ? keys[pick % keys.length]! : key;
      if (op === 'replace') target[k] = value;
      else if (op === 'delete') delete target[k];
      else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
      return copy;
    });

  const rawBody = (sample: unknown) =>
    fc.oneof(
      mutated(sample).map((v) => JSON.stringify(v) ?? 'null'),
      fc.string({ maxLength: 200 }),
      fc.constantFrom('{', '[]', 'null', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', JSON.stringify(sample ?? {}).replace(/1/, '1e400'), '\ufeff{}'),
      fc.constant(JSON.stringify(sample ?? {})),
    );

  const segment = fc.oneof(fc.string({ minLength: 1, maxLength: 40 }), fc.constantFrom('..', '%00', '%2e%2e', 'a%2Fb', '%', '%E0%A4%A', 'x'.repeat(1200), '😀', 'a b', 'r1'));
  const headerValue = fc.oneof(fc.string({ maxLength: 100 }), fc.constantFrom('Bearer', `Bearer ${tokens.admin}`, `bearer  ${tokens.admin}`, `Bearer ${tokens.reader}`, 'Basic x', ''));

  it('answers every request with a problem or a success, never a 5xx, and produces nothing for a refused one', async () => {
    let acceptedFacts = 0;
    let sentCommands = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: endpoints.length - 1 }),
        fc.record({
          body: fc.nat().chain((n) => (n % 2 ? rawBody(endpoints[n % endpoints.length]!.sample) : rawBody(endpoints[0]!.sample))),
          seg: segment,
          auth: fc.option(headerValue, { nil: undefined }),
          contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'APPLICATION/JSON'),
          idempotencyKey: fc.option(fc.string({ maxLength: 300 }), { nil: undefined }),
          lastEventId: fc.option(fc.oneof(fc.string({ maxLength: 50 }), fc.constantFrom('0:0', '0:99999999999999999999', '0:1,0:2', '9:1')), { nil: undefined }),
          useSample: fc.boolean(),
        }),
        async (index, r) => {
          const ep = endpoints[index]!;
          const headers: Record<string, string> = {};
          const auth = r.auth ?? `Bearer ${tokens.admin}`;
          if (/^[\x20-\x7e]*$/.test(auth)) headers.authorization = auth;
          if (ep.method !== 'GET' && ep.method !== 'DELETE') headers['content-type'] = r.contentType;
          if (r.idempotencyKey !== undefined && /^[\x20-\x7e]*$/.test(r.idempotencyKey)) headers['idempotency-key'] = r.idempotencyKey;
          if (r.lastEventId !== undefined && /^[\x20-\x7e]*$/.test(r.lastEventId)) headers['last-event-id'] = r.lastEventId;
          const body = ep.method === 'GET' || ep.method === 'DELETE' ? undefined : r.useSample ? JSON.stringify(ep.sample) : r.body;
          const path = ep.path(encodeURIComponent(r.seg).length > 1500 ? r.seg.slice(0, 5) : r.seg.includes('%') ? r.seg : encodeURIComponent(r.seg));
          const res = await fetch(`${gw.url}${path}`, { method: ep.method, headers, body });
          if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
            await res.body?.cancel();
            expect(res.status).toBe(200);
            return;
          }
          const text = await res.text();
          expect(res.status, `${ep.method} ${path} -> ${text.slice(0, 300)}`).toBeLessThan(500);
          if (res.status >= 400) {
            expect(res.headers.get('content-type')).toContain('application/problem+json');
            const problem = JSON.parse(text) as { code: string; status: number; type: string };
            expect(problem.status).toBe(res.status);
            expect(problem.type).toBe(`urn:mlstream:error:${problem.code}`);
          }
          const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
          if (ep.kind === 'facts' && res.status === 202 && res.headers.get('idempotent-replayed') !== 'true') acceptedFacts += typeof parsed.accepted === 'number' ? parsed.accepted : 1;
          // A command the gateway sent is in the command topic whatever the processor decided (its answer names the command id).
          if (ep.kind === 'command' && typeof parsed.commandId === 'string' && res.headers.get('idempotent-replayed') !== 'true') sentCommands += 1;
        },
      ),
      { numRuns: 400, seed: 20261127 },
    );
    // The property means something only if some requests were accepted and some commands were sent.
    expect(acceptedFacts).toBeGreaterThan(0);
    expect(sentCommands).toBeGreaterThan(0);
    expect((await gw.call('GET', '/healthz', { token: null })).status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const count = async (stream: 'predictions' | 'feedback' | 'ingestion' | 'runs.commands' | 'registry.commands') => {
      let n = 0;
      await readToEnd({ kafka, topic: catalog.topic(stream), onMessage: () => void (n += 1) });
      return n;
    };
    const facts = (await count('predictions')) + (await count('feedback')) + (await count('ingestion'));
    expect(facts).toBe(acceptedFacts);
    expect((await count('runs.commands')) + (await count('registry.commands'))).toBe(sentCommands);
  });
});
