import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { retrainJobs, type AnalyticsDeps } from '@mlstream/materializer';

/** `GET /v1/models/{model}/retrain-jobs`: the orchestrator's jobs from the read model (ClickHouse 007), newest first, each with its events and their evidence. */
export const retrainJobRoutes = (analytics: AnalyticsDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/models/:model/retrain-jobs',
    {
      config: { scope: 'read' as const },
      schema: {
        tags: ['analytics'],
        summary: 'Retrain jobs of a model: requested → started → run linked → version registered → evaluated → promoted / rejected / failed / timed out, with the snapshot and the evaluation numbers',
        params: z.object({ model: z.string().min(1).max(250) }),
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(1_000).optional() }),
      },
    },
    async (request) => ({ jobs: await retrainJobs(analytics, { model: request.params.model, limit: request.query.limit }) }),
  );
};
