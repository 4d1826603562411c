import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MlflowDeps } from './deps.ts';
import { toMlflowError } from './errors.ts';
import { experimentRoutes } from './experiments.ts';
import { loggedModelRoutes } from './logged-models.ts';
import { endpointNotFound } from './not-found.ts';
import { registryRoutes } from './registry.ts';
import { runRoutes } from './runs.ts';

export * from './deps.ts';
export * from './errors.ts';

/** The prefixes the MLflow client and its UI call. */
export const MLFLOW_PREFIXES = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;

export interface MlflowOptions {
  /** Seconds a 503 tells the client to wait (Retry-After). */
  retryAfterSeconds: number;
}

/** MLflow's error shape for everything under an MLflow prefix: errors and unknown paths alike. */
function answerErrorsAsMlflow(app: FastifyInstance, options: MlflowOptions): void {
  // MLflow's API is documented by MLflow (and docs/mlflow.md); the gateway's OpenAPI describes /v1 and its problem+json errors only.
  app.addHook('onRoute', (route) => {
    route.schema = { ...route.schema, hide: true };
  });
  const send = (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body, code } = toMlflowError(error);
    const fields = { reqId: request.id, route: request.routeOptions.url, code: code ?? body.error_code, status };
    if (status >= 500) request.log.error({ ...fields, err: error }, 'request.failed');
    else request.log.info({ ...fields, detail: body.message }, 'request.rejected');
    if (status === 503) reply.header('retry-after', String(options.retryAfterSeconds));
    return reply.code(status).type('application/json').send(body);
  };
  app.setErrorHandler((error: FastifyError, request, reply) => send(error, request, reply));
  app.setNotFoundHandler((request, reply) => send(endpointNotFound(request), request, reply));
}

/**
 * The MLflow REST API (register it once per prefix, encapsulated): its own
 * error handler answers MLflow's `{error_code, message}` with MLflow's
 * statuses, its own not-found handler ENDPOINT_NOT_FOUND.
 */
export const mlflowRoutes = (deps: MlflowDeps, options: MlflowOptions) => async (app: FastifyInstance) => {
  answerErrorsAsMlflow(app, options);
  await app.register(experimentRoutes(deps));
  await app.register(runRoutes(deps));
  await app.register(registryRoutes(deps));
  await app.register(loggedModelRoutes(deps));
};

/**
 * `GET /api/3.0/mlflow/server-info`: what MLflow 3 clients ask before
 * uploading artifacts (no multipart, no presigned uploads: artifacts go
 * through the gateway's mlflow-artifacts proxy).
 */
export const serverInfoRoutes = (options: MlflowOptions) => async (app: FastifyInstance) => {
  answerErrorsAsMlflow(app, options);
  app.get('/server-info', { config: { scope: 'read' } }, async () => ({
    store_type: 'mlstream',
    workspaces_enabled: false,
    trace_archival_enabled: false,
    multipart_uploads_enabled: false,
    multipart_downloads_enabled: false,
    presigned_upload_run_id_supported: false,
    presigned_upload_model_id_supported: false,
    features_enabled: {},
  }));
};
