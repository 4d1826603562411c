import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MlstreamError } from '@mlstream/kit';
import { featureSkew, MAX_QUERY_TIME_MS, type AnalyticsDeps } from '@mlstream/materializer';
import { resolveWindow } from './analytics.ts';

const time = z.coerce.number().int().nonnegative().max(MAX_QUERY_TIME_MS);

/** The body the features service checks again; the gateway bounds it first. */
const onlineBody = z.object({
  view: z.string().min(1).max(250).optional().describe('Feature view; `features` then names features of it (default: all of its features).'),
  features: z.array(z.string().min(1).max(500)).min(1).max(1000).optional().describe('Feature names of `view`, or `<view>:<feature>` references when no view is given.'),
  entityKeys: z.array(z.string().max(1000)).min(1).max(10_000),
});

export interface FeaturesOnlineDeps {
  /** Base URL of the features service (MLSTREAM_FEATURES_URL); without it the online route is not served. */
  featuresUrl?: string;
  analytics?: AnalyticsDeps;
  now?: () => number;
  /** Proxy timeout, ms; default 5 000. */
  timeoutMs?: number;
}

/**
 * Online serving and skew through the gateway (docs/features.md, "Online
 * serving and skew"): `POST /features/online` is proxied, with the gateway's
 * auth, to the features service, which holds the view in memory (the answer
 * passes through unchanged); `GET /features/views/:view/skew` reads ClickHouse.
 */
export const featuresOnlineRoutes = (deps: FeaturesOnlineDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const config = { scope: 'read' as const };
  const tags = ['features'];
  const now = deps.now ?? Date.now;

  if (deps.featuresUrl) {
    const target = new URL('/v1/features/online', deps.featuresUrl).toString();
    app.post(
      '/features/online',
      { config, schema: { tags, summary: 'Latest feature values of entities from the online store, with event times and a status per feature (present, expired by the view TTL, missing)', body: onlineBody } },
      async (request, reply) => {
        let response: Response;
        try {
          response = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.body), signal: AbortSignal.timeout(deps.timeoutMs ?? 5_000) });
        } catch (cause) {
          throw new MlstreamError('FEATURES_UNAVAILABLE', `the features service at ${deps.featuresUrl} did not answer`, { cause });
        }
        return reply
          .status(response.status)
          .type(response.headers.get('content-type') ?? 'application/json')
          .send(await response.text());
      },
    );
  }

  if (deps.analytics) {
    const analytics = deps.analytics;
    app.get(
      '/features/views/:view/skew',
      {
        config,
        schema: {
          tags,
          summary: 'Training/serving skew per feature of a view: predictions that named an entity of the view, compared with the online value at their time, by status (match, skew, missing_online, expired, unknown); default last 24 h',
          params: z.object({ view: z.string().min(1).max(250) }),
          querystring: z.object({ from: time.optional(), to: time.optional() }),
        },
      },
      async (request) => featureSkew(analytics, { view: request.params.view, ...resolveWindow(request.query, now()) }),
    );
  }
};
