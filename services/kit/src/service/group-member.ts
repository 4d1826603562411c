import type { Kafka } from 'kafkajs';
import type { ServiceRuntime } from './bootstrap.ts';
import { watchGroup } from './readiness.ts';

/** What a consumer runtime (processor, drift detector, materializer) offers the bootstrap. */
export interface GroupConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): unknown;
  /** True once it can do its work (the exactly-once loop: every assigned partition restored). */
  ready?(): boolean;
}

/**
 * Wraps a consumer-group runtime for the bootstrap, with kit's one readiness
 * rule for consumer services (docs/operations.md "Recovery"): /readyz answers
 * 200 when the group is stable with this member in it (joined, not
 * rebalancing, crashed or stopped since) and the runtime's `ready()` says
 * every partition assigned to it is restored (the exactly-once loop, the
 * materializer). An empty assignment is ready: a standby.
 * `create` receives the client to build the runtime with.
 */
export function groupMember<T extends GroupConsumer>(kafka: Kafka, groupId: string, create: (kafka: Kafka) => T): ServiceRuntime & { consumer: T; start(): Promise<void> } {
  const group = watchGroup(kafka, groupId);
  const consumer = create(group.kafka);
  return {
    consumer,
    start: () => consumer.start(),
    stop: () => consumer.stop(),
    checks: [group.check],
    ...(consumer.ready ? { ready: () => consumer.ready!() } : {}),
    status: () => ({ ...group.status(), partitions: consumer.status() }),
  };
}

/**
 * Several group members served by one process as one runtime: started and
 * stopped together, every /readyz check of each, ready when all are. The
 * caller names their /status.
 */
export function allMembers(members: ServiceRuntime[], status: () => Record<string, unknown>): ServiceRuntime & { start(): Promise<void> } {
  return {
    start: async () => {
      await Promise.all(members.map((m) => m.start?.()));
    },
    stop: async () => {
      await Promise.all(members.map((m) => m.stop()));
    },
    checks: members.flatMap((m) => m.checks ?? []),
    ready: () => members.every((m) => m.ready?.() ?? true),
    status,
  };
}
