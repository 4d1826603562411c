import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { parseSchema, readSchemaFiles } from '@mlstream/kit';
import { defaultLimits, type Limits } from '../../limits/index.ts';
import { toProblem } from '../problems.ts';
import { RequestValidationError, toIssues } from '../validation.ts';
import { datasetVersionBody, feedbackBody, predictionsBody } from './facts.ts';
import { deleteAliasQuery, registerVersionBody, setAliasBody, transitionBody } from './models.ts';
import { finishRunBody, logArtifactBody, logInputsBody, logMetricsBody, logParamsBody, setTagsBody, startRunBody } from './runs.ts';
import { MAX_INT, MAX_LONG } from './common.ts';

const l = defaultLimits;
const DAY = 86_400_000;

/** The problem a route answers for `value` (undefined when the schema accepts it). */
const problemFor = (schema: z.ZodType, value: unknown) => {
  const result = schema.safeParse(value);
  return result.success ? undefined : toProblem(new RequestValidationError('body', toIssues(result.error)));
};

const avroType = (record: string, field: string) => {
  const file = readSchemaFiles().find((f) => f.name === record)!;
  const schema = parseSchema(file.schema) as unknown as { getField(name: string): { getType(): { isValid(v: unknown): boolean } } };
  return schema.getField(field).getType();
};

const prediction = { requestId: 'r', model: 'm', version: 1, prediction: 1, latencyMs: 1 };
const dataset = { version: 'v', uri: 's3://x', contentSha256: 'a'.repeat(64), rowCount: 1 };

describe('event times: 2000-01-01 .. now + 1 day (configurable), 400 naming the field', () => {
  const cases: Array<[string, (limits: Limits) => z.ZodType, (t: number) => unknown, string]> = [
    ['prediction occurredAt', predictionsBody, (t) => ({ predictions: [{ ...prediction, occurredAt: t }] }), 'predictions[0].occurredAt'],
    ['label occurredAt', feedbackBody, (t) => ({ labels: [{ requestId: 'r', model: 'm', label: 1, occurredAt: t }] }), 'labels[0].occurredAt'],
    ['dataset occurredAt', datasetVersionBody, (t) => ({ ...dataset, occurredAt: t }), 'occurredAt'],
    ['metric timestamp', logMetricsBody, (t) => ({ metrics: [{ key: 'k', value: 1, timestamp: t }] }), 'metrics[0].timestamp'],
  ];
  it.each(cases)('%s', (_, schemaOf, body, path) => {
    const schema = schemaOf(l);
    const now = Date.now();
    // 8.64e15 ms (year 275760) used to pass: ClickHouse wrapped it to 2059 and fastavro crashed on it.
    for (const bad of [8_640_000_000_000_000, Date.UTC(1999, 11, 31, 23, 59, 59, 999), 0, now + DAY + 60_000]) {
      const problem = problemFor(schema, body(bad));
      expect(problem, `${bad}`).toMatchObject({ status: 400, code: 'INVALID_REQUEST', errors: [{ path }] });
      expect(problem!.errors![0]!.message).toMatch(/expected an event time in epoch milliseconds from 2000-01-01T00:00:00.000Z to now \+ 86400000 ms/);
    }
    for (const good of [Date.UTC(2000, 0, 1), now, now + DAY - 60_000]) expect(problemFor(schema, body(good)), `${good}`).toBeUndefined();
    const narrow = schemaOf({ ...l, eventTimeMinMs: Date.UTC(2020, 0, 1), eventTimeMaxAheadMs: 0 });
    expect(problemFor(narrow, body(Date.UTC(2019, 0, 1)))).toMatchObject({ status: 400 });
    expect(problemFor(narrow, body(now + 60_000))).toMatchObject({ status: 400 });
  });
});

