import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import avro from 'avsc';
import type { Admin } from 'kafkajs';
import { createSchemaRegistryClient, isMlstreamError } from '@mlstream/kit';
import { stackDown, stackUp } from '@mlstream/cli';
import { createTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';

// Settles DESIGN.md §3's registry risks: @kafkajs/confluent-schema-registry
// against Apicurio's ccompat API, compatibility configuration included, and
// schemas that survive a registry restart (kafkasql storage).
describe('schema registry (Apicurio ccompat) with @kafkajs/confluent-schema-registry', () => {
  const topic = uniqueName('registry');
  const namespace = `dev.mlstream.smoke.${topic.replace(/[^A-Za-z0-9]/g, '_')}`;
  const v1 = {
    type: 'record',
    name: 'Ping',
    namespace,
    fields: [
      { name: 'eventId', type: 'string' },
      { name: 'occurredAt', type: { type: 'long', logicalType: 'timestamp-millis' } },
    ],
  };
  const subject = `${topic}-${namespace}.Ping`;
  const kafka = testKafka('registry-smoke');
  let admin: Admin;
  let id1 = 0;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [{ topic }]);
  });
  afterAll(async () => {
    await admin.disconnect();
  });

  it('registers under TopicRecordNameStrategy with BACKWARD_TRANSITIVE and round-trips a Confluent-framed message through Kafka', async () => {
    const schemaRegistry = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
    id1 = await schemaRegistry.register(subject, v1);
    expect(id1).toBeGreaterThan(0);
    expect(await schemaRegistry.register(subject, v1)).toBe(id1); // idempotent
    expect(await schemaRegistry.compatibility(subject)).toBe('BACKWARD_TRANSITIVE');

    const type = await schemaRegistry.typeById(id1);
    const payload = type.toBuffer({ eventId: 'e-1', occurredAt: 1_700_000_000_000 });
    const header = Buffer.alloc(5);
    header.writeUInt8(0, 0);
    header.writeUInt32BE(id1, 1);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: [{ key: 'k', value: Buffer.concat([header, payload]) }] });
    await producer.disconnect();

    const consumer = kafka.consumer({ groupId: uniqueName('reader') });
    const values: Buffer[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!) });
    await waitFor(() => values.length === 1, { what: 'the framed message' });
    await consumer.disconnect();

    const value = values[0]!;
    expect(value.readUInt8(0)).toBe(0);
    const decodedType = await createSchemaRegistryClient({ url: connections.schemaRegistryUrl }).typeById(value.readUInt32BE(1));
    expect(decodedType.fromBuffer(value.subarray(5))).toEqual({ eventId: 'e-1', occurredAt: 1_700_000_000_000 });
  });

  it('accepts a compatible evolution and rejects an incompatible one with SCHEMA_INCOMPATIBLE', async () => {
    const schemaRegistry = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
    const v2 = { ...v1, fields: [...v1.fields, { name: 'note', type: ['null', 'string'], default: null }] };
    const id2 = await schemaRegistry.register(subject, v2);
    expect(id2).not.toBe(id1);
    expect(await schemaRegistry.versions(subject)).toHaveLength(2);

    const broken = { ...v1, fields: [...v1.fields, { name: 'required', type: 'int' }] };
    const error = await schemaRegistry.register(subject, broken).catch((e: unknown) => e);
    expect(isMlstreamError(error, 'SCHEMA_INCOMPATIBLE')).toBe(true);
    expect(String((error as Error).message)).toMatch(/required|incompatib/i);
    expect(await schemaRegistry.versions(subject)).toHaveLength(2);
    // Sanity: avsc agrees that v2 reads v1 data.
    const resolver = avro.Type.forSchema(v2 as avro.Schema).createResolver(avro.Type.forSchema(v1 as avro.Schema));
    expect(resolver).toBeDefined();
  });

  it('reports an unknown schema id as UNKNOWN_SCHEMA_ID', async () => {
    const schemaRegistry = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
    const error = await schemaRegistry.typeById(987_654_321).catch((e: unknown) => e);
    expect(isMlstreamError(error, 'UNKNOWN_SCHEMA_ID')).toBe(true);
  });

  it('still resolves a registered schema after the registry restarts (kafkasql storage)', async () => {
    await stackDown(() => {}, undefined, ['registry']);
    const down = await createSchemaRegistryClient({ url: connections.schemaRegistryUrl, timeoutMs: 1_000 }).ping().catch((e: unknown) => e);
    expect(isMlstreamError(down, 'REGISTRY_UNAVAILABLE')).toBe(true);

    const result = await stackUp();
    expect(result.started).toEqual(['registry']);
    const fresh = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
    const type = await fresh.typeById(id1);
    expect(type.name).toBe(`${namespace}.Ping`);
    expect(await fresh.versions(subject)).toHaveLength(2);
  });
});
