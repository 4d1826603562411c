import { afterAll, describe, expect, it } from 'vitest';
import type { Kafka } from 'kafkajs';
import { createExactlyOnceLoop, readToEnd, type ExactlyOnceLoop, type TransactionOutput, type TransactionalState } from '@mlstream/kit';
import { createTopics, testKafka, testLogger, uniqueName, waitFor } from '../helpers/index.ts';

// Two instances of kit's exactly-once loop on the same group and partition.
// The older one stalls mid-transaction (one output already sent) until the
// group gives its partition to the newer one; the newer one's acquire must
// fence it: its open transaction is aborted and its later commit refused.
describe('exactly-once loop: a new owner fences the old one', () => {
  const kafka: Kafka = testKafka('exactly-once-fencing');
  const input = uniqueName('eo-in');
  const output = uniqueName('eo-out');
  const groupId = uniqueName('eo-group');
  const loops: Array<ExactlyOnceLoop<Counter>> = [];
  let openGate: () => void = () => {};

  interface Counter extends TransactionalState {
    commits: number;
    rollbacks: number;
  }
  const counter = (): Counter => ({ commits: 0, rollbacks: 0, commit: () => void (0), rollback: () => void (0) });
  const track = (c: Counter): Counter => Object.assign(c, { commit: () => void (c.commits += 1), rollback: () => void (c.rollbacks += 1) });

  const loop = (name: string, process: (values: string[]) => TransactionOutput[]) => {
    const state = track(counter());
    const l = createExactlyOnceLoop<Counter>({
      kafka,
      logger: testLogger(name),
      groupId,
      topics: [input],
      consumer: { sessionTimeoutMs: 6_000, rebalanceTimeoutMs: 6_000 },
      restore: async (partitions) => new Map(partitions.map((p) => [p, state])),
      process: async ({ messages }) => process(messages.map((m) => m.value!.toString())),
    });
    loops.push(l);
    return { loop: l, state };
  };
  const values = async (isolation: 'committed' | 'uncommitted') => {
    if (isolation === 'committed') {
      const seen: string[] = [];
      await readToEnd({ kafka, topic: output, onMessage: (_, m) => seen.push(m.value!.toString()) });
      return seen;
    }
    const seen: string[] = [];
    const consumer = kafka.consumer({ groupId: uniqueName('eo-dirty'), readUncommitted: true, maxWaitTimeInMs: 50 });
    await consumer.connect();
    await consumer.subscribe({ topic: output, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void seen.push(message.value!.toString()) });
    try {
      await waitFor(() => seen.includes('old:open'), { what: 'the old owner’s uncommitted record', timeoutMs: 30_000 });
    } finally {
      await consumer.disconnect();
    }
    return seen;
  };

  afterAll(async () => {
    openGate(); // a stalled old owner would keep stop() waiting for its batch
    for (const l of loops) await l.stop().catch(() => {});
  });

  it('aborts the old owner’s open transaction, refuses its commit, and commits each input once', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [{ topic: input, numPartitions: 1 }, { topic: output, numPartitions: 1 }]);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    await producer.send({ topic: input, acks: -1, messages: ['a', 'b', 'c'].map((value) => ({ key: 'k', value })) });
    await producer.disconnect();

    // 1. The old owner sends one record inside its transaction, then stalls (no heartbeats: the group drops it).
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let sentOpen: () => void = () => {};
    const openSent = new Promise<void>((resolve) => (sentOpen = resolve));
    const old = loop('old', (vals) => [
      { topic: output, messages: [{ value: 'old:open' }], sent: () => sentOpen() },
      async () => {
        await gate;
        return { topic: output, messages: vals.map((v) => ({ value: `old:${v}` })) };
      },
    ]);
    await old.loop.start();
    await openSent;

    // 2. The new owner gets the partition once the old one's session expired, fences it and commits.
    const fresh = loop('new', (vals) => [{ topic: output, messages: vals.map((v) => ({ value: `new:${v}` })) }]);
    await fresh.loop.start();
    await waitFor(async () => (await values('committed')).length >= 3, { what: 'the new owner’s committed outputs', timeoutMs: 60_000, intervalMs: 250 });
    expect(fresh.state.commits).toBeGreaterThanOrEqual(1);

    // 3. The old owner wakes up: its commit must fail as fenced, and its state roll back.
    openGate();
    await waitFor(() => old.state.rollbacks >= 1, { what: 'the old owner to be fenced and roll back', timeoutMs: 60_000 });
    expect(old.state.commits).toBe(0);

    // Committed: every input once, none of the old owner's records; its open record did reach the log, aborted.
    const committed = await values('committed');
    expect(committed).toEqual(['new:a', 'new:b', 'new:c']);
    expect(await values('uncommitted')).toContain('old:open');
    const offsets = await admin.fetchOffsets({ groupId, topics: [input] });
    expect(offsets[0]!.partitions.map((p) => p.offset)).toEqual(['3']);
    await admin.disconnect();
  });
});
