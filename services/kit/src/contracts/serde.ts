import type avro from 'avsc';
import type { KafkaMessage, Message } from 'kafkajs';
import { MlstreamError, isMlstreamError } from '../errors/index.ts';
import type { SchemaRegistryClient } from '../schema-registry/index.ts';
import { recordKeys, subjectFor, type ResolvedCatalog } from './catalog.ts';
import type { RecordName, RecordTypes } from './generated/types.ts';
import { buildHeaders, readHeaders, type EventMeta } from './headers.ts';
import { parseForWriting } from './finite-numbers.ts';
import { createInterningParser } from './interned-strings.ts';
import { readSchemaFiles, type SchemaFile } from './schemas.ts';
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
  /**
   * `encode` without a promise once the record type's schema id is known (after
   * one `encode`/`encodeAll` of that type, or `registerAll`): the encoded record,
   * or `undefined` before, so a producer writes
   * `serde.encodeKnown(type, value) ?? (await serde.encode(type, value))`.
   * A violation throws (synchronously) the SCHEMA_VIOLATION `encode` rejects with.
   */
  encodeKnown<K extends RecordName>(type: K, value: RecordTypes[K], meta?: EventMeta): EncodedRecord | undefined;
  /**
   * `encode` for a batch of one record type with one promise instead of one per
   * record; nothing is returned unless every record is valid (a violation names
   * the record's index in `details.index`).
   */
  encodeAll<K extends RecordName>(type: K, values: ReadonlyArray<RecordTypes[K]>, meta?: EventMeta): Promise<EncodedRecord[]>;
  /** Decodes a consumed message; poison input throws a coded, dead-letterable error. */
  decode(record: { topic: string; partition: number; message: KafkaMessage }): Promise<DecodedEvent>;
  /**
   * `decode` without a promise, for a message whose schema id this serde has
   * already resolved (after one `decode` of that id): the decoded record, or
   * `undefined` when the id is not known yet, so a consumer writes
   * `serde.decodeKnown(record) ?? (await serde.decode(record))` and pays a
   * promise only for the first record of each schema id. Poison input throws
   * (synchronously) the same coded errors `decode` rejects with.
   */
  decodeKnown(record: { topic: string; partition: number; message: KafkaMessage }): DecodedEvent | undefined;
  /** The local avsc type of a record (e.g. for benchmarks and tests). */
  typeOf(type: RecordName): avro.Type;
}

const MAGIC = 0;
const HEADER_BYTES = 5;

/** What encode needs of a record type, worked out once per type instead of once per record. */
type Writer = {
  name: RecordName;
  fullName: string;
  schema: object;
  type: avro.Type;
  topic: string;
  key: (value: never) => string;
  /** The registry id once known: encoding then runs without a promise hop. */
  id?: number;
};

/** The Avro value after the Confluent header; like `fromBuffer` (truncated or trailing bytes throw) without a subarray per record. */
function readFramed(type: avro.Type, buf: Buffer, resolver?: avro.Resolver): unknown {
  const { value, offset } = type.decode(buf, HEADER_BYTES, resolver);
  if (offset < 0) throw new Error('truncated buffer');
  if (offset < buf.length) throw new Error('trailing data');
  return value;
}

/**
 * A decoded record. Headers are turned into strings only when read (most
 * consumers never look at them), and so is the key: getters on the prototype,
 * because an object literal with a getter costs microseconds to build. `toJSON`
 * includes both; a spread (`{ ...event }`) does not, so read them by name.
 */
