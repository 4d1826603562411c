import { consumerTimeouts, createClickHouse, createDeadLetterSink, groupMember, startService, type Env, type RunningService, type ServiceMetrics } from '@mlstream/kit';
import { loadMaterializerConfig } from './config.ts';
import { createMaterializer, createStore, type Materializer } from './consumer/index.ts';
import { migrate } from './schema/index.ts';
import { database } from './sql/index.ts';

export interface MaterializerServiceOptions {
  env?: Env;
  /** Install SIGTERM/SIGINT handlers (default true; in-process tests pass false). */
  signals?: boolean;
}

export interface RunningMaterializer extends RunningService {
  metrics: ServiceMetrics;
  materializer: Materializer;
}

/**
 * The materializer process: the service bootstrap around migrations and the
 * Kafka → ClickHouse consumer; /readyz also checks ClickHouse. Shutdown stops
 * consuming, flushes every partition buffer, commits, then closes. A batch
 * ClickHouse refuses for good crashes the process (exit 1) so a supervisor
 * restarts it; it resumes from ClickHouse.
 */
export async function runMaterializerService(options: MaterializerServiceOptions = {}): Promise<RunningMaterializer> {
  const service = await startService({
    name: 'materializer',
    env: options.env,
    signals: options.signals,
    settings: loadMaterializerConfig,
    setup: async ({ kafka, serde, catalog, logger, metrics, connections, settings: config, onStop }) => {
      const db = database(connections.clickhouse.database);
      const clickhouse = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
      onStop(() => clickhouse.close());
      if (config.MLSTREAM_MATERIALIZER_MIGRATE) {
        const result = await migrate({ client: clickhouse, database: db.text, logger, ...(config.MLSTREAM_CLICKHOUSE_CLUSTER ? { cluster: config.MLSTREAM_CLICKHOUSE_CLUSTER } : {}) });
        logger.info(result, 'migrations.done');
      }
      const producer = kafka.producer({ idempotent: true });
      onStop(() => producer.disconnect());
      await producer.connect();
      const groupId = `${catalog.prefix}mlstream-materializer`;
      const member = groupMember(kafka, groupId, (client) =>
        createMaterializer({
          kafka: client,
          serde,
          catalog,
          logger,
          metrics,
          groupId,
          store: createStore(clickhouse, db, { insertQuorum: config.MLSTREAM_CLICKHOUSE_INSERT_QUORUM, insertFormat: config.MLSTREAM_MATERIALIZER_INSERT_FORMAT }),
          deadLetter: createDeadLetterSink({ producer, serde, consumer: groupId }),
          maxEvents: config.MLSTREAM_MATERIALIZER_MAX_EVENTS,
          maxWaitMs: config.MLSTREAM_MATERIALIZER_MAX_WAIT_MS,
          idleMs: config.MLSTREAM_MATERIALIZER_IDLE_MS,
          retry: { initialMs: Math.min(250, config.MLSTREAM_MATERIALIZER_RETRY_MAX_MS), maxMs: config.MLSTREAM_MATERIALIZER_RETRY_MAX_MS },
          dedupeWindow: config.MLSTREAM_MATERIALIZER_DEDUPE_WINDOW,
          ...consumerTimeouts(config),
        }),
      );
      const clickhouseCheck = {
        name: 'clickhouse',
        check: async () => {
          const r = await clickhouse.ping();
          if (!r.success) throw r.error;
        },
      };
      return {
        ...member,
        checks: [...(member.checks ?? []), clickhouseCheck],
        crashed: member.consumer.crashed,
        status: () => ({ database: db.text, ...member.status?.() }),
      };
    },
  });
  return { ...service, materializer: service.runtime.consumer };
}
