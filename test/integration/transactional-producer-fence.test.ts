import { describe, expect, it } from 'vitest';
import { createTransactionalProducer, isFenced, transactionalIdOf } from '@mlstream/kit';
import { createTopics, testKafka, uniqueName } from '../helpers/index.ts';

// The exactly-once loop reads the group's offsets right after
// createTransactionalProducer returns, so the fence must already be in place
// then, not at the new holder's first transaction (kafkajs' connect() alone
// does not send the transactional InitProducerId).
describe('createTransactionalProducer', () => {
  it('fences the previous holder before it returns: the holder’s open transaction cannot commit', async () => {
    const kafka = testKafka('transactional-producer-fence');
    const topic = uniqueName('fence-out');
    const admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [{ topic, numPartitions: 1 }]);
    await admin.disconnect();
    const id = transactionalIdOf(uniqueName('fence'), 0);

    const old = await createTransactionalProducer(kafka, id);
    const tx = await old.transaction();
    await tx.send({ topic, acks: -1, messages: [{ value: 'old' }] });

    const next = await createTransactionalProducer(kafka, id);
    try {
      const refused = await tx.commit().then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused, 'the old holder committed after the new one was created').toBeDefined();
      expect(isFenced(refused)).toBe(true);
    } finally {
      await Promise.all([old.disconnect(), next.disconnect()]);
    }
  });
});
