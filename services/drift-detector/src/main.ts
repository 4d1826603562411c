// The drift detector: `tsx services/drift-detector/src/main.ts`.
import Fastify from 'fastify';
import { createKafka, createLogger, createMetrics, createRegistryClient, createSerde, handleShutdown, health, loadConfig, loadConnections, once, resolveCatalog, serviceConfigSchema } from '@mlstream/kit';
import { loadDetectorConfig } from './config.ts';
import { createDriftService } from './consumer/index.ts';

const connections = loadConnections();
const settings = loadConfig(serviceConfigSchema);
const configOf = loadDetectorConfig();
const logger = createLogger({ service: 'drift-detector', level: connections.logLevel });
const metrics = createMetrics('drift-detector');
const catalog = resolveCatalog(connections.topicPrefix);
const kafka = createKafka({ brokers: connections.kafkaBrokers, clientId: `mlstream-drift-detector-${settings.MLSTREAM_INSTANCE_ID}`, logger });
const registry = createRegistryClient({ url: connections.schemaRegistryUrl });
const serde = createSerde({ registry, catalog, source: 'mlstream/drift-detector' });
await serde.registerAll();
const service = createDriftService({
  kafka,
  serde,
  catalog,
  logger,
  metrics,
  configOf,
  groupId: `${catalog.prefix}mlstream-drift-detector`,
  sessionTimeoutMs: settings.MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS,
  rebalanceTimeoutMs: settings.MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS,
});
const admin = kafka.admin();
await admin.connect();
const app = Fastify({ logger: false });
let accepting = true;
await app.register(health, {
  metrics: metrics.registry,
  accepting: () => accepting,
  checks: [
    { name: 'kafka', check: async () => void (await admin.describeCluster()) },
    { name: 'registry', check: () => registry.ping() },
  ],
});
app.get('/status', async () => ({ service: 'drift-detector', partitions: service.status() }));
await app.listen({ host: '127.0.0.1', port: settings.MLSTREAM_HTTP_PORT });
await service.start();
logger.info({ group: `${catalog.prefix}mlstream-drift-detector` }, 'service.started');
handleShutdown({
  logger,
  stop: once(async () => {
    accepting = false;
    await service.stop();
    await app.close();
    await admin.disconnect();
  }),
});
