import { z } from 'zod';
import type { Limits } from '../../limits/index.ts';

// eslint-disable-next-line no-control-regex -- control characters are exactly what it refuses
export const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
// Strings that spell a non-finite number, where a number is also accepted (labels, predictions).
export const NON_FINITE_SPELLING = /^\s*[+-]?(nan|inf|infinity)\s*$/i;

/** An identifier: non-empty, no control characters, bounded. */
export const idString = (max: number) =>
  z.string().min(1, 'expected a non-empty string').max(max).regex(NO_CONTROL, 'expected no control characters');

export const text = (max: number) => z.string().max(max);

/**
 * The largest integer every reader of a 64-bit field holds exactly: avsc
 * encodes an Avro long from a JS number only up to ±(2^53 − 2); ClickHouse's
 * Int64 / UInt64 columns and a Python consumer's int hold more. Every long
 * the HTTP layer accepts is bounded by it, so what passes here encodes.
 */
export const MAX_LONG = 9_007_199_254_740_990;
/** Avro int (versions, topK); the ClickHouse columns (UInt32) hold more. */
export const MAX_INT = 2_147_483_647;

/** A non-negative Avro long: counts, sizes, steps, aggregate versions. */
export const long = () => z.number().int().min(0).max(MAX_LONG);

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * An event time in epoch ms, from `l.eventTimeMinMs` to now +
 * `l.eventTimeMaxAheadMs`: far-future times wrap in ClickHouse's DateTime and
 * crash Python consumers, and nothing real happens before 2000.
 */
export const eventTime = (l: Limits) =>
  z
    .number()
    .int()
    .superRefine((t, ctx) => {
      const max = Date.now() + l.eventTimeMaxAheadMs;
      if (t < l.eventTimeMinMs || t > max) {
        ctx.addIssue({ code: 'custom', input: t, message: `expected an event time in epoch milliseconds from ${iso(l.eventTimeMinMs)} to now + ${l.eventTimeMaxAheadMs} ms (${iso(max)}), got ${t}` });
      }
    })
    // The maximum moves with the clock; the document shows it as of its generation (at start-up).
    .meta({ minimum: l.eventTimeMinMs, maximum: Date.now() + l.eventTimeMaxAheadMs });

export const eventId = z.uuid().optional().describe('Client-chosen event id (UUID). Retrying with the same id never produces a second fact downstream.');
export const occurredAt = (l: Limits) =>
  eventTime(l)
    .optional()
    .describe(`Event time in epoch milliseconds, from ${iso(l.eventTimeMinMs)} to now + ${l.eventTimeMaxAheadMs} ms; default: when the gateway received it.`);
export const expectedVersion = long()
  .optional().describe('Optimistic concurrency: rejected with VERSION_CONFLICT unless the aggregate is at this version.');
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

/** Batches given as a map (params to log, tags to set) need an entry, as batch arrays do: an empty one would change nothing. */
const atLeastOne = (m: Record<string, unknown>, ctx: z.RefinementCtx) => {
  if (Object.keys(m).length === 0) ctx.addIssue({ code: 'too_small', origin: 'object', minimum: 1, inclusive: true, input: m, message: 'expected at least one entry (an empty batch changes nothing)' });
};

/** A string map that is a batch of its own (LogParams' params, SetTags' tags): at least one entry. */
export const stringBatch = (maxKeys: number, keyLength: number, valueLength: number) =>
  stringMap(maxKeys, keyLength, valueLength).superRefine(atLeastOne).meta({ minProperties: 1 });

export const numberMap = (maxKeys: number, keyLength: number) => z.record(idString(keyLength), z.number()).superRefine(tooMany(maxKeys));

export const tagsOf = (limits: Limits) => stringMap(limits.tagsPerBatch, limits.keyLength, limits.tagValueLength);

/** An accepted fact write. */
export const factsAccepted = z.object({
  accepted: z.number().int().describe('Records acknowledged by Kafka with acks=all.'),
  eventIds: z.array(z.string()).describe('Event id of each record, in request order.'),
});

export const eventRef = z.object({ type: z.string().describe('Avro record name, e.g. RunStarted (its full name, e.g. dev.mlstream.runs.RunStarted, is the Kafka ce_type).'), eventId: z.string(), topic: z.string(), partition: z.number().int(), offset: z.number().int().nullable() });

/** An applied command. */
export const commandAccepted = z.object({
  commandId: z.string(),
  aggregateId: z.string(),
  aggregateVersion: z.number().int().describe('Version of the run or model after the command (use as the next expectedVersion).'),
  events: z.array(eventRef),
});
