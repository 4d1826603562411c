import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_QUERY_TIME_MS, qualityHistory, type AnalyticsDeps } from '@mlstream/materializer';
import { resolveWindow } from './analytics.ts';

const time = z.coerce.number().int().nonnegative().max(MAX_QUERY_TIME_MS);

/**
 * GET /v1/models/{model}/quality: the data quality the drift detector
 * measured in every prediction window (DataQualityMeasured) and its
 * DataQualityFailed alerts, from the ClickHouse read model (scope `read`).
 */
export const qualityRoutes = (analytics: AnalyticsDeps, now: () => number = Date.now) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/models/:model/quality',
    {
      config: { scope: 'read' as const },
      schema: {
        tags: ['analytics'],
        summary: 'Data quality per prediction window (missing, out-of-range and unseen-category shares per feature, schema violations, constant features, score, failed checks) and DataQualityFailed alerts, in a window of event time (default: last 24 h)',
        params: z.object({ model: z.string().min(1).max(250) }),
        querystring: z.object({
          from: time.optional().describe('Window start, epoch ms (inclusive); default: `to` − 24 h.'),
          to: time.optional().describe('Window end, epoch ms (exclusive); default: now.'),
          version: z.coerce.number().int().positive().max(4_294_967_295).optional(),
          limit: z.coerce.number().int().min(1).max(10_000).optional(),
        }),
      },
    },
    async (request) => qualityHistory(analytics, { model: request.params.model, version: request.query.version, ...resolveWindow(request.query, now()), limit: request.query.limit }),
  );
};
