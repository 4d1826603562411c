import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { deterministicUuid } from './ids.ts';

/** The formatting before the fast path: ids already in the event log must come out the same. */
function reference(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

describe('deterministicUuid', () => {
  it('is the SHA-256 of the seed with version 8 and the RFC 4122 variant, as before', () => {
    for (const seed of ['', 'c1:0', 'c1:result', 'cmd-3-17:result:42', 'ünïcödé:1', 'x'.repeat(500)]) {
      expect(deterministicUuid(seed)).toBe(reference(seed));
      expect(deterministicUuid(seed)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});
