import { consumerTimeouts, groupMember, startService, type Env, type RunningService } from '@mlstream/kit';
import { loadDetectorConfig } from './config.ts';
import { createDriftService } from './consumer/index.ts';

export interface DriftDetectorOptions {
  env?: Env;
  /** Install SIGTERM/SIGINT handlers (default true; in-process tests pass false). */
  signals?: boolean;
}

/**
 * The drift detector process: the service bootstrap around the
 * exactly-once drift consumer (docs/drift.md). /readyz answers 200 once its
 * consumer has joined the group and restored every assigned partition.
 */
export function startDriftDetector(options: DriftDetectorOptions = {}): Promise<RunningService> {
  return startService({
    name: 'drift-detector',
    env: options.env,
    signals: options.signals,
    settings: loadDetectorConfig,
    setup: async ({ kafka, serde, catalog, logger, metrics, config, settings: configOf }) => {
      const groupId = `${catalog.prefix}mlstream-drift-detector`;
      return groupMember(kafka, groupId, (client) =>
        createDriftService({
          kafka: client,
          serde,
          catalog,
          logger,
          metrics,
          configOf,
          groupId,
          ...consumerTimeouts(config),
        }),
      );
    },
  });
}
