import type { Kafka } from 'kafkajs';
import type { Env } from '../config/index.ts';
import type { Logger } from '../logging/index.ts';
import type { RecordName, ResolvedCatalog, Serde, StreamId } from '../contracts/index.ts';
import { groupMember, startService, type RunningService } from '../service/index.ts';
import type { Decider } from './decider.ts';
import { createProcessor } from './runtime.ts';

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

/**
 * A command processor process: the service bootstrap around one decider
 * (config, schemas, /healthz /readyz /metrics /status, shutdown that
 * finishes or aborts the transaction in flight). /readyz answers 200 once
 * the consumer has joined its group and restored every assigned partition.
 */
export async function runProcessorService<C extends RecordName, E extends RecordName, S, Ctx>(options: ProcessorServiceOptions<C, E, S, Ctx>): Promise<RunningService> {
  return startService({
    name: options.name,
    env: options.env,
    signals: options.signals,
    setup: async ({ kafka, serde, catalog, logger, metrics, config, onStop }) => {
      const context = options.context ? await options.context({ kafka, serde, catalog, logger }) : undefined;
      if (context) onStop(context.stop);
      const groupId = `${catalog.prefix}mlstream-${options.name}`;
      return groupMember(kafka, groupId, (client) =>
        createProcessor({
          kafka: client,
          serde,
          catalog,
          logger,
          metrics,
          decider: options.decider,
          commandStream: options.commandStream,
          eventStream: options.eventStream,
          groupId,
          context: context?.get,
          sessionTimeoutMs: config.MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS,
          rebalanceTimeoutMs: config.MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS,
        }),
      );
    },
  });
}
