import type avro from 'avsc';
import type { KafkaMessage, Message } from 'kafkajs';
import { MlstreamError, isMlstreamError } from '../errors/index.ts';
import type { SchemaRegistryClient } from '../schema-registry/index.ts';
import { recordKeys, subjectFor, type ResolvedCatalog } from './catalog.ts';
import type { RecordName, RecordTypes } from './generated/types.ts';
import { buildHeaders, readHeaders, type EventMeta } from './headers.ts';
import { parseSchema, readSchemaFiles, type SchemaFile } from './schemas.ts';
import { violations } from './validate.ts';

/** A decoded record, discriminated by its type. */
export type DecodedEvent = {
  [K in RecordName]: {
    type: K;
    value: RecordTypes[K];
    /** Registry id of the schema it was written with. */
    schemaId: number;
    topic: string;
    partition: number;
    offset: string;
    key: string | null;
    headers: Record<string, string>;
  };
}[RecordName];

export interface EncodedRecord {
  topic: string;
  message: Message & { key: string; value: Buffer };
}

export interface SerdeOptions {
  schemaRegistry: SchemaRegistryClient;
  catalog: ResolvedCatalog;
  /** CloudEvents `ce_source` of what this process produces, e.g. `mlstream/gateway`. */
  source: string;
  /** Schema files; default: the repository's schemas/. */
  schemas?: SchemaFile[];
}

export interface Serde {
  /** Registers every catalog schema (BACKWARD_TRANSITIVE) and caches the ids; run at start-up. */
  registerAll(): Promise<Map<string, number>>;
  /** Validates (naming the field path), frames the Confluent way and sets CloudEvents headers. */
  encode<K extends RecordName>(type: K, value: RecordTypes[K], meta?: EventMeta): Promise<EncodedRecord>;
  /** Decodes a consumed message; poison input throws a coded, dead-letterable error. */
  decode(record: { topic: string; partition: number; message: KafkaMessage }): Promise<DecodedEvent>;
  /** The local avsc type of a record (e.g. for benchmarks and tests). */
  typeOf(type: RecordName): avro.Type;
}

const MAGIC = 0;

/**
 * Encoding and decoding of every mlstream record. Wire format: Confluent
 * framing (magic byte 0, 4-byte big-endian schema id, Avro binary); subjects
 * by TopicRecordNameStrategy. Old events are read through an avsc resolver
 * from their writer schema to ours, so a topic stays readable forever.
 */
