import type { RecordMetadata } from 'kafkajs';
import { MlstreamError } from '@mlstream/kit';
import type { Position } from '../views/types.ts';

/** The header that carries a consistency token between a write and later reads (docs/read-your-writes.md). */
export const CONSISTENCY_HEADER = 'x-mlstream-consistency';

const MAX_POSITIONS = 1000;

/** `topic:partition:offset,...`; topic names cannot contain `:`. */
export const formatToken = (positions: readonly Position[]): string => positions.map((p) => `${p.topic}:${p.partition}:${p.offset}`).join(',');

/** The positions a client passed; INVALID_REQUEST when the header is not a token. */
export function parseToken(header: string | string[] | undefined): Position[] {
  if (header === undefined) return [];
  const text = Array.isArray(header) ? header.join(',') : header;
  if (text.trim() === '') return [];
  const parts = text.split(',');
  if (parts.length > MAX_POSITIONS) throw new MlstreamError('INVALID_REQUEST', `${CONSISTENCY_HEADER}: at most ${MAX_POSITIONS} positions`);
  return parts.map((part) => {
    const m = /^([A-Za-z0-9._-]{1,249}):(\d{1,5}):(\d{1,19})$/.exec(part.trim());
    if (!m) throw new MlstreamError('INVALID_REQUEST', `${CONSISTENCY_HEADER}: expected topic:partition:offset[,...], got "${part.trim().slice(0, 300)}"`);
    return { topic: m[1]!, partition: Number(m[2]), offset: m[3]! };
  });
}

/** The position of the one record a produce request carried by itself (FactProducer `alone`). */
export const positionsOf = (acks: readonly RecordMetadata[]): Position[] => acks.map((a) => ({ topic: a.topicName, partition: a.partition, offset: a.baseOffset ?? '-1' }));
