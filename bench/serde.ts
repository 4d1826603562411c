// PredictionLogged encode/decode through the serde (validation, framing,
// headers, registry-id cache) beside raw avsc toBuffer/fromBuffer on the same
// records. Encode is `encodeKnown` and decode `decodeKnown`, the synchronous
// calls a producer or consumer makes once the schema id is known; only a side
// that returns a promise is awaited (neither does now). The two sides alternate in slices of SLICE records and each side's
// time is summed, so a burst of load on this shared machine hits both alike.
// Time is this process's CPU time (user + system), not wall time: on a machine
// where other work takes the cores, wall time measures the other work.
//
// Knob: MLSTREAM_BENCH_SERDE_RECORDS (records per side per round, default 200 000).
import { randomUUID } from 'node:crypto';
import type { KafkaMessage } from 'kafkajs';
import { createSchemaRegistryClient, createSerde, loadConnections, parseSchema, readSchemaFiles, resolveCatalog, type PredictionLogged } from '@mlstream/kit';

const N = Number(process.env.MLSTREAM_BENCH_SERDE_RECORDS ?? 200_000);
const SLICE = 5_000;

function records(n: number): PredictionLogged[] {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, i) => ({
    eventId: randomUUID(),
    occurredAt: 1_764_201_600_000 + i,
    requestId: `req-${i}`,
    model: 'churn',
    version: 3,
    numericFeatures: { age: 20 + rnd() * 50, income: rnd() * 100_000, tenure: rnd() * 10, score: rnd() },
    categoricalFeatures: { plan: rnd() < 0.5 ? 'pro' : 'basic', region: rnd() < 0.3 ? 'eu' : 'us' },
    prediction: rnd(),
    probabilities: null,
    latencyMs: rnd() * 20,
    error: null,
  }));
}

/** Records per CPU second of `ours` and `raw`, alternating slices of SLICE records (which goes first alternates too). */
async function alternate(n: number, ours: (i: number) => unknown, raw: (i: number) => unknown) {
  let oursUs = 0;
  let rawUs = 0;
  const slice = async (from: number, fn: (i: number) => unknown) => {
    const to = Math.min(n, from + SLICE);
    const start = process.cpuUsage();
    for (let i = from; i < to; i++) {
      // A side that answers synchronously (raw avsc, decodeKnown) is not made to pay an await it does not need.
      const out = fn(i);
      if (out instanceof Promise) await out;
    }
    const used = process.cpuUsage(start);
    return used.user + used.system;
  };
  for (let from = 0, k = 0; from < n; from += SLICE, k++) {
    if (k % 2 === 0) {
      rawUs += await slice(from, raw);
      oursUs += await slice(from, ours);
    } else {
      oursUs += await slice(from, ours);
      rawUs += await slice(from, raw);
    }
  }
  return { ours: n / (oursUs / 1e6), raw: n / (rawUs / 1e6) };
}

/** Built once per process: the serde (schema registered), the records and their encoded forms. */
let setup: ReturnType<typeof prepare> | undefined;
async function prepare() {
  const connections = loadConnections();
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog: resolveCatalog('bench.'), source: 'mlstream/bench' });
  // The ceiling is avsc alone: the schema parsed as avsc parses it (the serde's own types check more when writing and cache strings when reading).
  const type = parseSchema(readSchemaFiles().find((f) => f.name === 'PredictionLogged')!.schema);
  const values = records(N);
  await serde.encode('PredictionLogged', values[0]!); // registers the schema once
  const rawBuffers = values.map((v) => type.toBuffer(v));
  const encoded = await Promise.all(values.map((v) => serde.encode('PredictionLogged', v)));
  const topic = encoded[0]!.topic;
  // As a consumer receives them: header values are Buffers.
  const messages = encoded.map(
    (e) =>
      ({
        ...e.message,
        offset: '0',
        timestamp: '0',
        attributes: 0,
        headers: Object.fromEntries(Object.entries(e.message.headers ?? {}).map(([k, v]) => [k, Buffer.from(String(v))])),
      }) as unknown as KafkaMessage,
  );
  // Warm-up: one untimed pass of each side.
  await alternate(Math.min(N, 4 * SLICE), (i) => serde.encodeKnown('PredictionLogged', values[i]!), (i) => type.toBuffer(values[i]));
  await serde.decode({ topic, partition: 0, message: messages[0]! }); // resolves the schema id once
  await alternate(Math.min(N, 4 * SLICE), (i) => serde.decodeKnown({ topic, partition: 0, message: messages[i]! }), (i) => type.fromBuffer(rawBuffers[i]!));
  return { serde, type, values, rawBuffers, topic, messages };
}

export default {
  needsStack: true,
  rounds: 5,
  async run() {
    setup ??= prepare();
    const { serde, type, values, rawBuffers, topic, messages } = await setup;
    const encode = await alternate(N, (i) => serde.encodeKnown('PredictionLogged', values[i]!), (i) => type.toBuffer(values[i]));
    const decode = await alternate(N, (i) => serde.decodeKnown({ topic, partition: 0, message: messages[i]! }), (i) => type.fromBuffer(rawBuffers[i]!));
    // The same decode against raw avsc reading the same consumed messages (message.value after the 5-byte header):
    // both sides then reach each record through its KafkaMessage, as a consumer does, instead of the ceiling
    // reading a dense array of bare buffers.
    const decodeMessages = await alternate(N, (i) => serde.decodeKnown({ topic, partition: 0, message: messages[i]! }), (i) => type.decode(messages[i]!.value!, 5).value);
    const goal = { on: 'ratio' as const, atLeast: 0.8, text: '>= 0.80 of raw avsc' };
    return {
      params: { records: N, slice: SLICE, record: 'PredictionLogged', bytesPerRecord: rawBuffers[0]!.length + 5 },
      figures: [
        { figure: 'serde encode (validate+frame+headers)', value: encode.ours, unit: 'records/CPU s', ceiling: { what: 'raw avsc toBuffer', value: encode.raw }, goal },
        { figure: 'serde decode (frame+resolve)', value: decode.ours, unit: 'records/CPU s', ceiling: { what: 'raw avsc fromBuffer', value: decode.raw }, goal },
        { figure: 'serde decode, ceiling reads the same messages', value: decodeMessages.ours, unit: 'records/CPU s', ceiling: { what: 'raw avsc decode(message.value, 5)', value: decodeMessages.raw } },
      ],
    };
  },
};
