import type { Kafka } from 'kafkajs';
import { createClickHouse, createKafka, createLogger, createMetrics, createRegistryClient, createSerde, handleShutdown, loadConnections, once, resolveCatalog, retryPolicies, type Env, type Logger } from '@mlstream/kit';
import type { OpenStreams } from './api/index.ts';
import { createKeyRing, DEV_TOKEN } from './auth/index.ts';
import { loadGatewayConfig, type GatewayConfig } from './config/index.ts';
import { buildApp } from './http/index.ts';
import { createAnswerCache } from './idempotency/index.ts';
import { createCommandWaiter, createFactProducer, createRunIndex } from './kafka/index.ts';

export interface GatewayOptions {
  env?: Env;
  /** A prebuilt kafkajs client (fault tests pass one whose sockets they can cut); default from the environment. */
  kafka?: Kafka;
  /** Install SIGTERM/SIGINT handlers (default true; tests run several gateways in one process). */
  signals?: boolean;
  logger?: Logger;
}

export interface RunningGateway {
  app: Awaited<ReturnType<typeof buildApp>>;
  url: string;
  config: GatewayConfig;
  /** Resolves once command results are being read (commands answer 503 before). */
  commandsReady: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the gateway: config, schemas, Kafka producer, command-result
 * waiter, HTTP. It listens even while Kafka is down (writes answer 503 with
 * Retry-After until Kafka is back), so a load balancer sees it not ready
 * rather than refusing connections.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const env = options.env ?? process.env;
  const connections = loadConnections(env);
  const config = loadGatewayConfig(env);
  const logger = options.logger ?? createLogger({ service: 'gateway', level: connections.logLevel });
  if (config.devKey) logger.warn({ token: DEV_TOKEN }, 'auth.dev_key_in_use: set MLSTREAM_GATEWAY_API_KEYS for anything but local development');
  const metrics = createMetrics('gateway');
  const catalog = resolveCatalog(connections.topicPrefix);
  const kafka =
    options.kafka ??
    createKafka({ brokers: connections.kafkaBrokers, clientId: `mlstream-gateway-${config.instanceId}`, logger, retry: retryPolicies.fast, connectionTimeout: 1_000, requestTimeout: config.sendTimeoutMs });
  const registry = createRegistryClient({ url: connections.schemaRegistryUrl });
  // Analytics read the materializer's ClickHouse database; writes never depend on it.
  const clickhouse = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const serde = createSerde({ registry, catalog, source: 'mlstream/gateway' });
  await serde.registerAll();
  const producer = createFactProducer({ kafka, logger, metrics, sendTimeoutMs: config.sendTimeoutMs });
  const waiter = createCommandWaiter({ kafka, serde, catalog, logger, instanceId: config.instanceId });
  const runs = createRunIndex({ kafka, catalog, logger, instanceId: config.instanceId });
  let accepting = true;
  let stopping = false;
  const openStreams: OpenStreams = new Set();

  // Keep trying to position the results consumer: Kafka may be down at start.
  const commandsReady = (async () => {
    for (let attempt = 0; !stopping; attempt++) {
      try {
        await waiter.start();
        await runs.start();
        return;
      } catch (error) {
        logger.warn({ err: error, attempt }, 'command_results.start_failed');
        await waiter.stop();
        await runs.stop();
        await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** attempt)));
      }
    }
  })();

  const admin = kafka.admin();
  let adminConnected: Promise<void> | undefined;
  const app = await buildApp({
    deps: {
      kafka,
      serde,
      catalog,
      producer,
      waiter,
      runs,
      answers: createAnswerCache(config.idempotency),
      logger,
      limits: config.limits,
      commandTimeoutMs: config.commandTimeoutMs,
      maxStreams: config.maxStreams,
      heartbeatMs: config.heartbeatMs,
      analytics: { client: clickhouse, database: connections.clickhouse.database },
    },
    keys: createKeyRing(config.apiKeys),
    logger,
    metrics,
    retryAfterSeconds: config.retryAfterSeconds,
    accepting: () => accepting,
    openStreams,
    checks: [
      {
        name: 'kafka',
        check: async () => {
          adminConnected ??= admin.connect();
          adminConnected.catch(() => (adminConnected = undefined));
          await adminConnected;
          await admin.describeCluster();
        },
      },
      { name: 'registry', check: () => registry.ping() },
      {
        name: 'command-results',
        check: async () => {
          if (!waiter.ready()) throw new Error('not yet positioned on the results topic');
        },
      },
    ],
  });
  const url = await app.listen({ host: config.host, port: config.port });
  logger.info({ url, prefix: catalog.prefix, keys: config.apiKeys.map((k) => k.name) }, 'gateway.started');

  const stop = once(async () => {
    accepting = false;
    stopping = true;
    await Promise.all([...openStreams].map((end) => end()));
    await app.close(); // waits for in-flight requests
    await waiter.stop();
    await runs.stop();
    await producer.stop();
    await admin.disconnect().catch(() => {});
    await clickhouse.close().catch(() => {});
    await commandsReady.catch(() => {});
  });
  if (options.signals ?? true) handleShutdown({ logger, stop });
  return { app, url, config, commandsReady, stop };
}