export function createSerde(options: SerdeOptions): Serde {
  const { schemaRegistry, catalog, source } = options;
  if (!source) throw new TypeError('createSerde: `source` is required, e.g. "mlstream/gateway"');
  const files = options.schemas ?? readSchemaFiles();
  const byName = new Map(files.map((f) => [f.name, { file: f, type: parseSchema(f.schema) }]));
  const byFullName = new Map(files.map((f) => [f.fullName, f.name as RecordName]));
  const ids = new Map<RecordName, Promise<number>>();
  type Reader = { name: RecordName; read: (buf: Buffer) => unknown };
  const readers = new Map<number, Promise<Reader>>();
  /** Readers already resolved, used without a promise hop on the hot path. */
  const ready = new Map<number, Reader>();
  const checkTopic = (r: Reader, topic: string): Reader => {
    const spec = catalog.byTopic(topic);
    if (spec && !spec.records.includes(r.name)) {
      throw new MlstreamError('UNEXPECTED_RECORD_TYPE', `${r.name} is not carried by ${topic} (expected ${spec.records.join(', ')})`, {
        details: { record: r.name, topic },
      });
    }
    return r;
  };

  const local = (type: RecordName) => {
    const entry = byName.get(type);
    if (!entry) throw new MlstreamError('UNEXPECTED_RECORD_TYPE', `no schema for record type ${type}`);
    return entry;
  };

  const idFor = (type: RecordName): Promise<number> => {
    let id = ids.get(type);
    if (!id) {
      const { file } = local(type);
      id = schemaRegistry.register(subjectFor(catalog.topicOf(type), file.fullName), file.schema);
      id.catch(() => ids.delete(type));
      ids.set(type, id);
    }
    return id;
  };

  const readerFor = (schemaId: number, topic: string) => {
    let reader = readers.get(schemaId);
    if (!reader) {
      reader = (async () => {
        const writer = await schemaRegistry.typeById(schemaId);
        const name = byFullName.get(writer.name ?? '');
        if (!name) {
          throw new MlstreamError('UNEXPECTED_RECORD_TYPE', `schema id ${schemaId} is ${writer.name ?? 'an unnamed type'}, which mlstream does not know`, {
            details: { schemaId, writer: writer.name },
          });
        }
        const { type } = local(name);
        if (writer.equals(type)) return { name, read: (buf: Buffer) => type.fromBuffer(buf) };
        let resolver: avro.Resolver;
        try {
          resolver = type.createResolver(writer);
        } catch (cause) {
          throw new MlstreamError('SCHEMA_VIOLATION', `cannot read ${writer.name} written with schema id ${schemaId}: ${(cause as Error).message}`, { cause });
        }
        return { name, read: (buf: Buffer) => type.fromBuffer(buf, resolver) };
      })();
      reader.then((r) => ready.set(schemaId, r)).catch(() => {});
      reader.catch((error: unknown) => {
        // A registry outage may heal; an unknown or foreign schema will not.
        if (isMlstreamError(error, 'REGISTRY_UNAVAILABLE')) readers.delete(schemaId);
      });
      readers.set(schemaId, reader);
    }
    return reader.then((r) => checkTopic(r, topic));
  };

  return {
    typeOf: (type) => local(type).type,

    async registerAll() {
      const out = new Map<string, number>();
      for (const spec of catalog.topics) {
        for (const record of spec.records) out.set(subjectFor(spec.topic, local(record).file.fullName), await idFor(record));
      }
      return out;
    },

    async encode(type, value, meta = {}) {
      const { file, type: avroType } = local(type);
      const problems = violations(avroType, value);
      if (problems.length) {
        const list = problems.map((p) => `${type}.${p.path}: ${p.message}`);
        throw new MlstreamError('SCHEMA_VIOLATION', list.join('; '), { details: { record: type, violations: problems } });
      }
      const schemaId = await idFor(type);
      const header = Buffer.alloc(5);
      header.writeUInt8(MAGIC, 0);
      header.writeUInt32BE(schemaId, 1);
      const record = value as { eventId: string; occurredAt: number };
      return {
        topic: catalog.topicOf(type),
        message: {
          key: (recordKeys[type] as (v: RecordTypes[typeof type]) => string)(value),
          value: Buffer.concat([header, avroType.toBuffer(value)]),
          headers: { ...buildHeaders(file.fullName, record.eventId, record.occurredAt, source, meta) },
        },
      };
    },

    async decode({ topic, partition, message }) {
      const bytes = message.value;
      if (!bytes || bytes.length < 6) {
        throw new MlstreamError('CORRUPT_MESSAGE', `value of ${bytes?.length ?? 0} bytes is too short for a framed Avro record`);
      }
      if (bytes.readUInt8(0) !== MAGIC) {
        throw new MlstreamError('CORRUPT_MESSAGE', `first byte is ${bytes.readUInt8(0)}, not the Confluent magic byte 0`);
      }
      const schemaId = bytes.readUInt32BE(1);
      const known = ready.get(schemaId);
      const reader = known ? checkTopic(known, topic) : await readerFor(schemaId, topic);
      let value: unknown;
      try {
        value = reader.read(bytes.subarray(5));
      } catch (cause) {
        throw new MlstreamError('CORRUPT_MESSAGE', `bytes do not decode as ${reader.name} (schema id ${schemaId}): ${(cause as Error).message}`, { cause });
      }
      return {
        type: reader.name,
        value,
        schemaId,
        topic,
        partition,
        offset: message.offset,
        key: message.key ? message.key.toString('utf8') : null,
        headers: readHeaders(message.headers),
      } as DecodedEvent;
    },
  };
}
