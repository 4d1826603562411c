import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCatalog } from '@mlstream/kit';
import { applyTestTopics, testKafka, uniqueName } from '../helpers/index.ts';
import { startTestGateway, type TestGateway } from '../fixtures/gateway/index.ts';

const buildScript = path.resolve(import.meta.dirname, '../../services/console/build.mjs');

// The console at /ui: a real build (services/console/build.mjs) served by a real gateway.
describe('gateway: the console at /ui', () => {
  const prefix = `${uniqueName('gwui')}.`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstream-console-'));
  const outDir = path.join(dir, 'dist');
  let gw: TestGateway;
  const get = (p: string, headers: Record<string, string> = {}) => fetch(`${gw.url}${p}`, { headers });

  beforeAll(async () => {
    const build = (await import(pathToFileURL(buildScript).href)) as { buildConsole(o: { outDir: string; log: (l: string) => void }): Promise<unknown> };
    await build.buildConsole({ outDir, log: () => {} });
    await applyTestTopics(testKafka('gateway-console'), resolveCatalog(prefix));
    gw = await startTestGateway({ prefix, env: { MLSTREAM_CONSOLE_DIR: outDir } });
    await gw.commandsReady;
  });
  afterAll(async () => {
    await gw?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at /ui without a key, never cached, referencing versioned assets', async () => {
    const res = await get('/ui');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const html = await res.text();
    expect(html).toContain('<div id="app"></div>');
    expect(html).toMatch(/src="\/ui\/app\.js\?v=[0-9a-f]{12}"/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves app.js as JavaScript, gzipped when asked, cached a year when versioned', async () => {
    const plain = await get('/ui/app.js', { 'accept-encoding': 'identity' });
    expect(plain.status).toBe(200);
    expect(plain.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(plain.headers.get('content-encoding')).toBeNull();
    const js = Buffer.from(await plain.arrayBuffer());
    expect(js.toString()).toBe(fs.readFileSync(path.join(outDir, 'app.js'), 'utf8'));
    // undici decompresses by itself; read the raw bytes with node's http to see the encoding.
    const http = await import('node:http');
    const raw = await new Promise<{ headers: Record<string, unknown>; body: Buffer }>((resolve, reject) => {
      http
        .get(`${gw.url}/ui/app.js?v=abc`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
        })
        .on('error', reject);
    });
    expect(raw.headers['content-encoding']).toBe('gzip');
    expect(raw.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(gunzipSync(raw.body).equals(js)).toBe(true);
    const css = await get('/ui/app.css');
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers every client route with index.html (deep links) and HEAD as GET without a body', async () => {
    for (const p of ['/ui/', '/ui/experiments/0?filter=metrics.acc%20%3E%200.9', '/ui/runs/abc', '/ui/models/churn/drift']) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(await res.text()).toContain('<div id="app"></div>');
    }
    const head = await fetch(`${gw.url}/ui/runs/abc`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('text/html; charset=utf-8');
  });

  it('answers 404 problems for missing files and never serves outside its folder', async () => {
    for (const p of ['/ui/nope.js', '/ui/.stamp', '/ui/app.js.gz', '/ui/..%2f..%2fpackage.json', '/ui/../package.json']) {
      const res = await get(p);
      expect(res.status, p).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
    }
  });

  it('still requires a key for the API the console calls', async () => {
    const res = await get('/v1/experiments');
    expect(res.status).toBe(401);
    const ok = await gw.call('GET', '/v1/experiments');
    expect(ok.status).toBe(200);
  });
});
