import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { isMlstreamError } from '../errors/index.ts';
import type { SchemaRegistryClient } from '../schema-registry/index.ts';
import { resolveCatalog } from './catalog.ts';
import type { RecordTypes } from './generated/types.ts';
import { parseSchema } from './schemas.ts';
import { createSerde } from './serde.ts';

/** A schema registry in memory: ids from 1, one per distinct (subject, schema). Test double of the real client. */
function memoryRegistry(): SchemaRegistryClient & { registered: string[] } {
  const ids = new Map<string, number>();
  const schemas = new Map<number, object>();
  const registered: string[] = [];
  return {
    url: 'memory:',
    registered,
    async register(subject, schema) {
      const key = `${subject}\u0000${JSON.stringify(schema)}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size + 1;
        ids.set(key, id);
        schemas.set(id, schema);
        registered.push(subject);
      }
      return id;
    },
    async typeById(id) {
      const schema = schemas.get(id);
      if (!schema) throw new Error(`no schema ${id}`);
      return parseSchema(schema as never);
    },
    async versions() {
      return [];
    },
    async compatibility() {
      return 'BACKWARD_TRANSITIVE';
    },
    async ping() {},
  };
}

const prediction: RecordTypes['PredictionLogged'] = {
  eventId: '2b0a7f5e-6a7e-4d7c-9d55-1f1f0e3c8a10',
  occurredAt: 1_764_000_000_000,
  requestId: 'r-1',
  model: 'churn',
  version: 3,
  numericFeatures: { age: 41 },
  categoricalFeatures: { plan: 'pro' },
  prediction: 0.82,
  probabilities: null,
  latencyMs: 4.2,
  error: null,
};

const schemaViolation = (record: string, path: string) => (error: unknown) =>
  isMlstreamError(error, 'SCHEMA_VIOLATION') && (error.details as { record: string; violations: Array<{ path: string }> }).record === record && (error.details as { violations: Array<{ path: string }> }).violations.some((v) => v.path === path);

describe('serde.encode', () => {
  const catalog = resolveCatalog('t.');
  const setup = () => {
    const schemaRegistry = memoryRegistry();
    return { schemaRegistry, serde: createSerde({ schemaRegistry, catalog, source: 'mlstream/test' }) };
  };

  it('frames a valid record the Confluent way and decodes it back', async () => {
    const { serde } = setup();
    const encoded = await serde.encode('PredictionLogged', prediction);
    expect(encoded.topic).toBe('t.mlops.predictions.v1');
    expect(encoded.message.key).toBe('churn');
    expect(encoded.message.value[0]).toBe(0);
    expect(encoded.message.value.readUInt32BE(1)).toBe(1);
    const message = { ...encoded.message, offset: '0', timestamp: '0', attributes: 0, size: 0, headers: encoded.message.headers } as unknown as KafkaMessage;
    const decoded = await serde.decode({ topic: encoded.topic, partition: 0, message });
    expect(decoded).toMatchObject({ type: 'PredictionLogged', value: prediction, schemaId: 1 });
  });

  it('refuses a record with a NaN before it reaches the wire: SCHEMA_VIOLATION naming the field', async () => {
    const { serde, schemaRegistry: registry } = setup();
    await expect(serde.encode('PredictionLogged', { ...prediction, numericFeatures: { age: Number.NaN } })).rejects.toSatisfy(schemaViolation('PredictionLogged', 'numericFeatures.age'));
    await expect(serde.encode('PredictionLogged', { ...prediction, latencyMs: Number.POSITIVE_INFINITY })).rejects.toSatisfy(schemaViolation('PredictionLogged', 'latencyMs'));
    // Validation comes first: nothing was registered for a record that cannot be written.
    expect(registry.registered).toEqual([]);
  });

  it('refuses a wrong type or a missing field with SCHEMA_VIOLATION, not an encoder crash', async () => {
    const { serde } = setup();
    await expect(serde.encode('PredictionLogged', { ...prediction, version: 'three' as unknown as number })).rejects.toSatisfy(schemaViolation('PredictionLogged', 'version'));
    const { requestId: _omitted, ...missing } = prediction;
    await expect(serde.encode('PredictionLogged', missing as typeof prediction)).rejects.toSatisfy(schemaViolation('PredictionLogged', 'requestId'));
  });

  it('encodes a batch with one promise, and names the index of the first bad record', async () => {
    const { serde } = setup();
    const batch = [prediction, { ...prediction, eventId: '2b0a7f5e-6a7e-4d7c-9d55-1f1f0e3c8a11', model: 'other' }];
    const encoded = await serde.encodeAll('PredictionLogged', batch, { correlationId: 'req-1' });
    expect(encoded.map((e) => [e.topic, e.message.key, e.message.headers?.ce_id, e.message.headers?.correlation_id])).toEqual([
      ['t.mlops.predictions.v1', 'churn', prediction.eventId, 'req-1'],
      ['t.mlops.predictions.v1', 'other', batch[1]!.eventId, 'req-1'],
    ]);
    expect(encoded.map((e) => e.message.value.subarray(5))).toEqual(batch.map((v) => serde.typeOf('PredictionLogged').toBuffer(v)));
    await expect(serde.encodeAll('PredictionLogged', [prediction, { ...prediction, latencyMs: Number.NaN }])).rejects.toSatisfy(
      (e) => schemaViolation('PredictionLogged', 'latencyMs')(e) && (e as { details: { index: number } }).details.index === 1,
    );
  });

  it('encodeKnown answers undefined before the schema id is known, then encodes synchronously what encode encodes, throwing a violation', async () => {
    const { serde } = setup();
    expect(serde.encodeKnown('PredictionLogged', prediction)).toBeUndefined();
    const viaPromise = await serde.encode('PredictionLogged', prediction, { correlationId: 'c' });
    expect(serde.encodeKnown('PredictionLogged', prediction, { correlationId: 'c' })).toEqual(viaPromise);
    expect(() => serde.encodeKnown('PredictionLogged', { ...prediction, numericFeatures: { age: Number.NaN } })).toSatisfy((fn: () => unknown) => {
      try {
        fn();
        return false;
      } catch (error) {
        return schemaViolation('PredictionLogged', 'numericFeatures.age')(error);
      }
    });
  });

  it('decodes headers as strings and refuses a record on a topic that does not carry it, also after a good one', async () => {
    const { serde } = setup();
    const encoded = await serde.encode('PredictionLogged', prediction);
    const message = { ...encoded.message, offset: '7', timestamp: '0', attributes: 0, size: 0, headers: { ce_id: Buffer.from(prediction.eventId), ce_type: [Buffer.from('x')] } } as unknown as KafkaMessage;
    const decoded = await serde.decode({ topic: encoded.topic, partition: 2, message });
    expect(decoded.headers).toEqual({ ce_id: prediction.eventId, ce_type: 'x' });
    expect(JSON.parse(JSON.stringify(decoded))).toMatchObject({ offset: '7', partition: 2, key: 'churn', headers: { ce_id: prediction.eventId } });
    await expect(serde.decode({ topic: 't.mlops.feedback.v1', partition: 0, message })).rejects.toSatisfy((e) => isMlstreamError(e, 'UNEXPECTED_RECORD_TYPE'));
    expect((await serde.decode({ topic: encoded.topic, partition: 0, message })).type).toBe('PredictionLogged');
  });
});

describe('serde.decodeKnown', () => {
  const catalog = resolveCatalog('t.');
  const consumed = (value: Buffer, offset = '0') => ({ key: Buffer.from('churn'), value, offset, timestamp: '0', attributes: 0, size: 0, headers: {} }) as unknown as KafkaMessage;

  it('answers undefined until the schema id is known, then decodes synchronously what decode decodes', async () => {
    const serde = createSerde({ schemaRegistry: memoryRegistry(), catalog, source: 'mlstream/test' });
    const encoded = await serde.encode('PredictionLogged', prediction);
    const record = { topic: encoded.topic, partition: 1, message: consumed(encoded.message.value, '9') };
    expect(serde.decodeKnown(record)).toBeUndefined();
    const first = await serde.decode(record);
    const known = serde.decodeKnown(record);
    expect(known).toMatchObject({ type: 'PredictionLogged', value: prediction, schemaId: 1, topic: encoded.topic, partition: 1, offset: '9', key: 'churn' });
    expect(JSON.stringify(known)).toBe(JSON.stringify(first));
  });

  it('throws the coded errors decode rejects with: corrupt bytes, a record on a topic that does not carry it', async () => {
    const serde = createSerde({ schemaRegistry: memoryRegistry(), catalog, source: 'mlstream/test' });
    const encoded = await serde.encode('PredictionLogged', prediction);
    await serde.decode({ topic: encoded.topic, partition: 0, message: consumed(encoded.message.value) });
    const thrown = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    expect(isMlstreamError(thrown(() => serde.decodeKnown({ topic: encoded.topic, partition: 0, message: consumed(Buffer.from([0, 0])) })), 'CORRUPT_MESSAGE')).toBe(true);
    expect(isMlstreamError(thrown(() => serde.decodeKnown({ topic: encoded.topic, partition: 0, message: consumed(Buffer.from([1, 0, 0, 0, 1, 0])) })), 'CORRUPT_MESSAGE')).toBe(true);
    const truncated = encoded.message.value.subarray(0, encoded.message.value.length - 3);
    expect(isMlstreamError(thrown(() => serde.decodeKnown({ topic: encoded.topic, partition: 0, message: consumed(truncated) })), 'CORRUPT_MESSAGE')).toBe(true);
    const trailing = Buffer.concat([encoded.message.value, Buffer.from([0])]);
    expect(isMlstreamError(thrown(() => serde.decodeKnown({ topic: encoded.topic, partition: 0, message: consumed(trailing) })), 'CORRUPT_MESSAGE')).toBe(true);
    expect(isMlstreamError(thrown(() => serde.decodeKnown({ topic: 't.mlops.feedback.v1', partition: 0, message: consumed(encoded.message.value) })), 'UNEXPECTED_RECORD_TYPE')).toBe(true);
  });
});
