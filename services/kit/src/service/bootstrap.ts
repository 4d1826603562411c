import type { Kafka } from 'kafkajs';
import { loadConnections, loadServiceConfig, type Connections, type Env, type ServiceConfig } from '../config/index.ts';
import { MlstreamError } from '../errors/index.ts';
import { createLogger, type Logger } from '../logging/index.ts';
import { createMetrics, exportGroupLag, type ServiceMetrics } from '../metrics/index.ts';
import { createKafka, type KafkaClientOptions } from '../kafka/index.ts';
import { createSchemaRegistryClient, type SchemaRegistryClient } from '../schema-registry/index.ts';
import { createSerde, resolveCatalog, type ResolvedCatalog, type Serde } from '../contracts/index.ts';
import { buildOpsApp, type HealthPluginOptions, type ReadinessCheck } from '../http/index.ts';
import { handleShutdown, once } from '../lifecycle/index.ts';
import { dependencyChecks } from './readiness.ts';

/** What a service's `setup` receives: everything the bootstrap built, from the environment. */
export interface ServiceContext<S> {
  name: string;
  env: Env;
  connections: Connections;
  /** The settings every service reads (MLSTREAM_HTTP_HOST, MLSTREAM_HTTP_PORT, MLSTREAM_INSTANCE_ID, consumer timeouts). */
  config: ServiceConfig;
  /** The service's own settings (`options.settings`), or `config`. */
  settings: S;
  logger: Logger;
  metrics: ServiceMetrics;
  catalog: ResolvedCatalog;
  kafka: Kafka;
  /** The schema-registry client; every schema of the catalog is registered before `setup` runs. */
  schemas: SchemaRegistryClient;
  serde: Serde;
  /**
   * What /readyz answers from, for a service that serves its own app (the
   * gateway registers kit's `health` plugin with it). `checks` is the live
   * list: the runtime's own checks join it when `setup` returns.
   */
  health: HealthPluginOptions & { checks: ReadinessCheck[]; accepting: () => boolean };
  /** Registers a closer; closers run after the runtime stopped, the last registered first. */
  onStop(close: () => Promise<unknown>): void;
}

/** What a service's `setup` returns. */
export interface ServiceRuntime {
  /** Starts consuming; awaited after the HTTP server listens, so /readyz shows the start-up. */
  start?(): Promise<void>;
  /** Stops consuming: finishes or aborts the batch / transaction in flight. Called once. */
  stop(): Promise<void>;
  /** False until the service can do its work (e.g. partitions restored); /readyz answers 503 meanwhile. */
  ready?(): boolean;
  /** More /readyz checks (ClickHouse, the consumer group, ...). */
  checks?: ReadinessCheck[];
  /** Served at /status. */
  status?(): Record<string, unknown>;
  /** Rejects when the service cannot go on; the bootstrap stops it (and, owning the process, exits 1). */
  crashed?: Promise<never>;
  /** The service's own HTTP app (the gateway), listened on instead of the ops app; the runtime closes it in `stop`. */
  app?: ServiceApp;
}

/** The part of a fastify instance the bootstrap uses. */
export interface ServiceApp {
  listen(options: { host: string; port: number }): Promise<string>;
  close(): Promise<unknown>;
}

export interface ServiceOptions<S, R extends ServiceRuntime> {
  /** Service name: logs, metrics label, Kafka client id (`mlstream-<name>-<instance>`), serde source. */
  name: string;
  /** Default process.env. */
  env?: Env;
  /** Own the process: SIGTERM/SIGINT stop the service and exit, a crash exits 1 (default true; in-process tests pass false). */
  signals?: boolean;
  logger?: Logger;
  /** A prebuilt Kafka client (fault tests pass one whose sockets they cut); default one from the environment. */
  kafka?: Kafka;
  /** Loads the service's own settings from the environment (validated, e.g. with loadConfig). */
  settings?: (env: Env) => S;
  /** Kafka client tuning from the settings; default kit's standard retry policy. */
  kafkaClient?: (settings: S) => Partial<Pick<KafkaClientOptions, 'clientId' | 'retry' | 'connectionTimeout' | 'requestTimeout'>>;
  /** Where to listen; default MLSTREAM_HTTP_HOST and MLSTREAM_HTTP_PORT. */
  listen?: (settings: S) => { host: string; port: number };
  setup(context: ServiceContext<S>): Promise<R>;
}

