import type { FastifyRequest } from 'fastify';
import { MlflowError } from './errors.ts';

/**
 * Every path under the MLflow prefixes that mlstream does not serve (traces,
 * prompts, webhooks, scorers, ... see docs/mlflow.md) answers MLflow's
 * ENDPOINT_NOT_FOUND (404), never a 500 and never problem+json.
 */
export const endpointNotFound = (request: FastifyRequest): MlflowError =>
  new MlflowError('ENDPOINT_NOT_FOUND', `mlstream does not serve ${request.method} ${request.url.split('?')[0]} (the MLflow endpoints it serves are listed in docs/mlflow.md)`);
