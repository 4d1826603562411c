import Fastify, { type FastifyInstance } from 'fastify';
import { health, isMlstreamError, type HealthPluginOptions } from '@mlstream/kit';

/**
 * The features service's HTTP side: kit's /healthz /readyz /metrics, /status,
 * and the API routes. Errors answer as the gateway's problem+json (code,
 * status, retriable), 4xx logged at info by the caller's logger, 5xx at error.
 */
export async function buildFeaturesApp(options: HealthPluginOptions & { status: () => unknown; routes: Array<(app: FastifyInstance) => Promise<void>>; logger: { info: (o: object, m: string) => void; error: (o: object, m: string) => void } }): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024 });
  await app.register(health, options);
  app.get('/status', { logLevel: 'warn' }, async () => options.status());
  app.setErrorHandler((error, request, reply) => {
    const e = error as { statusCode?: number; message: string };
    const problem = isMlstreamError(error)
      ? { type: `urn:mlstream:error:${error.code}`, title: error.message, status: error.status, detail: error.message, code: error.code, retriable: error.retriable }
      : e.statusCode && e.statusCode < 500
        ? { type: 'urn:mlstream:error:INVALID_REQUEST', title: 'the request is malformed', status: 400, detail: e.message, code: 'INVALID_REQUEST', retriable: false }
        : { type: 'urn:mlstream:error:INTERNAL_ERROR', title: 'an unexpected error occurred', status: 500, detail: 'an unexpected error occurred', code: 'INTERNAL_ERROR', retriable: false };
    if (problem.status >= 500) options.logger.error({ err: error, url: request.url }, 'http.failed');
    else options.logger.info({ code: problem.code, url: request.url }, 'http.rejected');
    return reply.status(problem.status).type('application/problem+json').send(problem);
  });
  for (const route of options.routes) await app.register(route);
  return app;
}
