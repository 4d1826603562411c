import { EventEmitter } from 'node:events';
import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging/index.ts';
import { createExactlyOnceLoop, type TransactionalState } from './exactly-once.ts';

const events = { GROUP_JOIN: 'consumer.group_join' };

/** Just enough of kafkajs for the loop's readiness: a consumer the test drives, producers and an admin that answer. */
const fakeKafka = () => {
  const consumer = new EventEmitter();
  const kafka = {
    consumer: () => ({
      events,
      on: (event: string, listener: (e: unknown) => void) => consumer.on(event, listener),
      connect: async () => {},
      subscribe: async () => {},
      run: async () => {},
      disconnect: async () => {},
    }),
    producer: () => ({ connect: async () => {}, disconnect: async () => {}, transaction: async () => ({ abort: async () => {} }) }),
    admin: () => ({ connect: async () => {}, disconnect: async () => {}, fetchOffsets: async () => [] }),
  } as unknown as Kafka;
  return { kafka, emit: (event: string, payload: unknown = {}) => consumer.emit(event, { payload }) };
};

describe('exactly-once loop readiness (kit readiness rule)', () => {
  it('is ready once every assigned partition is restored, again after each new assignment; an empty assignment is ready', async () => {
    const { kafka, emit } = fakeKafka();
    let release: () => void = () => {};
    const restoring = new Promise<void>((resolve) => (release = resolve));
    const state: TransactionalState = { commit: () => {}, rollback: () => {} };
    const loop = createExactlyOnceLoop({
      kafka,
      logger: createLogger({ service: 'test', level: 'silent' }),
      groupId: 'g',
      topics: ['t'],
      restore: async (partitions) => {
        await restoring;
        return new Map(partitions.map((p) => [p, state]));
      },
      process: async () => [],
    });
    await loop.start();
    expect(loop.ready()).toBe(false); // not assigned yet

    emit(events.GROUP_JOIN, { memberAssignment: { t: [0, 2] } });
    expect(loop.ready()).toBe(false); // assigned, restoring
    release();
    await expect.poll(() => loop.ready()).toBe(true);

    emit(events.GROUP_JOIN, { memberAssignment: { t: [2] } });
    await expect.poll(() => loop.ready()).toBe(true);
    expect(loop.owned().map((o) => o.partition)).toEqual([2]);

    emit(events.GROUP_JOIN, { memberAssignment: {} });
    await expect.poll(() => loop.ready()).toBe(true); // a standby in a stable group

    await loop.stop();
    expect(loop.ready()).toBe(false);
  });
  it('keeps no partition a newer generation took away while it was being restored, and restores it afresh when it comes back', async () => {
    const { kafka, emit } = fakeKafka();
    let release: () => void = () => {};
    const restoring = new Promise<void>((resolve) => (release = resolve));
    const restored: number[][] = [];
    const loop = createExactlyOnceLoop({
      kafka,
      logger: createLogger({ service: 'test', level: 'silent' }),
      groupId: 'g',
      topics: ['t'],
      restore: async (partitions) => {
        restored.push(partitions);
        await restoring;
        return new Map(partitions.map((p) => [p, { commit: () => {}, rollback: () => {} }]));
      },
      process: async () => [],
    });
    await loop.start();
    emit(events.GROUP_JOIN, { memberAssignment: { t: [0, 2] } });
    emit(events.GROUP_JOIN, { memberAssignment: { t: [2] } }); // 0 goes to another instance mid-restore
    release();
    await expect.poll(() => loop.ready()).toBe(true);
    expect(loop.owned().map((o) => o.partition)).toEqual([2]);

    emit(events.GROUP_JOIN, { memberAssignment: { t: [0, 2] } }); // and comes back: fence and restore again
    await expect.poll(() => loop.owned().map((o) => o.partition).sort()).toEqual([0, 2]);
    expect(restored).toEqual([[0, 2], [0]]);
    await loop.stop();
  });
});
