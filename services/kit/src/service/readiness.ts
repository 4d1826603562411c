import type { Admin, Consumer, ConsumerConfig, Kafka } from 'kafkajs';
import type { ReadinessCheck } from '../http/index.ts';
import type { SchemaRegistryClient } from '../schema-registry/index.ts';

/**
 * The dependency checks of every service's /readyz: Kafka answers a metadata
 * request and the schema registry answers. The admin client connects lazily,
 * so a service starts (and says "not ready") while Kafka is down.
 */
export function dependencyChecks(kafka: Kafka, schemas: SchemaRegistryClient): { checks: ReadinessCheck[]; close(): Promise<void> } {
  let admin: Admin | undefined;
  let connected: Promise<void> | undefined;
  return {
    checks: [
      {
        name: 'kafka',
        check: async () => {
          admin ??= kafka.admin();
          connected ??= admin.connect();
          connected.catch(() => (connected = undefined));
          await connected;
          await admin.describeCluster();
        },
      },
      { name: 'schema-registry', check: () => schemas.ping() },
    ],
    close: async () => {
      await admin?.disconnect().catch(() => {});
    },
  };
}

export type GroupPhase = 'connecting' | 'joined' | 'rebalancing' | 'restarting' | 'crashed' | 'stopped';

export interface GroupWatch {
  /** Pass this client to the consumer's factory: consumers it creates in `groupId` are watched. */
  kafka: Kafka;
  /** True while this member holds a current assignment (possibly empty: a standby is ready too). */
  ready(): boolean;
  /** The same as a /readyz check, saying why not. */
  check: ReadinessCheck;
  status(): { group: string; phase: GroupPhase; assignment: Record<string, number[]> };
}

/**
 * Watches the group membership of a consumer created inside a runtime the
 * caller does not own (the processor runtime, the drift detector, the
 * materializer): "joined" from kafkajs' GROUP_JOIN until the next rebalance,
 * crash or stop. Only consumers of `groupId` are watched; readers a runtime
 * creates for restoring state use other groups.
 */
export function watchGroup(kafka: Kafka, groupId: string): GroupWatch {
  let phase: GroupPhase = 'connecting';
  let assignment: Record<string, number[]> = {};
  const watch = (consumer: Consumer) => {
    const { GROUP_JOIN, REBALANCING, CRASH, STOP } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => {
      phase = 'joined';
      assignment = payload.memberAssignment;
    });
    consumer.on(REBALANCING, () => void (phase = 'rebalancing'));
    consumer.on(CRASH, ({ payload }) => void (phase = payload.restart ? 'restarting' : 'crashed'));
    consumer.on(STOP, () => void (phase = 'stopped'));
  };
  const watched: Kafka = Object.create(kafka, {
    consumer: {
      value: (config: ConsumerConfig) => {
        const consumer = kafka.consumer(config);
        if (config.groupId === groupId) watch(consumer);
        return consumer;
      },
    },
  });
  return {
    kafka: watched,
    ready: () => phase === 'joined',
    check: {
      name: 'consumer-group',
      check: async () => {
        if (phase !== 'joined') throw new Error(`consumer group ${groupId}: ${phase}`);
      },
    },
    status: () => ({ group: groupId, phase, assignment }),
  };
}
