import type { Kafka } from 'kafkajs';
import { createClickHouse, retryPolicies, startService, type Env, type Logger } from '@mlstream/kit';
import type { OpenStreams } from './api/index.ts';
import { createLocalArtifactStore } from './artifacts/index.ts';
import { createKeyRing, DEV_TOKEN } from './auth/index.ts';
import { loadGatewayConfig, type GatewayConfig } from './config/index.ts';
import { buildApp } from './http/index.ts';
import { ensureConsoleBuilt } from './console/index.ts';
import { createAnswerCache } from './idempotency/index.ts';
import { createCommandWaiter, createFactProducer } from './kafka/index.ts';
import { createReadView } from './views/index.ts';

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
  port: number;
  config: GatewayConfig;
  /** Resolves once command results are being read and the read view has caught up once (until then commands and reads answer 503). */
  commandsReady: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the gateway on the service bootstrap: config, schemas, Kafka
 * producer, command-result waiter, HTTP on MLSTREAM_GATEWAY_HOST:PORT. It
 * listens even while Kafka is down (writes answer 503 with Retry-After until
 * Kafka is back), so a load balancer sees it not ready rather than refusing
 * connections.
 */
export async function startGateway(options: GatewayOptions = {}): Promise<RunningGateway> {
  const service = await startService({
    name: 'gateway',
    env: options.env,
    signals: options.signals,
    logger: options.logger,
    kafka: options.kafka,
    settings: loadGatewayConfig,
    kafkaClient: (config) => ({ clientId: `mlstream-gateway-${config.instanceId}`, retry: retryPolicies.fast, connectionTimeout: 1_000, requestTimeout: config.sendTimeoutMs }),
    listen: (config) => ({ host: config.host, port: config.port }),
    setup: async ({ kafka, serde, catalog, logger, metrics, connections, settings: config, health }) => {
      if (config.devKey) logger.warn({ token: DEV_TOKEN }, 'auth.dev_key_in_use: set MLSTREAM_GATEWAY_API_KEYS for anything but local development');
      // Analytics read the materializer's ClickHouse database; writes never depend on it.
      const clickhouse = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
      const producer = createFactProducer({ kafka, logger, metrics, sendTimeoutMs: config.sendTimeoutMs });
      const waiter = createCommandWaiter({ kafka, serde, catalog, logger, instanceId: config.instanceId });
      const view = createReadView({ kafka, serde, catalog, logger: logger.child({ component: 'read-view' }), instanceId: config.instanceId, timeoutMs: config.commandTimeoutMs, prometheus: metrics.prometheus });
      let viewReady = false;
      let stopping = false;
      const openStreams: OpenStreams = new Set();

      // Keep trying to position the results consumer: Kafka may be down at start.
      const commandsReady = (async () => {
        for (let attempt = 0; !stopping; attempt++) {
          try {
            await waiter.start();
            await view.start();
            viewReady = true;
            return;
          } catch (error) {
            logger.warn({ err: error, attempt }, 'command_results.start_failed');
            await waiter.stop();
            await view.stop();
            await new Promise((r) => setTimeout(r, Math.min(5_000, 250 * 2 ** attempt)));
          }
        }
      })();

      if (config.console.isDefault) await ensureConsoleBuilt(config.console.dir, logger);
      const app = await buildApp({
        deps: {
          kafka,
          serde,
          catalog,
          producer,
          waiter,
          view,
          answers: createAnswerCache(config.idempotency),
          logger,
          limits: config.limits,
          commandTimeoutMs: config.commandTimeoutMs,
          maxStreams: config.maxStreams,
          heartbeatMs: config.heartbeatMs,
          analytics: { client: clickhouse, database: connections.clickhouse.database },
          featuresUrl: config.featuresUrl,
          artifacts: { store: createLocalArtifactStore({ root: config.artifacts.root }), maxBytes: config.artifacts.maxBytes },
        },
        keys: createKeyRing(config.apiKeys),
        logger,
        metrics,
        retryAfterSeconds: config.retryAfterSeconds,
        accepting: health.accepting,
        openStreams,
        consoleDir: config.console.dir,
        checks: health.checks,
      });
      logger.info({ prefix: catalog.prefix, keys: config.apiKeys.map((k) => k.name) }, 'gateway.keys');
      return {
        app,
        config,
        commandsReady,
        checks: [
          {
            name: 'command-results',
            check: async () => {
              if (!waiter.ready()) throw new Error('not yet positioned on the results topic');
            },
          },
          {
            name: 'read-view',
            check: async () => {
              if (!viewReady) throw new Error('the read view has not yet caught up with its topics');
            },
          },
        ],
        async stop() {
          stopping = true;
          await Promise.all([...openStreams].map((end) => end()));
          await app.close(); // waits for in-flight requests
          await waiter.stop();
          await view.stop();
          await producer.stop();
          await clickhouse.close().catch(() => {});
          await commandsReady.catch(() => {});
        },
      };
    },
  });
  const { app, config, commandsReady } = service.runtime;
  return { app, url: service.url, port: service.port, config, commandsReady, stop: service.stop };
}
