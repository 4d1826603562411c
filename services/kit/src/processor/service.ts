import { z } from 'zod';
import { loadConfig, loadConnections, portVar, type Env } from '../config/index.ts';
import { createLogger, type Logger } from '../logging/index.ts';
import { createMetrics, type ServiceMetrics } from '../metrics/index.ts';
import { createKafka } from '../kafka/index.ts';
import { createRegistryClient } from '../registry/index.ts';
import { createSerde, resolveCatalog, type RecordName, type ResolvedCatalog, type Serde, type StreamId } from '../contracts/index.ts';
import { startOpsServer } from '../http/index.ts';
import { handleShutdown, once } from '../lifecycle/index.ts';
import type { Kafka } from 'kafkajs';
import type { Decider } from './decider.ts';
import { createProcessor } from './runtime.ts';

/** Settings every service process reads besides the connections (see docs/processors.md). */
export const serviceConfigSchema = z.object({
  MLSTREAM_HTTP_PORT: portVar(0),
  MLSTREAM_INSTANCE_ID: z.string().default(String(process.pid)),
  MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000, 'expected at least 6000 (the broker minimum)').default(30_000),
  MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS: z.coerce.number().int().min(6_000, 'expected at least 6000').default(60_000),
});

export interface ProcessorServiceOptions<C extends RecordName, E extends RecordName, S, Ctx> {
  /** Service name: logs, metrics, consumer group (`<prefix>mlstream-<name>`). */
  name: string;
  decider: Decider<C, E, S, Ctx>;
  commandStream: StreamId;
  eventStream: StreamId;
  /** Builds the decide-time context (e.g. a run-metrics view) and its stopper. */
  context?: (deps: { kafka: Kafka; serde: Serde; catalog: ResolvedCatalog; logger: Logger }) => Promise<{ get: () => Ctx; stop: () => Promise<void> }>;
  env?: Env;
  /** Install SIGTERM/SIGINT handlers (default true; tests run several in one process). */
  signals?: boolean;
}

export interface RunningService {
  port: number;
  metrics: ServiceMetrics;
  stop(): Promise<void>;
}

/**
 * Everything a command processor process needs around its decider: config,
 * logging, schema registration, the processor, /healthz /readyz /metrics and
 * graceful shutdown (finish or abort the transaction in flight, then exit).
 */
export async function runProcessorService<C extends RecordName, E extends RecordName, S, Ctx>(options: ProcessorServiceOptions<C, E, S, Ctx>): Promise<RunningService> {
  const env = options.env ?? process.env;
  const connections = loadConnections(env);
  const config = loadConfig(serviceConfigSchema, env);
  const logger = createLogger({ service: options.name, level: connections.logLevel });
  const metrics = createMetrics(options.name);
  const catalog = resolveCatalog(connections.topicPrefix);
  const kafka = createKafka({ brokers: connections.kafkaBrokers, clientId: `mlstream-${options.name}-${config.MLSTREAM_INSTANCE_ID}`, logger });
  const registry = createRegistryClient({ url: connections.schemaRegistryUrl });
  const serde = createSerde({ registry, catalog, source: `mlstream/${options.name}` });
  await serde.registerAll();
  const context = options.context ? await options.context({ kafka, serde, catalog, logger }) : undefined;
  const processor = createProcessor({
    kafka,
    serde,
    catalog,
    logger,
    metrics,
    decider: options.decider,
    commandStream: options.commandStream,
    eventStream: options.eventStream,
    groupId: `${catalog.prefix}mlstream-${options.name}`,
    context: context?.get,
    sessionTimeoutMs: config.MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS,
    rebalanceTimeoutMs: config.MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS,
  });
  const ops = await startOpsServer({ kafka, registry, metrics: metrics.registry, port: config.MLSTREAM_HTTP_PORT, status: () => ({ service: options.name, partitions: processor.status() }) });
  const port = ops.port;
  await processor.start();
  logger.info({ port, group: `${catalog.prefix}mlstream-${options.name}` }, 'service.started');

  const stop = once(async () => {
    ops.drain();
    await processor.stop();
    await context?.stop();
    await ops.close();
  });
  if (options.signals ?? true) handleShutdown({ logger, stop });
  return { port, metrics, stop };
}
