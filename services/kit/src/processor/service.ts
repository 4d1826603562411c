import type { Kafka } from 'kafkajs';
import { consumerTimeouts, type Env } from '../config/index.ts';
import type { Logger } from '../logging/index.ts';
import type { RecordName, ResolvedCatalog, Serde, StreamId } from '../contracts/index.ts';
import { allMembers, groupMember, startService, type RunningService } from '../service/index.ts';
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
  /**
   * More aggregates served by the same process, each its own consumer group
   * (`<prefix>mlstream-<name>-<aggregate>`) and exactly-once loop; /readyz
   * waits for all of them. The tracking service serves runs and experiments.
   */
  alongside?: ErasedProcessorSpec[];
  env?: Env;
  /** Install SIGTERM/SIGINT handlers (default true; tests run several in one process). */
  signals?: boolean;
}

/** One more decider served by a processor service (see `alongside`). */
export interface ProcessorSpec<C extends RecordName, E extends RecordName, S> {
  decider: Decider<C, E, S, undefined>;
  commandStream: StreamId;
  eventStream: StreamId;
}

/** A spec whose record and state types were checked by `processorSpec` and are no longer needed. */
export type ErasedProcessorSpec = ProcessorSpec<RecordName, RecordName, unknown>;

/** Checks a spec's types at the call site, then erases them so specs of different aggregates fit in one list. */
export const processorSpec = <C extends RecordName, E extends RecordName, S>(spec: ProcessorSpec<C, E, S>): ErasedProcessorSpec => spec as unknown as ErasedProcessorSpec;

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
      const timeouts = consumerTimeouts(config);
      const others = (options.alongside ?? []).map((spec) => {
        const id = `${groupId}-${spec.decider.aggregate}`;
        return { aggregate: spec.decider.aggregate, member: groupMember(kafka, id, (client) => createProcessor({ kafka: client, serde, catalog, logger, metrics, ...spec, groupId: id, ...timeouts })) };
      });
      const main = groupMember(kafka, groupId, (client) =>
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
          ...timeouts,
        }),
      );
      if (!others.length) return main;
      // The main aggregate's status stays at the top (phase, partitions); the others are named beside it.
      return allMembers([main, ...others.map((o) => o.member)], () => ({ ...main.status?.(), alongside: Object.fromEntries(others.map((o) => [o.aggregate, o.member.status?.()])) }));
    },
  });
}
