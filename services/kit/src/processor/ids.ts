import { createHash } from 'node:crypto';

/**
 * A UUID derived from `seed` (SHA-256, formatted with version 8 and the RFC
 * 4122 variant). Deciders' outputs must be reproducible on replay, so event
 * ids are a function of the command id, never random.
 */
export function deterministicUuid(seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}
