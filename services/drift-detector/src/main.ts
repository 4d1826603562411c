// The drift detector: `tsx services/drift-detector/src/main.ts`.
import { createKafka, createLogger, createMetrics, createRegistryClient, createSerde, handleShutdown, loadConfig, loadConnections, once, resolveCatalog, serviceConfigSchema, startOpsServer } from '@mlstream/kit';
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
const ops = await startOpsServer({ kafka, registry, metrics: metrics.registry, port: settings.MLSTREAM_HTTP_PORT, status: () => ({ service: 'drift-detector', partitions: service.status() }) });
await service.start();
logger.info({ group: `${catalog.prefix}mlstream-drift-detector` }, 'service.started');
handleShutdown({
  logger,
  stop: once(async () => {
    ops.drain();
    await service.stop();
    await ops.close();
  }),
});
