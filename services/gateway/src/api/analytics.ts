import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MlstreamError } from '@mlstream/kit';
import { compareVersions, datasetVersion, driftFeatureDetail, driftHistory, MAX_QUERY_TIME_MS, metricHistory, modelHealth, modelVersions, searchRuns, type AnalyticsDeps, type VersionRef } from '@mlstream/materializer';

const DAY = 24 * 60 * 60 * 1000;
const name = z.string().min(1).max(250);
// The bound the analytics queries check themselves (before 2100).
const time = z.coerce.number().int().nonnegative().max(MAX_QUERY_TIME_MS);
const window = {
  from: time.optional().describe('Window start, epoch ms (inclusive); default: `to` − 24 h.'),
  to: time.optional().describe('Window end, epoch ms (exclusive); default: now.'),
};
/**
 * The one rule for every analytics window, [from, to): `to` defaults to now
 * and `from` to 24 h before `to`, so either bound, both or none may be given.
 */
export const resolveWindow = (q: { from?: number; to?: number }, now: number) => {
  const to = q.to ?? now;
  return { from: q.from ?? Math.max(0, to - DAY), to };
};
/** `3` or `@champion` (an alias). */
const versionRef = z.string().regex(/^(\d+|@[A-Za-z0-9_.-]+)$/, 'expected a version number or @alias').transform((v): VersionRef => (v.startsWith('@') ? { alias: v.slice(1) } : Number(v)));

/**
 * Read endpoints over the ClickHouse read model (scope `read`). Queries and
 * their validation live in @mlstream/materializer; its coded errors
 * (INVALID_FILTER, INVALID_ANALYTICS_REQUEST, ...) become problem+json here.
 */
export const analyticsRoutes = (analytics: AnalyticsDeps, now: () => number = Date.now) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const config = { scope: 'read' as const };
  const tags = ['analytics'];

  app.get(
    '/models/:model/health',
    { config, schema: { tags, summary: 'Throughput, error rate and latency p50/p95/p99 per version, bucketed (default: last 24 h, 60 s buckets)', params: z.object({ model: name }), querystring: z.object({ ...window, bucketSeconds: z.coerce.number().int().min(60).max(31 * 86_400).multipleOf(60).optional(), versions: z.string().regex(/^\d+(,\d+)*$/).optional() }) } },
    async (request) => {
      const q = request.query;
      return { points: await modelHealth(analytics, { model: request.params.model, ...resolveWindow(q, now()), bucketSeconds: q.bucketSeconds, versions: q.versions?.split(',').map(Number) }) };
    },
  );

  app.get(
    '/models/:model/compare',
    { config, schema: { tags, summary: 'Champion vs challenger over a window: latency, error rate, prediction distribution, accuracy on labels', params: z.object({ model: name }), querystring: z.object({ ...window, champion: versionRef, challenger: versionRef }) } },
    async (request) => compareVersions(analytics, { model: request.params.model, ...resolveWindow(request.query, now()), champion: request.query.champion, challenger: request.query.challenger }),
  );

  app.post(
    '/runs/search',
    { config, schema: { tags, summary: "Run search with MLflow's filter syntax, e.g. metrics.acc > 0.9 and params.lr = '0.01'", body: z.object({ filter: z.string().max(10_000).optional(), orderBy: z.array(z.string().max(500)).max(10).optional(), experiments: z.array(name).max(100).optional(), maxResults: z.number().int().min(1).max(50_000).optional(), pageToken: z.string().max(1000).optional() }) } },
    async (request) => searchRuns(analytics, request.body),
  );

  app.get(
    '/runs/:runId/metrics/:key/history',
    { config, schema: { tags, summary: 'Every observation of one metric of a run, by step', params: z.object({ runId: name, key: name }), querystring: z.object({ maxResults: z.coerce.number().int().min(1).max(100_000).optional() }) } },
    async (request) => ({ points: await metricHistory(analytics, { runId: request.params.runId, key: request.params.key, maxResults: request.query.maxResults }) }),
  );

  app.get(
    '/models/:model/versions',
    { config, schema: { tags, summary: 'Versions with stage history (who, when, why) and lineage to run and datasets', params: z.object({ model: name }) } },
    async (request) => ({ versions: await modelVersions(analytics, { model: request.params.model }) }),
  );

  app.get(
    '/models/:model/drift/feature',
    { config, schema: { tags, summary: "One feature of one drift window: statistic, test, threshold and verdict, and the reference (training profile) vs current (the window's predictions) distribution on the reference's bins or categories", params: z.object({ model: name }), querystring: z.object({ window: z.string().min(1).max(1000).describe('Window id, as in the drift history.'), feature: name }) } },
    async (request) => driftFeatureDetail(analytics, { model: request.params.model, windowId: request.query.window, feature: request.query.feature }),
  );

  app.get(
    '/models/:model/drift',
    { config, schema: { tags, summary: 'Drift measurements, detections and retrain requests in a window of event time (default: last 24 h), the most recent `limit` measurements', params: z.object({ model: name }), querystring: z.object({ ...window, version: z.coerce.number().int().positive().max(4_294_967_295).optional(), limit: z.coerce.number().int().min(1).max(10_000).optional() }) } },
    async (request) => driftHistory(analytics, { model: request.params.model, version: request.query.version, ...resolveWindow(request.query, now()), limit: request.query.limit }),
  );

  app.get(
    '/datasets/:datasetId/versions/:version',
    { config, schema: { tags, summary: 'A dataset version as ingested: URI, content hash, rows, features, validation, profile, Kafka coordinates (the run page shows its inputs with it)', params: z.object({ datasetId: name, version: name }) } },
    async (request) => {
      const { datasetId, version } = request.params;
      const found = await datasetVersion(analytics, { datasetId, version });
      if (!found) throw new MlstreamError('NOT_FOUND', `no version ${version} of dataset ${datasetId} was ingested`, { details: { datasetId, version } });
      return found;
    },
  );
};
