import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MlstreamError } from '@mlstream/kit';
import { expectationToRecord, suiteSchema } from '@mlstream/kit/expectations';
import { datasetValidation, expectationSuites, MAX_QUERY_TIME_MS } from '@mlstream/materializer';
import type { RouteDeps } from './deps.ts';
import { acceptedBody, commandFields, idempotent, sendCommand } from './respond.ts';

const name = z.string().min(1).max(250);
const declareBody = z.object({
  expectations: suiteSchema.describe('The suite, in order (docs/data-quality.md lists every kind). Declaring the suite in force again creates no new version.'),
  reason: z.string().max(6000).nullable().default(null),
  expectedVersion: z.number().int().min(0).optional().describe('The suite version the sender last saw; rejected with VERSION_CONFLICT if it moved on.'),
});
const atQuery = z.object({ at: z.coerce.number().int().nonnegative().max(MAX_QUERY_TIME_MS).optional().describe('Epoch ms: only the suite in force then.') });

/**
 * Expectation suites (docs/data-quality.md): declared as commands to the
 * validator's suite processor, read from the ClickHouse read model, like the
 * platform's dataset validations.
 */
export const expectationRoutes = (deps: RouteDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const tags = ['data quality'];

  const declare = (scope: 'write:data' | 'write:registry', path: string, param: 'datasetId' | 'model', subjectOf: (id: string) => string) =>
    app.put(
      path,
      { config: { scope }, schema: { tags, summary: `Declare the ${param === 'model' ? "model's" : "dataset's"} expectation suite (a new version when it changes)`, params: z.object({ [param]: name }), body: declareBody } },
      (request, reply) =>
        idempotent(deps, request, reply, async (ctx) => {
          const { expectedVersion, expectations, reason } = request.body;
          const subject = subjectOf((request.params as Record<string, string>)[param]!);
          const { value } = await sendCommand(deps, ctx, 'DeclareExpectationSuite', { ...commandFields(ctx, expectedVersion), subject, expectations: expectations.map(expectationToRecord), reason }, { readView: false });
          // `declared`, not `events`: the read view does not follow suites, so their positions are no consistency token.
          const { events, ...accepted } = acceptedBody(value);
          return { status: 200, body: { subject, version: value.aggregateVersion, changed: events.length > 0, ...accepted, declared: events } };
        }),
    );
  declare('write:data', '/datasets/:datasetId/expectations', 'datasetId', (id) => `dataset:${id}`);
  declare('write:registry', '/models/:model/expectations', 'model', (id) => `model:${id}`);

  const analytics = deps.analytics;
  if (!analytics) return;
  const config = { scope: 'read' as const };
  const read = (path: string, param: 'datasetId' | 'model', subjectOf: (id: string) => string) =>
    app.get(
      path,
      { config, schema: { tags, summary: 'The expectation suite: every version (newest first), or with `at` the one in force then', params: z.object({ [param]: name }), querystring: atQuery } },
      async (request) => {
        const subject = subjectOf((request.params as Record<string, string>)[param]!);
        const versions = await expectationSuites(analytics, { subject, at: request.query.at });
        if (!versions.length) throw new MlstreamError('NOT_FOUND', request.query.at === undefined ? `${subject} has no expectation suite` : `${subject} had no expectation suite at ${request.query.at}`, { details: { subject } });
        return { subject, current: versions[0]!, versions };
      },
    );
  read('/datasets/:datasetId/expectations', 'datasetId', (id) => `dataset:${id}`);
  read('/models/:model/expectations', 'model', (id) => `model:${id}`);

  app.get(
    '/datasets/:datasetId/versions/:version/validation',
    { config, schema: { tags, summary: "The platform's validation of a dataset version (DatasetValidated): verdict, per-expectation results, and whether the producer's own verdict disagreed", params: z.object({ datasetId: name, version: name }) } },
    async (request) => {
      const { datasetId, version } = request.params;
      const found = await datasetValidation(analytics, { datasetId, version });
      if (!found) throw new MlstreamError('NOT_FOUND', `no validation of version ${version} of dataset ${datasetId} yet (not ingested, or not validated yet)`, { details: { datasetId, version } });
      return found;
    },
  );
};
