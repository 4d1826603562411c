import Fastify, { type FastifyInstance } from 'fastify';
import { health, type HealthPluginOptions } from './health.ts';

export interface OpsAppOptions extends HealthPluginOptions {
  /** Served at /status (owned partitions, buffers, ...). */
  status: () => unknown;
}

/**
 * The operations app of a consumer service: /healthz, /readyz, /metrics and
 * /status. The service bootstrap listens on it at MLSTREAM_HTTP_HOST:MLSTREAM_HTTP_PORT.
 */
export async function buildOpsApp(options: OpsAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(health, options);
  app.get('/status', { logLevel: 'warn' }, async () => options.status());
  return app;
}