describe('64-bit fields: the HTTP bound is what Avro (avsc), ClickHouse and Python all hold', () => {
  it('MAX_LONG is the largest long avsc encodes, MAX_INT the largest Avro int', () => {
    const long = avroType('LogMetrics', 'expectedVersion') as unknown as { types: Array<{ isValid(v: unknown): boolean }> };
    const longType = long.types.find((t) => t.isValid(1))!;
    expect(longType.isValid(MAX_LONG)).toBe(true);
    expect(longType.isValid(MAX_LONG + 1)).toBe(false); // 2^53 − 1 passed HTTP and failed here as 422 SCHEMA_VIOLATION
    expect(avroType('PredictionLogged', 'version').isValid(MAX_INT)).toBe(true);
    expect(avroType('PredictionLogged', 'version').isValid(MAX_INT + 1)).toBe(false);
  });

  // Every integer field of the HTTP schemas, by class; each is accepted at its bound and refused one past it (400, not 422).
  const longs: Array<[string, z.ZodType, (n: number) => unknown, string]> = [
    ['rowCount', datasetVersionBody(l), (n) => ({ ...dataset, rowCount: n }), 'rowCount'],
    ['profile count', datasetVersionBody(l), (n) => ({ ...dataset, profile: [{ name: 'a', count: n, nulls: 0 }] }), 'profile[0].count'],
    ['profile nulls', datasetVersionBody(l), (n) => ({ ...dataset, profile: [{ name: 'a', count: 0, nulls: n }] }), 'profile[0].nulls'],
    ['bin counts', datasetVersionBody(l), (n) => ({ ...dataset, profile: [{ name: 'a', count: 0, nulls: 0, numeric: { min: 0, max: 1, mean: 0, std: 0, binEdges: [0, 1], binCounts: [n] } }] }), 'profile[0].numeric.binCounts[0]'],
    ['category counts', datasetVersionBody(l), (n) => ({ ...dataset, profile: [{ name: 'a', count: 0, nulls: 0, categorical: { counts: { x: n }, topK: 1, otherCount: 0 } }] }), 'profile[0].categorical.counts.x'],
    ['other count', datasetVersionBody(l), (n) => ({ ...dataset, profile: [{ name: 'a', count: 0, nulls: 0, categorical: { counts: {}, topK: 1, otherCount: n } }] }), 'profile[0].categorical.otherCount'],
    ['metric step', logMetricsBody(l), (n) => ({ metrics: [{ key: 'k', value: 1, step: n }] }), 'metrics[0].step'],
    ['artifact size', logArtifactBody(l), (n) => ({ name: 'n', uri: 'u', size: n }), 'size'],
    ['expectedVersion (start run)', startRunBody(l), (n) => ({ experiment: 'e', expectedVersion: n }), 'expectedVersion'],
    ['expectedVersion (params)', logParamsBody(l), (n) => ({ params: { a: '1' }, expectedVersion: n }), 'expectedVersion'],
    ['expectedVersion (tags)', setTagsBody(l), (n) => ({ tags: { a: '1' }, expectedVersion: n }), 'expectedVersion'],
    ['expectedVersion (inputs)', logInputsBody(l), (n) => ({ inputs: [{ datasetId: 'd', version: 'v' }], expectedVersion: n }), 'expectedVersion'],
    ['expectedVersion (finish)', finishRunBody, (n) => ({ expectedVersion: n }), 'expectedVersion'],
    ['expectedVersion (register)', registerVersionBody(l), (n) => ({ artifactUri: 'u', expectedVersion: n }), 'expectedVersion'],
    ['expectedVersion (stage)', transitionBody(l), (n) => ({ stage: 'STAGING', expectedVersion: n }), 'expectedVersion'],
    ['expectedVersion (alias)', setAliasBody(l), (n) => ({ version: 1, expectedVersion: n }), 'expectedVersion'],
    ['expectedVersion (delete alias query)', deleteAliasQuery(l), (n) => ({ expectedVersion: String(n) }), 'expectedVersion'],
  ];
  it.each(longs)('long: %s', (_, schema, body, path) => {
    expect(problemFor(schema, body(MAX_LONG))).toBeUndefined();
    expect(problemFor(schema, body(MAX_LONG + 1))).toMatchObject({ status: 400, code: 'INVALID_REQUEST', errors: [{ path }] });
    expect(problemFor(schema, body(-1))).toMatchObject({ status: 400, errors: [{ path }] });
  });

  const ints: Array<[string, z.ZodType, (n: number) => unknown, string]> = [
    ['prediction version', predictionsBody(l), (n) => ({ predictions: [{ ...prediction, version: n }] }), 'predictions[0].version'],
    ['alias version', setAliasBody(l), (n) => ({ version: n }), 'version'],
    ['topK', datasetVersionBody(l), (n) => ({ ...dataset, profile: [{ name: 'a', count: 0, nulls: 0, categorical: { counts: {}, topK: n, otherCount: 0 } }] }), 'profile[0].categorical.topK'],
  ];
  it.each(ints)('int: %s', (_, schema, body, path) => {
    expect(problemFor(schema, body(MAX_INT))).toBeUndefined();
    expect(problemFor(schema, body(MAX_INT + 1))).toMatchObject({ status: 400, code: 'INVALID_REQUEST', errors: [{ path }] });
  });
});

describe('map-shaped batches: refused by the schema when empty (400 naming the field), as batch arrays are', () => {
  it.each([
    ['params', logParamsBody(l), { params: {} }, 'params'],
    ['tags', setTagsBody(l), { tags: {} }, 'tags'],
    ['metrics', logMetricsBody(l), { metrics: [] }, 'metrics'],
    ['inputs', logInputsBody(l), { inputs: [] }, 'inputs'],
    ['predictions', predictionsBody(l), { predictions: [] }, 'predictions'],
  ] as const)('%s', (_, schema, body, path) => {
    expect(problemFor(schema, body)).toMatchObject({ status: 400, code: 'INVALID_REQUEST', errors: [{ path }] });
  });

  it('optional maps inside a record may be empty', () => {
    expect(problemFor(startRunBody(l), { experiment: 'e', tags: {} })).toBeUndefined();
    expect(problemFor(predictionsBody(l), { predictions: [{ ...prediction, numericFeatures: {}, categoricalFeatures: {} }] })).toBeUndefined();
  });
});
