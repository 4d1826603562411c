import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { watchGroup } from './readiness.ts';
import { groupMember } from './group-member.ts';

const events = { GROUP_JOIN: 'consumer.group_join', REBALANCING: 'consumer.rebalancing', CRASH: 'consumer.crash', STOP: 'consumer.stop' };

/** Just enough of kafkajs: consumers that emit instrumentation events when the test says so. */
const fakeKafka = () => {
  const made: Array<{ groupId: string; emit: (event: string, payload?: unknown) => void }> = [];
  const kafka = {
    consumer: ({ groupId }: { groupId: string }) => {
      const emitter = new EventEmitter();
      made.push({ groupId, emit: (event, payload) => emitter.emit(event, { payload }) });
      return { events, on: (event: string, listener: (e: unknown) => void) => emitter.on(event, listener) };
    },
    admin: () => 'the original admin',
  } as unknown as Kafka;
  return { kafka, made };
};

describe('watchGroup', () => {
  it('is ready from the group join until the next rebalance, crash or stop', async () => {
    const { kafka, made } = fakeKafka();
    const group = watchGroup(kafka, 'g');
    group.kafka.consumer({ groupId: 'g' });
    const [consumer] = made;
    const failing = () => group.check.check().then(() => undefined, (e: Error) => e.message);
    expect(group.ready()).toBe(false);
    expect(await failing()).toBe('consumer group g: connecting');
    consumer!.emit(events.GROUP_JOIN, { memberAssignment: { t: [0, 2] } });
    expect(group.ready()).toBe(true);
    expect(await failing()).toBeUndefined();
    expect(group.status()).toEqual({ group: 'g', phase: 'joined', assignment: { t: [0, 2] } });
    consumer!.emit(events.REBALANCING);
    expect(await failing()).toBe('consumer group g: rebalancing');
    consumer!.emit(events.GROUP_JOIN, { memberAssignment: {} });
    expect(group.ready()).toBe(true); // an empty assignment: a standby is ready too
    consumer!.emit(events.CRASH, { restart: true });
    expect(group.status().phase).toBe('restarting');
    consumer!.emit(events.CRASH, { restart: false });
    expect(group.status().phase).toBe('crashed');
    consumer!.emit(events.GROUP_JOIN, { memberAssignment: {} });
    consumer!.emit(events.STOP);
    expect(group.ready()).toBe(false);
  });

  it('watches only the consumers of its group and leaves the rest of the client alone', () => {
    const { kafka, made } = fakeKafka();
    const group = watchGroup(kafka, 'g');
    group.kafka.consumer({ groupId: 'g-restore-reader' });
    made[0]!.emit(events.GROUP_JOIN, { memberAssignment: {} });
    expect(group.ready()).toBe(false);
    expect(group.kafka.admin()).toBe('the original admin');
  });
});

describe('groupMember', () => {
  const base = { start: async () => {}, stop: async () => {}, status: () => [] };
  it('reads a runtime ready() hook, bound to the runtime, or reports none', () => {
    const runtime = { ...base, restored: false, ready() { return this.restored; } };
    const ready = groupMember(fakeKafka().kafka, 'g', () => runtime).ready!;
    expect(ready()).toBe(false);
    runtime.restored = true;
    expect(ready()).toBe(true);
    expect(groupMember(fakeKafka().kafka, 'g', () => base).ready).toBeUndefined();
  });
});
