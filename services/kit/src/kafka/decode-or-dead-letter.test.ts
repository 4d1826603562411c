import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { MlstreamError, isMlstreamError, type ErrorCode } from '../errors/index.ts';
import { createLogger } from '../logging/index.ts';
import { createMetrics } from '../metrics/index.ts';
import type { DecodedEvent } from '../contracts/index.ts';
import { decodeFailure, decodeKnownOrDeadLetter, decodeOrDeadLetter, poisonCodes } from './decode-or-dead-letter.ts';

const message: KafkaMessage = { key: Buffer.from('m'), value: Buffer.from('x'), offset: '7', timestamp: '0', attributes: 0, headers: {} };
const record = { topic: 'p.mlops.feedback.v1', partition: 2, message };
const failing = (error: unknown) => ({ decode: async (): Promise<DecodedEvent> => Promise.reject(error) });
const thrown = async (fn: () => Promise<unknown>) => fn().then(() => undefined, (e: unknown) => e);

describe('decodeOrDeadLetter', () => {
  it('returns the decoded event', async () => {
    const event = { type: 'LabelObserved' } as DecodedEvent;
    expect(await decodeOrDeadLetter({ decode: async () => event }, record)).toEqual({ event });
  });

  it.each([...poisonCodes])('dead-letters a %s record, with the record and the error', async (code) => {
    const error = new MlstreamError(code, 'bad bytes');
    expect(await decodeOrDeadLetter(failing(error), record)).toEqual({ deadLetter: { record, error } });
  });

  it('poison codes are exactly the four that mean "these bytes never decode"', () => {
    expect([...poisonCodes].sort()).toEqual(['CORRUPT_MESSAGE', 'SCHEMA_VIOLATION', 'UNEXPECTED_RECORD_TYPE', 'UNKNOWN_SCHEMA_ID']);
  });

  it('rethrows a retriable error unchanged (the schema registry is down: retry, never dead-letter)', async () => {
    const error = new MlstreamError('REGISTRY_UNAVAILABLE');
    expect(await thrown(() => decodeOrDeadLetter(failing(error), record))).toBe(error);
  });

  it.each<[string, unknown]>([
    ['a non-retriable mlstream error', new MlstreamError('CONFIG_INVALID')],
    ['a plain error', new TypeError('boom')],
  ])('crashes on %s: HANDLER_FAILED with the coordinates and the cause', async (_, cause) => {
    const error = await thrown(() => decodeOrDeadLetter(failing(cause), record));
    expect(isMlstreamError(error, 'HANDLER_FAILED')).toBe(true);
    expect(error).toMatchObject({ retriable: false, cause, details: { topic: record.topic, partition: 2, offset: '7' } });
  });

  it('logs and counts each dead letter when given an observer', async () => {
    const metrics = createMetrics('decode-test');
    const lines: string[] = [];
    const logger = createLogger({ service: 'decode-test', level: 'warn', destination: { write: (l: string) => void lines.push(l) } });
    await decodeOrDeadLetter(failing(new MlstreamError('CORRUPT_MESSAGE', 'first byte is 123')), record, { logger, metrics });
    expect(await metrics.prometheus.getSingleMetricAsString('mlstream_dead_letters_total')).toContain(`mlstream_dead_letters_total{topic="${record.topic}",code="CORRUPT_MESSAGE",service="decode-test"} 1`);
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([{ msg: 'record.dead_lettered', code: 'CORRUPT_MESSAGE', offset: '7', reason: 'first byte is 123' }]);
  });

  it('decodeFailure keeps a HANDLER_FAILED error as it is', () => {
    const error = new MlstreamError('HANDLER_FAILED' as ErrorCode, 'inner');
    expect(() => decodeFailure(record, error)).toThrow(error);
  });

  it('decodeKnownOrDeadLetter answers without a promise: the event, a dead letter, or undefined for a schema id not known yet', () => {
    const event = { type: 'LabelObserved' } as DecodedEvent;
    expect(decodeKnownOrDeadLetter({ decodeKnown: () => event }, record)).toEqual({ event });
    expect(decodeKnownOrDeadLetter({ decodeKnown: () => undefined }, record)).toBeUndefined();
    const error = new MlstreamError('CORRUPT_MESSAGE', 'bad bytes');
    expect(decodeKnownOrDeadLetter({ decodeKnown: () => { throw error; } }, record)).toEqual({ deadLetter: { record, error } });
    const down = new MlstreamError('REGISTRY_UNAVAILABLE');
    expect(() => decodeKnownOrDeadLetter({ decodeKnown: () => { throw down; } }, record)).toThrow(down);
  });
});
