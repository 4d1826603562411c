import { consumerTimeouts, createClickHouse, createLocalArtifactStore, groupMember, startService, type Env, type RunningService } from '@mlstream/kit';
import { loadOrchestratorSettings, repoRoot } from './config.ts';
import { localExecutor, webhookExecutor } from './executors/index.ts';
import { createOrchestrator } from './processor/orchestrator.ts';

export interface OrchestratorServiceOptions {
  env?: Env;
  /** Install SIGTERM/SIGINT handlers (default true; in-process tests pass false). */
  signals?: boolean;
}

/**
 * The retrain orchestrator process (docs/retrain-loop.md): the service
 * bootstrap around the exactly-once job loop. /readyz answers 200 once its
 * consumer joined the group and rebuilt the jobs of every assigned partition.
 */
export function startOrchestrator(options: OrchestratorServiceOptions = {}): Promise<RunningService> {
  return startService({
    name: 'orchestrator',
    env: options.env,
    signals: options.signals,
    settings: (env) => ({ ...loadOrchestratorSettings(env) }),
    setup: async ({ kafka, serde, catalog, logger, metrics, config, connections, settings, onStop }) => {
      const client = createClickHouse(connections.clickhouse);
      onStop(() => client.close());
      const store = createLocalArtifactStore({ root: settings.artifactRoot });
      const executor =
        settings.executor.kind === 'local'
          ? localExecutor({ template: settings.executor.command, cwd: repoRoot, timeoutMs: settings.executor.timeoutMs })
          : webhookExecutor({ url: settings.executor.url, secret: settings.executor.secret, timeoutMs: settings.executor.timeoutMs });
      const groupId = `${catalog.prefix}mlstream-orchestrator`;
      return groupMember(kafka, groupId, (member) =>
        createOrchestrator({
          kafka: member,
          serde,
          catalog,
          logger,
          metrics,
          groupId,
          store,
          executor,
          policy: settings.policy,
          jobTimeoutMs: settings.jobTimeoutMs,
          gateMetric: settings.gateMetric,
          snapshots: { analytics: { client, database: connections.clickhouse.database ?? 'mlstream' }, store, labelGraceMs: settings.labelGraceMs, holdoutShare: settings.holdoutShare, settleMs: settings.settleMs },
          ...consumerTimeouts(config),
        }),
      );
    },
  });
}
