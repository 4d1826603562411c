// PredictionLogged encode/decode through the serde (validation, framing,
// headers, registry-id cache) beside raw avsc toBuffer/fromBuffer on the same records.
import { randomUUID } from 'node:crypto';
import { createSchemaRegistryClient, createSerde, loadConnections, resolveCatalog, type PredictionLogged } from '@mlstream/kit';

const N = 200_000;

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

const perSecond = async (n: number, fn: (i: number) => unknown | Promise<unknown>) => {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  return n / (Number(process.hrtime.bigint() - start) / 1e9);
};

export default {
  needsStack: true,
  async run() {
    const connections = loadConnections();
    const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog: resolveCatalog('bench.'), source: 'mlstream/bench' });
    const type = serde.typeOf('PredictionLogged');
    const values = records(N);
    await serde.encode('PredictionLogged', values[0]!); // registers the schema once
    const rawBuffers = values.map((v) => type.toBuffer(v));
    const encoded = await Promise.all(values.map((v) => serde.encode('PredictionLogged', v)));
    const topic = encoded[0]!.topic;
    const messages = encoded.map((e) => ({ ...e.message, offset: '0', timestamp: '0', attributes: 0, headers: e.message.headers }));

    // Warm-up, then measure each side twice and keep the better run.
    const best = async (fn: () => Promise<number>) => Math.max(await fn(), await fn());
    const rawEncode = await best(() => perSecond(N, (i) => type.toBuffer(values[i])));
    const serdeEncode = await best(() => perSecond(N, (i) => serde.encode('PredictionLogged', values[i]!)));
    const rawDecode = await best(() => perSecond(N, (i) => type.fromBuffer(rawBuffers[i]!)));
    const serdeDecode = await best(() => perSecond(N, (i) => serde.decode({ topic, partition: 0, message: messages[i] as never })));
    return {
      params: { records: N, record: 'PredictionLogged', bytesPerRecord: rawBuffers[0]!.length + 5 },
      figures: [
        { figure: 'serde encode (validate+frame+headers)', value: serdeEncode, unit: 'records/s', ceiling: { what: 'raw avsc toBuffer', value: rawEncode } },
        { figure: 'serde decode (frame+resolve)', value: serdeDecode, unit: 'records/s', ceiling: { what: 'raw avsc fromBuffer', value: rawDecode } },
      ],
    };
  },
};
