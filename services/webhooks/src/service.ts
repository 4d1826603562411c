import { consumerTimeouts, startService, type Env, type Logger, type RunningService } from '@mlstream/kit';
import { loadWebhooksConfig } from './config.ts';
import { createWebhookDeliverer } from './delivery/index.ts';

export interface WebhooksOptions {
  env?: Env;
  /** Install SIGTERM/SIGINT handlers (default true; in-process tests pass false). */
  signals?: boolean;
  logger?: Logger;
}

/**
 * The webhook deliverer process (docs/webhooks.md): the service bootstrap
 * around the subscriptions follower and one exactly-once deliverer per
 * subscription. /readyz answers 200 once the subscriptions are read and every
 * subscription's group holds its partitions.
 */
export function startWebhooks(options: WebhooksOptions = {}): Promise<RunningService> {
  return startService({
    name: 'webhooks',
    env: options.env,
    signals: options.signals,
    logger: options.logger,
    settings: loadWebhooksConfig,
    setup: async ({ kafka, serde, catalog, logger, metrics, config, settings }) => {
      const deliverer = createWebhookDeliverer({
        kafka,
        serde,
        catalog,
        logger,
        metrics,
        settings,
        instanceId: config.MLSTREAM_INSTANCE_ID,
        ...consumerTimeouts(config),
      });
      return { start: deliverer.start, stop: deliverer.stop, ready: deliverer.ready, status: deliverer.status, crashed: deliverer.crashed };
    },
  });
}
