import { hash } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/**
 * A UUID derived from `seed` (SHA-256, formatted with version 8 and the RFC
 * 4122 variant). Deciders' outputs must be reproducible on replay, so event
 * ids are a function of the command id, never random. Two per command on the
 * processors' hot path: one-shot `crypto.hash` and a byte-to-hex table cost a
 * third of createHash + toString('hex') + slices (same output).
 */
export function deterministicUuid(seed: string): string {
  const h = hash('sha256', seed, 'buffer') as unknown as Buffer;
  const x = (i: number) => HEX[h[i]!]!;
  return `${x(0)}${x(1)}${x(2)}${x(3)}-${x(4)}${x(5)}-${HEX[(h[6]! & 0x0f) | 0x80]}${x(7)}-${HEX[(h[8]! & 0x3f) | 0x80]}${x(9)}-${x(10)}${x(11)}${x(12)}${x(13)}${x(14)}${x(15)}`;
}
