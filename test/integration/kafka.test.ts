import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, Consumer, KafkaMessage, Producer } from 'kafkajs';
import { createTopics, testKafka, uniqueName, waitFor } from '../helpers/index.ts';

// Settles DESIGN.md §3's first risk: kafkajs 2.2.4 against Kafka 4.x (KIP-896
// removed old protocol versions). If these pass, no fallback to 3.9 is needed.
describe('kafkajs against the local Kafka 4.x broker', () => {
  const kafka = testKafka('kafka-smoke');
  let admin: Admin;
  const consumers: Consumer[] = [];
  const producers: Producer[] = [];

  const collect = async (topic: string, groupId: string, readUncommitted = false) => {
    const seen: Array<{ partition: number; message: KafkaMessage }> = [];
    const consumer = kafka.consumer({ groupId, readUncommitted, maxWaitTimeInMs: 100 });
    consumers.push(consumer);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => void seen.push({ partition, message }) });
    return seen;
  };

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
  });
  afterAll(async () => {
    await Promise.all([...consumers, ...producers].map((c) => c.disconnect()));
    await admin.disconnect();
  });

  it('produces with acks=all and consumes in a consumer group, keys kept per partition', async () => {
    const topic = uniqueName('plain');
    await createTopics(admin, [{ topic, numPartitions: 3 }]);
    const producer = kafka.producer({ idempotent: true });
    producers.push(producer);
    await producer.connect();
    const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}` }));
    const acks = await producer.send({ topic, acks: -1, messages });
    expect(acks.every((a) => a.errorCode === 0)).toBe(true);

    const group = uniqueName('group');
    const seen = await collect(topic, group);
    await waitFor(() => seen.length === 30, { what: '30 messages' });
    expect(seen.map((s) => s.message.value?.toString()).sort()).toEqual(messages.map((m) => m.value).sort());
    // One key lands in one partition.
    const partitionsOfKey = new Map<string, Set<number>>();
    for (const s of seen) {
      const key = s.message.key!.toString();
      partitionsOfKey.set(key, (partitionsOfKey.get(key) ?? new Set()).add(s.partition));
    }
    expect([...partitionsOfKey.values()].every((p) => p.size === 1)).toBe(true);
    // The group commits what it consumed: the committed offsets add up to 30.
    await waitFor(
      async () => {
        const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
        return offsets!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0) === 30;
      },
      { what: 'group offsets to reach 30' },
    );
  });

  it('commits a transaction with sendOffsets; a read_committed consumer never sees an aborted one', async () => {
    const input = uniqueName('tx-in');
    const output = uniqueName('tx-out');
    await createTopics(admin, [{ topic: input }, { topic: output }]);
    const producer = kafka.producer({ transactionalId: uniqueName('txid'), idempotent: true, maxInFlightRequests: 1 });
    producers.push(producer);
    await producer.connect();
    const group = uniqueName('tx-group');

    const committed = await producer.transaction();
    await committed.send({ topic: output, messages: [{ key: 'a', value: 'committed' }] });
    await committed.sendOffsets({ consumerGroupId: group, topics: [{ topic: input, partitions: [{ partition: 0, offset: '42' }] }] });
    await committed.commit();

    const aborted = await producer.transaction();
    await aborted.send({ topic: output, messages: [{ key: 'a', value: 'aborted' }] });
    await aborted.sendOffsets({ consumerGroupId: group, topics: [{ topic: input, partitions: [{ partition: 0, offset: '99' }] }] });
    await aborted.abort();

    const marker = kafka.producer();
    producers.push(marker);
    await marker.connect();
    await marker.send({ topic: output, messages: [{ key: 'a', value: 'after' }] });

    const seen = await collect(output, uniqueName('reader'));
    await waitFor(() => seen.some((s) => s.message.value?.toString() === 'after'), { what: 'the marker after the aborted transaction' });
    expect(seen.map((s) => s.message.value?.toString())).toEqual(['committed', 'after']);

    const uncommittedView = await collect(output, uniqueName('dirty-reader'), true);
    await waitFor(() => uncommittedView.length === 3, { what: 'read_uncommitted to see all three' });

    // The committed transaction's offset is the group's; the aborted one's is not.
    const offsets = await admin.fetchOffsets({ groupId: group, topics: [input] });
    expect(offsets[0]?.partitions[0]?.offset).toBe('42');
  });
});
