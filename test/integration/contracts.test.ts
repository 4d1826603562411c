import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Admin, KafkaMessage, Producer } from 'kafkajs';
import {
  applyTopics,
  consumerPreset,
  createDeadLetterSink,
  createSchemaRegistryClient,
  createSerde,
  decodeOrDeadLetter,
  isMlstreamError,
  resolveCatalog,
  subjectFor,
  topicCatalog,
  type DecodedEvent,
  type RecordName,
  type RecordTypes,
} from '@mlstream/kit';
import { createTopics, connections, testKafka, testLogger, uniqueName, waitFor } from '../helpers/index.ts';

describe('event contracts through the real registry and Kafka', () => {
  const prefix = `${uniqueName('contracts')}.`;
  const catalog = resolveCatalog(prefix);
  const schemaRegistry = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
  const serde = createSerde({ schemaRegistry, catalog, source: 'mlstream/test' });
  const kafka = testKafka('contracts');
  let admin: Admin;
  let producer: Producer;

  const readAll = async (topic: string, count: number): Promise<Array<{ partition: number; message: KafkaMessage }>> => {
    const seen: Array<{ partition: number; message: KafkaMessage }> = [];
    const consumer = kafka.consumer({ groupId: uniqueName('read'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => void seen.push({ partition, message }) });
    try {
      await waitFor(() => seen.length >= count, { what: `${count} messages on ${topic}`, timeoutMs: 60_000 });
    } finally {
      await consumer.disconnect();
    }
    return seen;
  };

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    producer = kafka.producer({ idempotent: true });
    await producer.connect();
  });
  afterAll(async () => {
    await producer.disconnect();
    await admin.disconnect();
  });

  it('topics apply creates the catalog, is idempotent, and reports (never changes) a topic that differs', async () => {
    // A pre-existing topic with the wrong partition count and retention.
    const predictions = catalog.topic('predictions');
    await createTopics(admin, [{ topic: predictions, numPartitions: 2, configEntries: [{ name: 'retention.ms', value: '3600000' }] }]);

    const first = await applyTopics(admin, catalog);
    expect(first.created.sort()).toEqual(catalog.topics.map((t) => t.topic).filter((t) => t !== predictions).sort());
    expect(first.differences).toEqual([
      { topic: predictions, what: 'partitions', expected: '6', actual: '2' },
      { topic: predictions, what: 'config', setting: 'retention.ms', expected: '-1', actual: '3600000' },
    ]);

    const second = await applyTopics(admin, catalog);
    expect(second.created).toEqual([]);
    expect(second.differences).toEqual(first.differences);
    const meta = await admin.fetchTopicMetadata({ topics: [predictions, catalog.topic('runs')] });
    const partitions = Object.fromEntries(meta.topics.map((t) => [t.name, t.partitions.length]));
    expect(partitions).toEqual({ [predictions]: 2, [catalog.topic('runs')]: 6 });
  });

  it('registers every schema under TopicRecordNameStrategy with BACKWARD_TRANSITIVE', async () => {
    const subjects = await serde.registerAll();
    expect(subjects.size).toBe(topicCatalog.reduce((n, t) => n + t.records.length, 0));
    const subject = subjectFor(catalog.topic('runs'), 'dev.mlstream.runs.RunStarted');
    expect(subjects.get(subject)).toBeGreaterThan(0);
    expect(await schemaRegistry.compatibility(subject)).toBe('BACKWARD_TRANSITIVE');
  });

  it('round-trips every record type with its CloudEvents headers', async () => {
    const samples = new Map<RecordName, unknown>();
    for (const spec of catalog.topics) {
      for (const record of spec.records) {
        const value = { ...(serde.typeOf(record).random() as object), eventId: randomUUID(), occurredAt: 1_764_201_600_000 };
        samples.set(record, value);
        const encoded = await serde.encode(record, value as RecordTypes[typeof record], {
          correlationId: 'corr-1',
          causationId: 'cause-1',
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        });
        expect(encoded.topic).toBe(spec.topic);
        await producer.send({ topic: encoded.topic, acks: -1, messages: [encoded.message] });
      }
    }
    let checked = 0;
    for (const spec of catalog.topics) {
      const topic = spec.topic;
      const consumed = await readAll(topic, spec.records.length);
      for (const { partition, message } of consumed) {
        const event: DecodedEvent = await serde.decode({ topic, partition, message });
        expect(event.value).toEqual(samples.get(event.type));
        expect(event.headers).toMatchObject({
          ce_specversion: '1.0',
          ce_id: (event.value as { eventId: string }).eventId,
          ce_type: `${serde.typeOf(event.type).name}`,
          ce_source: 'mlstream/test',
          ce_time: '2025-11-27T00:00:00.000Z',
          'content-type': 'application/avro',
          correlation_id: 'corr-1',
          causation_id: 'cause-1',
          traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        });
        checked += 1;
      }
    }
    expect(checked).toBe(samples.size);
  });

  it('rejects a schema violation before producing, naming the field path', async () => {
    const error = await serde
      .encode('LabelObserved', { eventId: randomUUID(), occurredAt: 1, requestId: 'r', model: 'm', label: Number.NaN })
      .catch((e: unknown) => e);
    expect(isMlstreamError(error, 'SCHEMA_VIOLATION')).toBe(true);
    expect((error as Error).message).toBe('LabelObserved.label: expected a finite number, got NaN');
  });

  it('reads events written with an older schema version through a resolver', async () => {
    // An "older" PredictionLogged without the optional `error` field, registered first under a fresh topic prefix.
    const oldCatalog = resolveCatalog(`${uniqueName('evolve')}.`);
    await applyTopics(admin, oldCatalog);
    const current = serde.typeOf('PredictionLogged').schema() as { fields: Array<{ name: string }> } & Record<string, unknown>;
    const older = { ...current, fields: current.fields.filter((f) => f.name !== 'error') };
    const topic = oldCatalog.topic('predictions');
    const oldId = await schemaRegistry.register(subjectFor(topic, 'dev.mlstream.predictions.PredictionLogged'), older);
    const oldType = await schemaRegistry.typeById(oldId);
    const value = { eventId: randomUUID(), occurredAt: 5, requestId: 'r-old', model: 'm', version: 1, numericFeatures: { x: 1.5 }, categoricalFeatures: {}, prediction: 'yes', probabilities: null, latencyMs: 3 };
    const header = Buffer.from([0, 0, 0, 0, 0]);
    header.writeUInt32BE(oldId, 1);
    const evolvedSerde = createSerde({ schemaRegistry, catalog: oldCatalog, source: 'mlstream/test' });
    const event = await evolvedSerde.decode({ topic, partition: 0, message: { key: Buffer.from('m'), value: Buffer.concat([header, oldType.toBuffer(value)]), offset: '0', timestamp: '0', attributes: 0, headers: {} } });
    expect(event.type).toBe('PredictionLogged');
    expect(event.value).toEqual({ ...value, error: null });
  });

  it('dead-letters garbage bytes and an unknown schema id with a reason, then handles the next good record', async () => {
    const poisonCatalog = resolveCatalog(`${uniqueName('poison')}.`);
    await applyTopics(admin, poisonCatalog);
    const serde = createSerde({ schemaRegistry, catalog: poisonCatalog, source: 'mlstream/test' });
    const topic = poisonCatalog.topic('feedback');
    const handled: string[] = [];
    const dlqProducer = kafka.producer({ idempotent: true });
    await dlqProducer.connect();
    const group = uniqueName('poison-group');
    const deadLetter = createDeadLetterSink({ producer: dlqProducer, serde, consumer: group });
    const consumer = kafka.consumer(consumerPreset({ groupId: group }));
    const good = await serde.encode('LabelObserved', { eventId: randomUUID(), occurredAt: 2, requestId: 'good-after-poison', model: 'churn', label: 'yes' });
    const unknownId = Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 1, 2, 3]);
    await producer.send({
      topic,
      acks: -1,
      messages: [
        { key: 'churn', value: Buffer.from('{"not":"avro"}'), headers: { origin: 'test' } },
        { key: 'churn', value: unknownId },
        good.message,
      ],
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async (record) => {
        const decoded = await decodeOrDeadLetter(serde, record, { logger: testLogger('poison') });
        if (decoded.deadLetter) await deadLetter(decoded.deadLetter.record, decoded.deadLetter.error);
        else if (decoded.event.type === 'LabelObserved') handled.push(decoded.event.value.requestId);
      },
    });
    try {
      await waitFor(() => handled.includes('good-after-poison'), { what: 'the good record', timeoutMs: 60_000 });
    } finally {
      await consumer.disconnect();
      await dlqProducer.disconnect();
    }
    const dead = await readAll(poisonCatalog.topic('deadletter'), 2);
    const letters = await Promise.all(dead.map((d) => serde.decode({ topic: poisonCatalog.topic('deadletter'), ...d })));
    const summary = letters.map((l) => {
      if (l.type !== 'DeadLetter') throw new Error(`unexpected ${l.type}`);
      return { code: l.value.errorCode, topic: l.value.sourceTopic, consumer: l.value.consumer, key: l.key, reason: l.value.reason };
    });
    expect(summary).toEqual([
      { code: 'CORRUPT_MESSAGE', topic, consumer: group, key: topic, reason: 'first byte is 123, not the Confluent magic byte 0' },
      { code: 'UNKNOWN_SCHEMA_ID', topic, consumer: group, key: topic, reason: 'schema id 2147483632 is not registered' },
    ]);
    const first = letters[0]!;
    if (first.type !== 'DeadLetter') throw new Error('unreachable');
    expect(first.value.value?.toString()).toBe('{"not":"avro"}');
    expect(first.value.headers).toEqual([{ key: 'origin', value: Buffer.from('test') }]);
    expect(first.value.sourcePartition).toBeGreaterThanOrEqual(0);
    // Both poison records sat in one partition (same key), at offsets 0 and 1.
    expect(letters.map((l) => (l.type === 'DeadLetter' ? [l.value.sourcePartition, l.value.sourceOffset] : []))).toEqual([
      [first.value.sourcePartition, 0],
      [first.value.sourcePartition, 1],
    ]);
  });
});
