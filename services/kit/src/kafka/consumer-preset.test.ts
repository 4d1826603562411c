import { describe, expect, it } from 'vitest';
import { coPartitionedAssigner } from './assigner.ts';
import { consumerPreset } from './consumer-preset.ts';

describe('consumerPreset', () => {
  it('reads committed records only, with sessions derived from one value', () => {
    expect(consumerPreset({ groupId: 'g' })).toEqual({ groupId: 'g', readUncommitted: false, sessionTimeout: 6_000, rebalanceTimeout: 60_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 });
    expect(consumerPreset({ groupId: 'g', sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 8_000 })).toMatchObject({ sessionTimeout: 6_000, rebalanceTimeout: 8_000, heartbeatInterval: 1_000 });
    expect(consumerPreset({ groupId: 'g', sessionTimeoutMs: 90_000 })).toMatchObject({ rebalanceTimeout: 90_000, heartbeatInterval: 1_000 });
  });

  it('passes assigners, fetch wait and fetch size through', () => {
    expect(consumerPreset({ groupId: 'g', assigners: [coPartitionedAssigner], maxWaitTimeMs: 50, maxBytesPerPartition: 4096 })).toMatchObject({ partitionAssigners: [coPartitionedAssigner], maxWaitTimeInMs: 50, maxBytesPerPartition: 4096 });
  });

  it('refuses settings the broker or kafkajs would refuse later, saying how to fix them', () => {
    expect(() => consumerPreset({ groupId: '' })).toThrow('`groupId` is required');
    expect(() => consumerPreset({ groupId: 'g', sessionTimeoutMs: 5_000 })).toThrow('sessionTimeoutMs must be an integer of at least 6000');
    expect(() => consumerPreset({ groupId: 'g', sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 10_000 })).toThrow('not below sessionTimeoutMs');
    expect(() => consumerPreset({ groupId: 'g', maxWaitTimeMs: 0 })).toThrow('maxWaitTimeMs must be positive');
  });
});
