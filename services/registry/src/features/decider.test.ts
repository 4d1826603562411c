import { describe, it } from 'vitest';
import type { Envelope } from '@mlstream/kit';
import { spec } from '@mlstream/kit/testing';
import { featureDefinitionsDecider } from './decider.ts';

const command = <K extends 'DefineEntity' | 'DefineFeatureView'>(type: K, value: Record<string, unknown>): Envelope<K> =>
  ({ type, value: { eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'a', expectedVersion: null, ...value } }) as unknown as Envelope<K>;
const driver = { name: 'driver', keyName: 'driver_id', keyType: 'INT64', description: null, tags: {} } as const;
const stats = {
  name: 'driver_stats',
  entity: 'driver',
  features: [{ name: 'conv_rate', type: 'NUMERIC', description: null }],
  sourceTopic: 'mlops.features.v1',
  eventTimeField: 'occurredAt',
  ttlSeconds: 3600,
  description: null,
  tags: {},
} as const;
const defineStats = (over: Record<string, unknown> = {}) => command('DefineFeatureView', { ...stats, ...over });

describe('feature definitions decider', () => {
  it('numbers entity versions from 1 and accepts the same content again without a new version', () => {
    spec(featureDefinitionsDecider).given([]).when(command('DefineEntity', driver)).then([{ type: 'EntityDefined', value: { ...driver, version: 1 } }]);
    spec(featureDefinitionsDecider).given([{ type: 'EntityDefined', value: { ...driver, version: 1 } }]).when(command('DefineEntity', driver)).then([]);
    spec(featureDefinitionsDecider)
      .given([{ type: 'EntityDefined', value: { ...driver, version: 1 } }])
      .when(command('DefineEntity', { ...driver, description: 'a driver' }))
      .then([{ type: 'EntityDefined', value: { ...driver, description: 'a driver', version: 2 } }]);
  });

  it('refuses to change an entity key type', () => {
    spec(featureDefinitionsDecider).given([{ type: 'EntityDefined', value: { ...driver, version: 1 } }]).when(command('DefineEntity', { ...driver, keyType: 'STRING' })).thenRejects('FEATURE_DEFINITION_CONFLICT', { field: 'keyType' });
  });

  it('versions a view: new features and TTL make version 2; a type change or another entity is a conflict', () => {
    const v1 = { type: 'FeatureViewDefined' as const, value: { ...stats, features: [...stats.features], version: 1 } };
    spec(featureDefinitionsDecider).given([]).when(defineStats()).then([v1]);
    spec(featureDefinitionsDecider).given([v1]).when(defineStats()).then([]);
    const more = [...stats.features, { name: 'city', type: 'CATEGORICAL', description: null }];
    spec(featureDefinitionsDecider)
      .given([v1])
      .when(defineStats({ features: more, ttlSeconds: 7200 }))
      .then([{ type: 'FeatureViewDefined', value: { ...stats, features: more as never, ttlSeconds: 7200, version: 2 } }]);
    spec(featureDefinitionsDecider).given([v1]).when(defineStats({ features: [{ name: 'conv_rate', type: 'CATEGORICAL', description: null }] })).thenRejects('FEATURE_DEFINITION_CONFLICT', { field: 'features.conv_rate' });
    spec(featureDefinitionsDecider).given([v1]).when(defineStats({ entity: 'customer' })).thenRejects('FEATURE_DEFINITION_CONFLICT', { field: 'entity' });
  });

  it('rejects malformed definitions with the field at fault', () => {
    spec(featureDefinitionsDecider).given([]).when(defineStats({ features: [] })).thenRejects('INVALID_COMMAND', { field: 'features' });
    spec(featureDefinitionsDecider).given([]).when(defineStats({ ttlSeconds: -1 })).thenRejects('INVALID_COMMAND', { field: 'ttlSeconds' });
    spec(featureDefinitionsDecider).given([]).when(defineStats({ sourceTopic: 'mlops.predictions.v1' })).thenRejects('INVALID_COMMAND', { field: 'sourceTopic' });
    spec(featureDefinitionsDecider).given([]).when(command('DefineEntity', { ...driver, keyName: 'driver id' })).thenRejects('INVALID_COMMAND', { field: 'keyName' });
    spec(featureDefinitionsDecider)
      .given([])
      .when(defineStats({ features: [stats.features[0], stats.features[0]] }))
      .thenRejects('INVALID_COMMAND', { field: 'features[1].name' });
  });
});
