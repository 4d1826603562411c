import { MlstreamError } from '@mlstream/kit';
import type { Position } from './types.ts';

/** The header that carries a consistency token: comma-separated `topic:partition:offset`. */
export const CONSISTENCY_HEADER = 'x-mlstream-consistency';

const MAX_POSITIONS = 1_000;
// Kafka topic names use [a-zA-Z0-9._-] only, so the last two colons delimit partition and offset.
const POSITION = /^([A-Za-z0-9._-]{1,249}):(\d{1,9}):(\d{1,16})$/;

export function formatConsistency(positions: readonly Position[]): string {
  return positions.map((p) => `${p.topic}:${p.partition}:${p.offset}`).join(',');
}

/** Parses the header (repeated headers are joined); empty or absent means no positions; malformed is INVALID_REQUEST. */
export function parseConsistency(header: string | string[] | undefined): Position[] {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  if (!text.trim()) return [];
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  if (parts.length > MAX_POSITIONS) throw new MlstreamError('INVALID_REQUEST', `X-Mlstream-Consistency holds more than ${MAX_POSITIONS} positions`);
  return parts.map((part) => {
    const m = POSITION.exec(part);
    const offset = m ? Number(m[3]) : NaN;
    if (!m || !Number.isSafeInteger(offset)) {
      throw new MlstreamError('INVALID_REQUEST', `X-Mlstream-Consistency: "${part.slice(0, 100)}" is not topic:partition:offset`, { details: { header: CONSISTENCY_HEADER } });
    }
    return { topic: m[1]!, partition: Number(m[2]), offset };
  });
}
