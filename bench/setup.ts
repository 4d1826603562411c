// What every Kafka benchmark starts with: clients on the local stack and a
// fresh topic prefix with the catalog's topics. `npm run bench` deletes the
// topics under that prefix when the benchmark ends, so repeated runs do not
// pile up partitions (a broker with thousands of them starts in minutes).
import { applyTopics, createKafka, createLogger, createSchemaRegistryClient, createSerde, loadConnections, resolveCatalog } from '@mlstream/kit';

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