class Decoded {
  #message: KafkaMessage;
  #key: string | null | undefined;
  #headers: Record<string, string> | undefined;
  constructor(
    readonly type: RecordName,
    readonly value: unknown,
    readonly schemaId: number,
    readonly topic: string,
    readonly partition: number,
    readonly offset: string,
    message: KafkaMessage,
  ) {
    this.#message = message;
  }
  get key(): string | null {
    if (this.#key === undefined) this.#key = this.#message.key ? this.#message.key.toString('utf8') : null;
    return this.#key;
  }
  get headers(): Record<string, string> {
    return (this.#headers ??= readHeaders(this.#message.headers));
  }
  toJSON() {
    const { type, value, schemaId, topic, partition, offset, key, headers } = this;
    return { type, value, schemaId, topic, partition, offset, key, headers };
  }
}

/**
 * Encoding and decoding of every mlstream record. Wire format: Confluent
 * framing (magic byte 0, 4-byte big-endian schema id, Avro binary); subjects
 * by TopicRecordNameStrategy. Old events are read through an avsc resolver
 * from their writer schema to ours, so a topic stays readable forever.
 *
 * Encoding validates once: the precompiled avsc writer refuses every value
 * that does not match the schema (it throws), its doubles and floats also
 * NaN and ±Infinity (parseForWriting). The field-by-field walk that names
 * each violation runs only for a record that failed. Decoding reuses the
 * strings it has read before (createInterningParser).
 */
export function createSerde(options: SerdeOptions): Serde {
  const { schemaRegistry, catalog, source } = options;
  if (!source) throw new TypeError('createSerde: `source` is required, e.g. "mlstream/gateway"');
  const files = options.schemas ?? readSchemaFiles();
  // Same schemas, parsed twice: written with types that refuse non-finite numbers, read with types that reuse repeated strings.
  const parseForReading = createInterningParser();
  const byName = new Map(files.map((f) => [f.name, { file: f, type: parseForWriting(f.schema), readType: parseForReading(f.schema) }]));
  const byFullName = new Map(files.map((f) => [f.fullName, f.name as RecordName]));
  const ids = new Map<RecordName, Promise<number>>();
  type Reader = { name: RecordName; read: (buf: Buffer) => unknown; /** The last topic found to carry it. */ topic?: string };
  const readers = new Map<number, Promise<Reader>>();
  /** Readers already resolved, used without a promise hop on the hot path. */
  const ready = new Map<number, Reader>();
  const checkTopic = (r: Reader, topic: string): Reader => {
    if (r.topic === topic) return r;
    const spec = catalog.byTopic(topic);
    if (spec && !spec.records.includes(r.name)) {
      throw new MlstreamError('UNEXPECTED_RECORD_TYPE', `${r.name} is not carried by ${topic} (expected ${spec.records.join(', ')})`, {
        details: { record: r.name, topic },
      });
    }
    r.topic = topic;
    return r;
  };

  const local = (type: RecordName) => {
    const entry = byName.get(type);
    if (!entry) throw new MlstreamError('UNEXPECTED_RECORD_TYPE', `no schema for record type ${type}`);
    return entry;
  };

  const writers = new Map<RecordName, Writer>();
  const writerFor = (name: RecordName): Writer => {
    let writer = writers.get(name);
    if (!writer) {
      const { file, type } = local(name);
      writer = {
        name,
        fullName: file.fullName,
        schema: file.schema,
        type,
        topic: catalog.topicOf(name),
        key: recordKeys[name] as (value: never) => string,
      };
      writers.set(name, writer);
    }
    return writer;
  };

  const idFor = (writer: Writer): Promise<number> => {
    let id = ids.get(writer.name);
    if (!id) {
      id = schemaRegistry.register(subjectFor(writer.topic, writer.fullName), writer.schema);
      id.then((known) => (writer.id = known)).catch(() => ids.delete(writer.name));
      ids.set(writer.name, id);
    }
    return id;
  };

  /** Avro bytes of one record behind room for the Confluent header, or SCHEMA_VIOLATION naming every bad field. */
  let scratch = Buffer.allocUnsafe(64 * 1024);
  const body = (writer: Writer, value: unknown): Buffer => {
    let end: number;
    try {
      end = writer.type.encode(value, scratch, HEADER_BYTES);
      if (end < 0) {
        scratch = Buffer.allocUnsafe(2 * (scratch.length - end));
        end = writer.type.encode(value, scratch, HEADER_BYTES);
      }
    } catch (cause) {
      throw violation(writer, value, cause);
    }
    const framed = Buffer.allocUnsafe(end);
    scratch.copy(framed, 0, 0, end);
    return framed;
  };

  const violation = (writer: Writer, value: unknown, cause?: unknown) => {
    const problems = violations(writer.type, value);
    if (!problems.length) problems.push({ path: '', message: cause instanceof Error ? cause.message : String(cause) });
    const list = problems.map((p) => `${writer.name}${p.path ? `.${p.path}` : ''}: ${p.message}`);
    return new MlstreamError('SCHEMA_VIOLATION', list.join('; '), { cause, details: { record: writer.name, violations: problems } });
  };

  const framed = (writer: Writer, schemaId: number, bytes: Buffer, value: unknown, meta: EventMeta): EncodedRecord => {
    bytes[0] = MAGIC;
    bytes.writeUInt32BE(schemaId, 1);
    const record = value as { eventId: string; occurredAt: number };
    return {
      topic: writer.topic,
      message: {
        key: writer.key(value as never),
        value: bytes,
        headers: buildHeaders(writer.fullName, record.eventId, record.occurredAt, source, meta),
      },
    };
  };

  const decoded = (reader: Reader, schemaId: number, bytes: Buffer, topic: string, partition: number, message: KafkaMessage): DecodedEvent => {
    let value: unknown;
    try {
      value = reader.read(bytes);
    } catch (cause) {
      throw new MlstreamError('CORRUPT_MESSAGE', `bytes do not decode as ${reader.name} (schema id ${schemaId}): ${(cause as Error).message}`, { cause });
    }
    return new Decoded(reader.name, value, schemaId, topic, partition, message.offset, message) as unknown as DecodedEvent;
  };

  /** The message's value if it can be a framed Avro record, else CORRUPT_MESSAGE. */
  const framedBytes = (message: KafkaMessage): Buffer => {
    const bytes = message.value;
    if (!bytes || bytes.length < 6) {
      throw new MlstreamError('CORRUPT_MESSAGE', `value of ${bytes?.length ?? 0} bytes is too short for a framed Avro record`);
    }
    if (bytes[0] !== MAGIC) {
      throw new MlstreamError('CORRUPT_MESSAGE', `first byte is ${bytes[0]}, not the Confluent magic byte 0`);
    }
    return bytes;
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
        const { readType } = local(name);
        if (writer.equals(readType)) return { name, read: (buf: Buffer) => readFramed(readType, buf) };
        let resolver: avro.Resolver;
        try {
          resolver = readType.createResolver(writer);
        } catch (cause) {
          throw new MlstreamError('SCHEMA_VIOLATION', `cannot read ${writer.name} written with schema id ${schemaId}: ${(cause as Error).message}`, { cause });
        }
        return { name, read: (buf: Buffer) => readFramed(readType, buf, resolver) };
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
        for (const record of spec.records) out.set(subjectFor(spec.topic, local(record).file.fullName), await idFor(writerFor(record)));
      }
      return out;
    },

    // Not `async` either: once the schema id is known, encoding is synchronous.
    encode(type, value, meta = {}) {
      try {
        const writer = writerFor(type);
        const bytes = body(writer, value);
        if (writer.id !== undefined) return Promise.resolve(framed(writer, writer.id, bytes, value, meta));
        return idFor(writer).then((id) => framed(writer, id, bytes, value, meta));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },

    encodeKnown(type, value, meta = {}) {
      const writer = writerFor(type);
      if (writer.id === undefined) return undefined;
      return framed(writer, writer.id, body(writer, value), value, meta);
    },

    async encodeAll(type, values, meta = {}) {
      const writer = writerFor(type);
      const bodies: Buffer[] = new Array(values.length);
      for (let i = 0; i < values.length; i++) {
        try {
          bodies[i] = body(writer, values[i]);
        } catch (error) {
          if (isMlstreamError(error, 'SCHEMA_VIOLATION')) {
            throw new MlstreamError('SCHEMA_VIOLATION', `record ${i}: ${error.message}`, { cause: error.cause, details: { ...(error.details as object), index: i } });
          }
          throw error;
        }
      }
      const schemaId = writer.id ?? (await idFor(writer));
      const out: EncodedRecord[] = new Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = framed(writer, schemaId, bodies[i]!, values[i], meta);
      return out;
    },

    // Not `async`: with the schema id's reader at hand, decoding is synchronous and
    // an already-settled promise is all the caller waits for.
    decode({ topic, partition, message }) {
      try {
        const bytes = framedBytes(message);
        const schemaId = bytes.readUInt32BE(1);
        const known = ready.get(schemaId);
        if (known) return Promise.resolve(decoded(checkTopic(known, topic), schemaId, bytes, topic, partition, message));
        return readerFor(schemaId, topic).then((reader) => decoded(reader, schemaId, bytes, topic, partition, message));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },

    decodeKnown({ topic, partition, message }) {
      const bytes = framedBytes(message);
      const schemaId = bytes.readUInt32BE(1);
      const known = ready.get(schemaId);
      return known && decoded(checkTopic(known, topic), schemaId, bytes, topic, partition, message);
    },
  };
}
