// What every Kafka benchmark starts with: clients on the local stack and a
// fresh topic prefix with the catalog's topics. `npm run bench` deletes the
// topics under that prefix when the benchmark ends, so repeated runs do not
// pile up partitions (a broker with thousands of them starts in minutes).
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { applyTopics, createKafka, createLogger, createSchemaRegistryClient, createSerde, loadConnections, resolveCatalog, type ResolvedCatalog } from '@mlstream/kit';

const prefixes: string[] = [];

export async function benchContext(name: string) {
  const connections = loadConnections();
  const logger = createLogger({ service: 'bench', level: 'warn' });
  const kafka = createKafka({ brokers: connections.kafkaBrokers, clientId: `bench-${name}`, logger });
  const stamp = Date.now().toString(36);
  const catalog = resolveCatalog(`bench-${name}-${stamp}.`);
  prefixes.push(catalog.prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/bench' });
  const admin = kafka.admin();
  await admin.connect();
  await applyTopics(admin, catalog);
  return { connections, logger, kafka, catalog, serde, admin, stamp };
}

/** Deletes every topic under the prefixes benchContext() handed out; returns how many. */
export async function removeBenchTopics(): Promise<number> {
  if (!prefixes.length) return 0;
  const connections = loadConnections();
  const admin = createKafka({ brokers: connections.kafkaBrokers, clientId: 'bench-cleanup', logger: createLogger({ service: 'bench', level: 'silent' }) }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => prefixes.some((p) => t.startsWith(p)));
    if (topics.length) await admin.deleteTopics({ topics, timeout: 60_000 });
    return topics.length;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Follows the drift topic from its start and counts DriftMeasured records (the
 * topic also carries DriftDetected and LabelsDropped): `all` settles once
 * `windows` were committed, `measured()` is the count so far.
 */
export async function followDriftWindows(kafka: Kafka, catalog: ResolvedCatalog, windows: number) {
  let measured = 0;
  let allMeasured: () => void = () => {};
  const all = new Promise<void>((r) => (allMeasured = r));
  const consumer = kafka.consumer({ groupId: `bench-out-${randomUUID()}`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic: catalog.topic('drift'), fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!message.headers?.ce_type?.toString().endsWith('DriftMeasured')) return;
      if (++measured >= windows) allMeasured();
    },
  });
  return { all, measured: () => measured, stop: () => consumer.disconnect() };
}
