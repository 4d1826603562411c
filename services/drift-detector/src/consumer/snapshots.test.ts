import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipSegments } from './snapshots.ts';

describe('snapshot compression', () => {
  it('gives gzip members that gunzip reads back as the one text, compressing a stable piece once', () => {
    const reference = { json: JSON.stringify({ values: Array.from({ length: 2000 }, (_, i) => i / 7) }) };
    const segments = ['{"streams":{"m|1":{"reference":', reference, ',"window":{"count":3}}},"models":{}}'];
    const text = segments.map((s) => (typeof s === 'string' ? s : s.json)).join('');
    const a = gzipSegments(segments);
    expect(gunzipSync(a).toString('utf8')).toBe(text);
    // The reference's member is reused byte for byte: the second snapshot differs only around it.
    const b = gzipSegments(['{"x":', reference, '}']);
    expect(gunzipSync(b).toString('utf8')).toBe(`{"x":${reference.json}}`);
    expect(gunzipSync(gzipSegments(['{}'])).toString('utf8')).toBe('{}');
    expect(gunzipSync(gzipSegments([reference])).toString('utf8')).toBe(reference.json);
  });
});
