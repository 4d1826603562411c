import { describe, expect, it } from 'vitest';
import { parseSchema, readSchemaFiles } from './schemas.ts';
import { violations } from './validate.ts';

const schemaOf = (name: string) => parseSchema(readSchemaFiles().find((f) => f.name === name)!.schema);

const prediction = {
  eventId: '2b0a7f5e-6a7e-4d7c-9d55-1f1f0e3c8a10',
  occurredAt: 1_764_000_000_000,
  requestId: 'r-1',
  model: 'churn',
  version: 3,
  numericFeatures: { age: 41, income: 52_000 },
  categoricalFeatures: { plan: 'pro' },
  prediction: 0.82,
  probabilities: null,
  latencyMs: 4.2,
  error: null,
};

describe('violations', () => {

  it('accepts a valid record', () => {
    expect(violations(schemaOf('PredictionLogged'), prediction)).toEqual([]);
  });

  it('names the field path of a wrong type, a missing field and a NaN inside a map', () => {
    const bad = { ...prediction, version: 'three', numericFeatures: { age: Number.NaN }, requestId: undefined };
    const found = violations(schemaOf('PredictionLogged'), bad);
    expect(found).toEqual(
      expect.arrayContaining([
        { path: 'version', message: 'expected int, got "three"' },
        { path: 'requestId', message: 'expected string, got missing' },
        { path: 'numericFeatures.age', message: 'expected a finite number, got NaN' },
      ]),
    );
  });

  it('names array indices', () => {
    const metrics = {
      eventId: 'e',
      occurredAt: 1,
      commandId: 'c',
      actor: 'a',
      expectedVersion: null,
      runId: 'r',
      metrics: [
        { key: 'loss', value: 0.3, step: 1, timestamp: 1 },
        { key: 'loss', value: Number.POSITIVE_INFINITY, step: 2, timestamp: 2 },
      ],
    };
    expect(violations(schemaOf('LogMetrics'), metrics)).toEqual([{ path: 'metrics[1].value', message: 'expected a finite number, got Infinity' }]);
  });
});

// Avro doubles allow NaN and ±Infinity; mlstream refuses them everywhere. Each
// record below is valid but for the one non-finite number, so only the
// finiteness check can catch it.
describe('violations: a non-finite number alone is a violation', () => {
  const type = schemaOf('PredictionLogged');

  it('the record without it is valid', () => {
    expect(violations(type, prediction)).toEqual([]);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('%s in a map value', (label, value) => {
    expect(violations(type, { ...prediction, numericFeatures: { age: 41, income: value } })).toEqual([{ path: 'numericFeatures.income', message: `expected a finite number, got ${label}` }]);
  });

  it('NaN in a top-level double and in a union branch', () => {
    expect(violations(type, { ...prediction, latencyMs: Number.NaN })).toEqual([{ path: 'latencyMs', message: 'expected a finite number, got NaN' }]);
    expect(violations(type, { ...prediction, prediction: Number.NaN })).toEqual([{ path: 'prediction', message: 'expected a finite number, got NaN' }]);
  });

  it('NaN inside an array of records', () => {
    const metrics = { eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'a', expectedVersion: null, runId: 'r', metrics: [{ key: 'loss', value: Number.NaN, step: 1, timestamp: 1 }] };
    expect(violations(schemaOf('LogMetrics'), metrics)).toEqual([{ path: 'metrics[0].value', message: 'expected a finite number, got NaN' }]);
  });
});
