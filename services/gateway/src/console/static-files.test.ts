import { describe, expect, it } from 'vitest';
import { acceptsGzip, staticAnswer } from './static-files.ts';

const files = new Set(['index.html', 'index.html.gz', 'app.js', 'app.js.gz', 'app.css', '.stamp']);
const plain = { versioned: false, acceptsGzip: false };

describe('console static files', () => {
  it('serves index.html for /ui and every client route (SPA fallback), never cached', () => {
    for (const rest of ['', '/', 'experiments/3', 'runs/abc', 'models/churn/drift']) {
      expect(staticAnswer(rest, files, plain)).toEqual({ kind: 'file', file: 'index.html', contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache', gzip: false });
    }
  });

  it('serves assets with their content type, a year of cache when versioned', () => {
    expect(staticAnswer('app.js', files, { versioned: true, acceptsGzip: true })).toEqual({ kind: 'file', file: 'app.js', contentType: 'text/javascript; charset=utf-8', cacheControl: 'public, max-age=31536000, immutable', gzip: true });
    expect(staticAnswer('app.css', files, plain)).toMatchObject({ file: 'app.css', contentType: 'text/css; charset=utf-8', cacheControl: 'no-cache', gzip: false });
  });

  it('answers 404 for missing files, hidden files, .gz twins and anything outside the folder', () => {
    for (const rest of ['nope.js', '.stamp', 'app.js.gz', '../package.json', 'runs/app.js', '..%2fx.js']) {
      expect(staticAnswer(rest, files, plain).kind).toBe('missing');
    }
  });

  it('reads Accept-Encoding', () => {
    expect(acceptsGzip('gzip, deflate, br')).toBe(true);
    expect(acceptsGzip('br;q=1.0, gzip;q=0')).toBe(false);
    expect(acceptsGzip('*')).toBe(true);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(acceptsGzip('identity')).toBe(false);
  });
});
