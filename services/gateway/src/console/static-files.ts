// What /ui answers for a path: which file of the built console, with which
// content type, cache policy and encoding. Pure; routes.ts does the I/O.

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.map': 'application/json; charset=utf-8',
};

export const INDEX = 'index.html';
const IMMUTABLE = 'public, max-age=31536000, immutable';

export type StaticAnswer =
  | { kind: 'file'; file: string; contentType: string; cacheControl: string; gzip: boolean }
  | { kind: 'missing'; name: string };

const extension = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot).toLowerCase() : '';
};

/**
 * The answer for `rest` (the path after /ui/, decoded) given the files of
 * the console folder: a known file; a path without an extension is a view of
 * the single-page app (index.html, the client routes it); a missing file with
 * an extension is a 404. Assets referenced with `?v=<hash>` (index.html does)
 * may be cached for a year; everything else is revalidated (no-cache).
 */
export function staticAnswer(rest: string, files: ReadonlySet<string>, options: { versioned: boolean; acceptsGzip: boolean }): StaticAnswer {
  const name = rest.replace(/^\/+/, '');
  const direct = name !== '' && !name.includes('/') && !name.includes('\\') && !name.startsWith('.') && !name.endsWith('.gz') && files.has(name);
  const looksLikeFile = extension(name.split('/').at(-1) ?? '') !== '' || name.split('/').some((segment) => segment.startsWith('.'));
  if (!direct && name !== '' && looksLikeFile) return { kind: 'missing', name };
  const file = direct ? name : INDEX;
  const contentType = TYPES[extension(file)] ?? 'application/octet-stream';
  const cacheControl = file !== INDEX && options.versioned ? IMMUTABLE : 'no-cache';
  return { kind: 'file', file, contentType, cacheControl, gzip: options.acceptsGzip && files.has(`${file}.gz`) };
}

/** Whether an Accept-Encoding header allows gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
