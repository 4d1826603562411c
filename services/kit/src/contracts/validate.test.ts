import { describe, expect, it } from 'vitest';
import { parseSchema, readSchemaFiles } from './schemas.ts';
import { violations } from './validate.ts';

const schemaOf = (name: string) => parseSchema(readSchemaFiles().find((f) => f.name === name)!.schema);

describe('violations', () => {
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
