import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import Fastify, { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { Counter, Histogram } from 'prom-client';
import { MlstreamError, errorCodes, health, type Logger, type ReadinessCheck, type ServiceMetrics } from '@mlstream/kit';
import { artifactRoutes } from '../artifacts/index.ts';
import { authenticate, type KeyRing } from '../auth/index.ts';
import { consoleRoutes } from '../console/index.ts';
import { MLFLOW_PREFIXES, mlflowRoutes, serverInfoRoutes } from '../mlflow/index.ts';
import { parseJsonBody } from './json-body.ts';
import { openApiTransform } from './openapi.ts';
import { analyticsRoutes, expectationRoutes, qualityRoutes, factRoutes, modelRoutes, readRoutes, runRoutes, streamRoutes, toProblem, zodValidatorCompiler, type OpenStreams, type RouteDeps } from '../api/index.ts';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const MAX_HEADER_BYTES = 128 * 1024;

export interface AppOptions {
  deps: RouteDeps;
  keys: KeyRing;
  logger: Logger;
  metrics: ServiceMetrics;
  checks: ReadinessCheck[];
  /** Seconds a 503 tells the client to wait (Retry-After). */
  retryAfterSeconds: number;
  accepting: () => boolean;
  openStreams: OpenStreams;
  /** The built console served at /ui (docs/console.md); no /ui when absent. */
  consoleDir?: string;
}

/**
 * The gateway's fastify app: /v1 routes, OpenAPI at /docs, health, and the
 * ONE error handler that turns every failure into problem+json.
 */
export async function buildApp(options: AppOptions) {
  const { deps, logger, metrics } = options;
  const app = Fastify({
    loggerInstance: logger,
    // Request lines come from the error handler (4xx info, 5xx error) and the metrics, not one per request.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.limits.bodyBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\x21-\x7e]{1,128}$/.test(given) ? given : randomUUID();
    },
    routerOptions: { maxParamLength: 1000 },
    // Query strings carry up to 6000-character reasons (percent-encoded, up to 72 KiB); Node's default is 16 KiB.
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    // Beyond it, or an unparseable request line: still a problem, not fastify's bare JSON.
    clientErrorHandler: (error: Error & { code?: string }, socket) => {
      if (error.code === 'ECONNRESET' || socket.destroyed || !socket.writable) return void socket.destroy(error);
      const code = error.code === 'HPE_HEADER_OVERFLOW' ? 'HEADERS_TOO_LARGE' : 'INVALID_REQUEST';
      const body = JSON.stringify(toProblem(new MlstreamError(code, code === 'HEADERS_TOO_LARGE' ? `the request line and headers exceed ${MAX_HEADER_BYTES} bytes` : 'the HTTP request is malformed')));
      socket.end(`HTTP/1.1 ${errorCodes[code].status} ${STATUS_CODES[errorCodes[code].status]}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    },
    // A malformed URL (`/v1/datasets/%/versions`) never reaches a route; answer it as a problem too.
    frameworkErrors: (error, request, reply) => {
      void (reply as unknown as FastifyReply)
        .code(400)
        .type('application/problem+json')
        .send(toProblem(Object.assign(new Error(error.message), { statusCode: 400 }), request.url));
    },
  });
  // JSON only: fastify's default text/plain parser would let a string reach validation as a body.
  app.removeContentTypeParser('text/plain');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.setValidatorCompiler(zodValidatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', undefined);

  const requests = new Counter({ name: 'mlstream_gateway_requests_total', help: 'HTTP requests answered', labelNames: ['route', 'status'], registers: [metrics.prometheus] });
  const latency = new Histogram({
    name: 'mlstream_gateway_request_duration_seconds',
    help: 'Time to answer, including the Kafka acknowledgement',
    labelNames: ['route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [metrics.prometheus],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ route, status: String(reply.statusCode) });
    latency.observe({ route }, reply.elapsedTime / 1000);
  });
  // A known path with another method: 405 with the methods it has, not 404; decided before any body is read.
  app.addHook('onRequest', async (request, reply) => {
    if (!request.is404) return;
    const path = request.url.split('?')[0] ?? '/';
    const allow = METHODS.filter((method) => app.findRoute({ method, url: path }) !== null);
    if (!allow.length) return;
    reply.header('allow', allow.join(', '));
    throw new MlstreamError('METHOD_NOT_ALLOWED', `${request.method} is not served on ${path}; it answers ${allow.join(', ')}`, { details: { allow } });
  });
  app.addHook('onRequest', authenticate(options.keys));
  app.addHook('onRequest', async (request) => {
    if (!options.accepting() && request.routeOptions.config.scope) throw new MlstreamError('SHUTTING_DOWN');
  });

  const send = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const problem = toProblem(error, request.url);
    const fields = { reqId: request.id, route: request.routeOptions.url, code: problem.code, status: problem.status };
    if (problem.status >= 500) request.log.error({ ...fields, err: error }, 'request.failed');
    else request.log.info({ ...fields, detail: problem.detail }, 'request.rejected');
    if (problem.status === 503 || problem.status === 504) reply.header('retry-after', String(options.retryAfterSeconds));
    return reply.code(problem.status).type('application/problem+json').send(problem);
  };
  app.setErrorHandler((error: FastifyError, request, reply) => send(error, request, reply));
  app.setNotFoundHandler((request, reply) => send(Object.assign(new Error(`no endpoint ${request.method} ${request.url.split('?')[0]}`), { code: 'FST_ERR_NOT_FOUND' }), request, reply));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'mlstream gateway', version: '1', description: 'Producer-facing API of mlstream. Errors are RFC 9457 problem+json with stable codes (docs/errors.md).' },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key configured (as its SHA-256) in MLSTREAM_GATEWAY_API_KEYS.' } } },
      security: [{ apiKey: [] }],
    },
    transform: openApiTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  if (options.consoleDir) await app.register(consoleRoutes({ dir: options.consoleDir }));
  await app.register(health, { metrics: metrics.prometheus, checks: options.checks, accepting: options.accepting });
  await app.register(
    async (v1) => {
      await v1.register(factRoutes(deps));
      await v1.register(runRoutes(deps));
      await v1.register(modelRoutes(deps));
      await v1.register(expectationRoutes(deps));
      await v1.register(readRoutes(deps));
      await v1.register(streamRoutes(deps, options.openStreams));
      if (deps.analytics) await v1.register(analyticsRoutes(deps.analytics, deps.now));
      if (deps.analytics) await v1.register(qualityRoutes(deps.analytics, deps.now));
    },
    { prefix: '/v1' },
  );
  // The MLflow REST API answers in MLflow's error shape under its own prefixes (docs/mlflow.md).
  const mlflow = { retryAfterSeconds: options.retryAfterSeconds };
  for (const prefix of MLFLOW_PREFIXES) await app.register(mlflowRoutes(deps, mlflow), { prefix });
  for (const prefix of ['/api/3.0/mlflow', '/ajax-api/3.0/mlflow']) await app.register(serverInfoRoutes(mlflow), { prefix });
  if (deps.artifacts) {
    const { store, maxBytes } = deps.artifacts;
    await app.register(artifactRoutes({ store, maxBytes, view: deps.view, serde: deps.serde, producer: deps.producer, now: deps.now }), { prefix: '/api/2.0/mlflow-artifacts' });
  }
  return app;
}