export interface RunningService<R extends ServiceRuntime = ServiceRuntime> {
  name: string;
  host: string;
  /** The bound port (MLSTREAM_HTTP_PORT=0 picks a free one). */
  port: number;
  /** The listening address as fastify reports it, e.g. http://127.0.0.1:8081. */
  url: string;
  metrics: ServiceMetrics;
  logger: Logger;
  runtime: R;
  /** Accepting and the runtime ready (dependency checks aside: those are /readyz's). */
  ready(): boolean;
  /** Drains (/readyz 503), stops the runtime, closes everything; safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The one service bootstrap: config, logger, metrics, Kafka client,
 * schema-registry client and serde registration, /healthz /readyz /metrics
 * /status on a configured host, readiness, and shutdown. Every service's
 * main.ts is a call of a function built on this, and tests call the same
 * function in-process with `{ env, signals: false }`.
 *
 * Start-up: 1. config (a bad variable fails here, naming it); 2. schemas
 * registered; 3. `setup` builds the runtime; 4. HTTP listens (/readyz 503
 * until the runtime is ready); 5. `runtime.start()`.
 * Shutdown (SIGTERM, or `stop()`): /readyz 503, `runtime.stop()` (finish or
 * abort the transaction in flight), then the closers, then exit 0.
 */
export async function startService<S = ServiceConfig, R extends ServiceRuntime = ServiceRuntime>(options: ServiceOptions<S, R>): Promise<RunningService<R>> {
  const { name } = options;
  const env = options.env ?? process.env;
  const signals = options.signals ?? true;
  const connections = loadConnections(env);
  const config = loadServiceConfig(env);
  const settings = options.settings ? options.settings(env) : (config as S);
  const logger = options.logger ?? createLogger({ service: name, level: connections.logLevel });
  // The first line a process prints: a start that hangs later (registry, ClickHouse, Kafka) shows how far it got.
  logger.info({ pid: process.pid, prefix: connections.topicPrefix }, 'service.starting');

  // Signals are handled from the first moment: a SIGTERM during start-up closes what exists so far and exits 0.
  const closers: Array<() => Promise<unknown>> = [];
  let accepting = true;
  let runtime: R | undefined;
  let stopping = false;
  const stillStarting = () => {
    if (stopping) throw new MlstreamError('SHUTTING_DOWN', `${name} was stopped while starting`);
  };
  const stop = once(async () => {
    stopping = true;
    accepting = false;
    try {
      await runtime?.stop();
    } finally {
      for (const close of closers.reverse()) await close().catch((err: unknown) => logger.warn({ err }, 'shutdown.close_failed'));
    }
  });
  if (signals) handleShutdown({ logger, stop });

  try {
    const metrics = createMetrics(name);
    const catalog = resolveCatalog(connections.topicPrefix);
    const tuning = options.kafkaClient?.(settings) ?? {};
    const lag = exportGroupLag(options.kafka ?? createKafka({ clientId: `mlstream-${name}-${config.MLSTREAM_INSTANCE_ID}`, ...tuning, brokers: connections.kafkaBrokers, logger }), metrics);
    closers.push(lag.close);
    const kafka = lag.kafka;
    const schemas = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
    const serde = createSerde({ schemaRegistry: schemas, catalog, source: `mlstream/${name}` });
    const registering = Date.now();
    const subjects = await serde.registerAll();
    logger.info({ subjects: subjects.size, ms: Date.now() - registering }, 'service.schemas_registered');
    stillStarting();
    const dependencies = dependencyChecks(kafka, schemas);
    closers.push(dependencies.close);
    const health = { metrics: metrics.prometheus, checks: [...dependencies.checks], accepting: () => accepting };
    const onStop = (close: () => Promise<unknown>) => void closers.push(close);
    runtime = await options.setup({ name, env, connections, config, settings, logger, metrics, catalog, kafka, schemas, serde, health, onStop });
    const started = runtime;
    // Stopped during setup: stop() ran before this runtime existed.
    if (stopping) await started.stop().catch(() => {});
    stillStarting();
    health.checks.push(...(started.checks ?? []));
    const ready = started.ready?.bind(started);
    if (ready) {
      health.checks.push({
        name: 'service',
        check: async () => {
          if (!ready()) throw new Error(`${name} is not ready yet (see /status)`);
        },
      });
    }
    const app = started.app ?? (await buildOpsApp({ ...health, status: () => ({ service: name, accepting, ...started.status?.() }) }));
    if (!started.app) closers.push(() => app.close());
    const { host, port } = options.listen?.(settings) ?? { host: config.MLSTREAM_HTTP_HOST, port: config.MLSTREAM_HTTP_PORT };
    const url = await app.listen({ host, port });
    stillStarting();
    await started.start?.();
    stillStarting();
    const bound = Number(new URL(url).port);
    logger.info({ host, port: bound, prefix: catalog.prefix }, 'service.started');

    started.crashed?.catch((error: unknown) => {
      logger.fatal({ err: error }, 'service.crashed');
      void stop().finally(() => signals && process.exit(1));
    });
    return { name, host, port: bound, url, metrics, logger, runtime: started, ready: () => accepting && (ready?.() ?? true), stop };
  } catch (error) {
    // Stopped by a signal while starting: the signal handler exits 0 once stop() is done.
    if (stopping && signals) return new Promise<never>(() => {});
    await stop();
    throw error;
  }
}
