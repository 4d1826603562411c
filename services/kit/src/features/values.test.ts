import { describe, expect, it } from 'vitest';
import type { FeatureViewDefinition } from './definitions.ts';
import { valueProblems } from './values.ts';

const view: FeatureViewDefinition = {
  name: 'driver_stats',
  version: 2,
  entity: 'driver',
  features: [
    { name: 'conv_rate', type: 'NUMERIC', description: null },
    { name: 'city', type: 'CATEGORICAL', description: null },
  ],
  sourceTopic: 'mlops.features.v1',
  eventTimeField: 'occurredAt',
  ttlSeconds: 0,
  description: null,
  tags: {},
};
const fields = (item: Parameters<typeof valueProblems>[2], keyType: 'STRING' | 'INT64' = 'INT64') => valueProblems(view, keyType, item).map((p) => `${p.field}: ${p.message}`);

describe('feature values against their view', () => {
  it('accepts matching values, partial ones too', () => {
    expect(fields({ entityKey: '1001', occurredAt: 1, numericValues: { conv_rate: 0.5 }, categoricalValues: { city: 'Lyon' } })).toEqual([]);
    expect(fields({ entityKey: 1001, occurredAt: 1, numericValues: { conv_rate: 0.5 } })).toEqual([]);
  });

  it('names an unknown feature, a wrong type and NaN precisely', () => {
    expect(fields({ entityKey: '1', occurredAt: 1, numericValues: { speed: 3 } })).toEqual(['numericValues.speed: view driver_stats v2 has no feature speed']);
    expect(fields({ entityKey: '1', occurredAt: 1, numericValues: { city: 3 } })).toEqual(['numericValues.city: feature driver_stats:city is CATEGORICAL: send it in categoricalValues']);
    expect(fields({ entityKey: '1', occurredAt: 1, categoricalValues: { conv_rate: 'high' } })).toEqual(['categoricalValues.conv_rate: feature driver_stats:conv_rate is NUMERIC: send it in numericValues']);
    expect(fields({ entityKey: '1', occurredAt: 1, numericValues: { conv_rate: Number.NaN } })).toEqual(['numericValues.conv_rate: feature driver_stats:conv_rate must be finite, got NaN']);
    expect(fields({ entityKey: '1', occurredAt: 1, numericValues: { conv_rate: Infinity } })).toHaveLength(1);
  });

  it('checks the entity key against its type, and refuses an empty item', () => {
    expect(fields({ entityKey: 'abc', occurredAt: 1, numericValues: { conv_rate: 1 } })).toEqual(['entityKey: entity key "abc" is not a decimal INT64']);
    expect(fields({ entityKey: 'abc', occurredAt: 1, numericValues: { conv_rate: 1 } }, 'STRING')).toEqual([]);
    expect(fields({ entityKey: '', occurredAt: 1, numericValues: { conv_rate: 1 } }, 'STRING')).toEqual(['entityKey: entity key is empty']);
    expect(fields({ entityKey: '1', occurredAt: 1 })).toEqual(['numericValues: no feature value given']);
    expect(fields({ entityKey: '1', occurredAt: -1, numericValues: { conv_rate: 1 } })).toHaveLength(1);
  });
});
