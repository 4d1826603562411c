import Fastify from 'fastify';
import {
  createClickHouse,
  createDeadLetterSink,
  createKafka,
  createLogger,
  createMetrics,
  createRegistryClient,
  createSerde,
  handleShutdown,
  health,
  loadConnections,
  once,
  resolveCatalog,
  type Env,
  type ServiceMetrics,
} from '@mlstream/kit';
import { loadMaterializerConfig } from './config.ts';
import { createMaterializer, createStore, type Materializer } from './consumer/index.ts';
import { migrate } from './schema/index.ts';
import { database } from './sql/index.ts';

export interface MaterializerServiceOptions {
  env?: Env;
  /** Install SIGTERM/SIGINT handlers (default true; in-process tests pass false). */
  signals?: boolean;
}

export interface RunningMaterializer {
  port: number;
  metrics: ServiceMetrics;
  materializer: Materializer;
  stop(): Promise<void>;
}

/**
 * The materializer process: config, migrations, the Kafka → ClickHouse
 * consumer, /healthz /readyz /metrics /status, and graceful shutdown (stop
 * consuming, flush every partition buffer, commit, close).
 */
export async function runMaterializerService(options: MaterializerServiceOptions = {}): Promise<RunningMaterializer> {
  const env = options.env ?? process.env;
  const connections = loadConnections(env);
  const config = loadMaterializerConfig(env);
  const logger = createLogger({ service: 'materializer', level: connections.logLevel });
  // Signals are handled from the first moment: a SIGTERM during start-up (migrations,
  // schema registration, group join) closes what exists so far and exits 0.
  const closers: Array<() => Promise<unknown>> = [];
  const stop = once(async () => {
    for (const close of closers.reverse()) await close().catch((err: unknown) => logger.warn({ err }, 'shutdown.close_failed'));
  });
  if (options.signals ?? true) handleShutdown({ logger, stop });
  const metrics = createMetrics('materializer');
  const catalog = resolveCatalog(connections.topicPrefix);
  const db = database(connections.clickhouse.database);
  const clickhouse = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  closers.push(() => clickhouse.close());
  if (config.MLSTREAM_MATERIALIZER_MIGRATE) {
    const result = await migrate({ client: clickhouse, database: db.text, logger, ...(config.MLSTREAM_CLICKHOUSE_CLUSTER ? { cluster: config.MLSTREAM_CLICKHOUSE_CLUSTER } : {}) });
    logger.info(result, 'migrations.done');
  }
  const kafka = createKafka({ brokers: connections.kafkaBrokers, clientId: `mlstream-materializer-${config.MLSTREAM_INSTANCE_ID}`, logger });
  const registry = createRegistryClient({ url: connections.schemaRegistryUrl });
  const serde = createSerde({ registry, catalog, source: 'mlstream/materializer' });
  await serde.registerAll();
  const producer = kafka.producer({ idempotent: true });
  closers.push(() => producer.disconnect());
  await producer.connect();
  const groupId = `${catalog.prefix}mlstream-materializer`;
  const materializer = createMaterializer({
    kafka,
    serde,
    catalog,
    logger,
    metrics,
    groupId,
    store: createStore(clickhouse, db, { insertQuorum: config.MLSTREAM_CLICKHOUSE_INSERT_QUORUM }),
    deadLetter: createDeadLetterSink({ producer, serde, consumer: groupId }),
    maxEvents: config.MLSTREAM_MATERIALIZER_MAX_EVENTS,
    maxWaitMs: config.MLSTREAM_MATERIALIZER_MAX_WAIT_MS,
    retry: { initialMs: Math.min(250, config.MLSTREAM_MATERIALIZER_RETRY_MAX_MS), maxMs: config.MLSTREAM_MATERIALIZER_RETRY_MAX_MS },
    sessionTimeoutMs: config.MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS,
    rebalanceTimeoutMs: config.MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS,
  });
  const admin = kafka.admin();
  closers.push(() => admin.disconnect());
  await admin.connect();
  const app = Fastify({ logger: false });
  let accepting = true;
  closers.push(() => app.close());
  await app.register(health, {
    metrics: metrics.registry,
    accepting: () => accepting,
    checks: [
      { name: 'kafka', check: async () => void (await admin.describeCluster()) },
      { name: 'registry', check: () => registry.ping() },
      {
        name: 'clickhouse',
        check: async () => {
          const r = await clickhouse.ping();
          if (!r.success) throw r.error;
        },
      },
    ],
  });
  app.get('/status', async () => ({ service: 'materializer', database: db.text, partitions: materializer.status() }));
  const address = await app.listen({ host: env.MLSTREAM_HTTP_HOST ?? '127.0.0.1', port: config.MLSTREAM_HTTP_PORT });
  const port = Number(new URL(address).port);
  // Stopping the materializer (flush, leave) comes first, before anything it writes through is closed.
  closers.push(async () => {
    accepting = false;
    await materializer.stop();
  });
  await materializer.start();
  logger.info({ port, group: groupId, database: db.text }, 'service.started');

  // A batch ClickHouse refuses for good: exit non-zero so a supervisor restarts us (we resume from ClickHouse).
  materializer.crashed.catch((error: unknown) => {
    logger.fatal({ err: error }, 'materializer.crashed');
    void stop().finally(() => process.exit(1));
  });
  return { port, metrics, materializer, stop };
}
