import { randomUUID } from 'node:crypto';
import { consumerTimeouts, groupMember, startService, type Env, type RunningService } from '@mlstream/kit';
import { buildFeaturesApp, onlineRoutes } from './api/index.ts';
import { createDefinitionsFollower, createOnlineProcessor, createOnlineView, createSkewProcessor, registerFreshness } from './processor/index.ts';

export interface FeaturesServiceOptions {
  env?: Env;
  /** Install SIGTERM/SIGINT handlers (default true; in-process tests pass false). */
  signals?: boolean;
}

/**
 * The features service (docs/features.md, "Online serving and skew"):
 * 1. the online processor: mlops.features.v1 → compacted mlops.feature-online.v1, exactly once;
 * 2. the served view: the whole changelog in memory, restored before /readyz and the API answer;
 * 3. the skew processor: predictions naming an entity → mlops.feature-skew.v1, exactly once;
 * 4. HTTP: POST /v1/features/online, freshness per view on /metrics.
 */
export function startFeaturesService(options: FeaturesServiceOptions = {}): Promise<RunningService> {
  return startService({
    name: 'features',
    env: options.env,
    signals: options.signals,
    setup: async ({ kafka, serde, catalog, logger, metrics, config, health }) => {
      const groupId = `${catalog.prefix}mlstream-features`;
      const timeouts = consumerTimeouts(config);
      // Followers read everything on every instance: their groups are their own and deleted on stop.
      const instance = `${config.MLSTREAM_INSTANCE_ID}-${randomUUID().slice(0, 8)}`;
      const definitions = createDefinitionsFollower({ kafka, serde, catalog, groupId: `${groupId}-definitions-${instance}` });
      const view = createOnlineView({ kafka, serde, catalog, logger, groupId: `${groupId}-view-${instance}` });
      registerFreshness(view, metrics.prometheus);
      const online = groupMember(kafka, groupId, (client) => createOnlineProcessor({ kafka: client, serde, catalog, logger, metrics, groupId, ...timeouts }));
      const skewGroup = `${groupId}-skew`;
      const skew = groupMember(kafka, skewGroup, (client) => createSkewProcessor({ kafka: client, serde, catalog, logger, metrics, groupId: skewGroup, view, definitions, ...timeouts }));
      const status = () => ({ online: online.status?.(), skew: skew.status?.(), view: view.status() });
      const app = await buildFeaturesApp({ ...health, status: () => ({ service: 'features', accepting: health.accepting(), ...status() }), routes: [onlineRoutes({ view, definitions, registry: metrics.prometheus })], logger });
      return {
        app,
        checks: [...(online.checks ?? []), ...(skew.checks ?? [])],
        ready: () => view.ready() && (online.ready?.() ?? true) && (skew.ready?.() ?? true),
        status,
        async start() {
          await definitions.start();
          await online.start();
          await view.start();
          await skew.start();
        },
        async stop() {
          await Promise.all([skew.stop(), online.stop()]);
          await Promise.all([view.stop(), definitions.stop()]);
          await app.close();
        },
      };
    },
  });
}
