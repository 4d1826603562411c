import { z } from 'zod';
import type { Limits } from '../../limits/index.ts';

// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
// Strings that spell a non-finite number, where a number is also accepted (labels, predictions).
const NON_FINITE_SPELLING = /^\s*[+-]?(nan|inf|infinity)\s*$/i;

/** An identifier: non-empty, no control characters, bounded. */
export const idString = (max: number) =>
  z.string().min(1, 'expected a non-empty string').max(max).regex(NO_CONTROL, 'expected no control characters');

export const text = (max: number) => z.string().max(max);

export const eventId = z.uuid().optional().describe('Client-chosen event id (UUID). Retrying with the same id never produces a second fact downstream.');
export const occurredAt = z
  .number()
  .int()
  .min(0)
  .max(8_640_000_000_000_000)
  .optional()
  .describe('Event time in epoch milliseconds; default: when the gateway received it.');
export const expectedVersion = z.number().int().min(0).optional().describe('Optimistic concurrency: rejected with VERSION_CONFLICT unless the aggregate is at this version.');
export const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits');

/** A number or a label string; a string that spells NaN or Infinity is refused. */
export const numberOrLabel = (max: number) =>
  z.union([
    z.number(),
    z
      .string()
      .min(1)
      .max(max)
      .refine((s) => !NON_FINITE_SPELLING.test(s), 'expected a finite number or a label, not a non-finite number spelled as a string'),
  ]);

const tooMany = (maxKeys: number) => (m: Record<string, unknown>, ctx: z.RefinementCtx) => {
  const n = Object.keys(m).length;
  if (n > maxKeys) ctx.addIssue({ code: 'too_big', origin: 'object', maximum: maxKeys, inclusive: true, message: `expected at most ${maxKeys} entries, got ${n}` });
};

/** A string map with at most `maxKeys` entries, keys up to `keyLength` and values up to `valueLength`. */
export const stringMap = (maxKeys: number, keyLength: number, valueLength: number) =>
  z.record(idString(keyLength), z.string().max(valueLength)).superRefine(tooMany(maxKeys));

export const numberMap = (maxKeys: number, keyLength: number) => z.record(idString(keyLength), z.number()).superRefine(tooMany(maxKeys));

export const tagsOf = (limits: Limits) => stringMap(limits.tagsPerBatch, limits.keyLength, limits.tagValueLength);

/** An accepted fact write. */
export const factsAccepted = z.object({
  accepted: z.number().int().describe('Records acknowledged by Kafka with acks=all.'),
  eventIds: z.array(z.string()).describe('Event id of each record, in request order.'),
});

export const eventRef = z.object({ type: z.string(), eventId: z.string(), topic: z.string(), partition: z.number().int(), offset: z.number().int().nullable() });

/** An applied command. */
export const commandAccepted = z.object({
  commandId: z.string(),
  aggregateId: z.string(),
  aggregateVersion: z.number().int().describe('Version of the run or model after the command (use as the next expectedVersion).'),
  events: z.array(eventRef),
});
