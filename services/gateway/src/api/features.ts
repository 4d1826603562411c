import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  MlstreamError,
  entityKeyString,
  parseFeatureRef,
  pickVersion,
  profileDataset,
  sha256Hex,
  trainingSetJsonl,
  valueProblems,
  type DatasetVersionIngested,
  type EntityDefinition,
  type FeatureRef,
  type FeatureValuesLogged,
  type FeatureViewDefinition,
  type HistoricalRow,
  type ViewForRetrieval,
} from '@mlstream/kit';
import { historicalFeatures } from '@mlstream/materializer';
import { hasScope, principalOf } from '../auth/index.ts';
import type { RouteDeps } from './deps.ts';
import { acceptedBody, awaitView, commandFields, idempotent, sendCommand, type Ctx } from './respond.ts';
import {
  definitionAccepted,
  definitionQuery,
  entityAnswer,
  entityBody,
  entityList,
  entityParams,
  factsAccepted,
  featureValuesBody,
  historicalAnswer,
  historicalBody,
  viewAnswer,
  viewBody,
  viewList,
  viewParams,
} from './schemas/index.ts';

const versionsOf = (list: ReadonlyArray<{ version: number }>) => list.map((d) => d.version);
const entityOut = (e: EntityDefinition, all: EntityDefinition[]) => ({ ...e, versions: versionsOf(all) });
const viewOut = (v: FeatureViewDefinition, all: FeatureViewDefinition[]) => ({ ...v, versions: versionsOf(all) });

/**
 * The feature store's definitions, ingestion and offline retrieval
 * (docs/features.md). Definitions are commands decided by the registry
 * processor (versions 1..n per name); reads come from the gateway's read view
 * with read-your-writes. Values are facts validated here against their view.
 */
export const featureRoutes = (deps: RouteDeps) => async (root: FastifyInstance) => {
  const app = root.withTypeProvider<ZodTypeProvider>();
  const { limits, serde, producer } = deps;
  const tags = ['features'];
  const catalog = () => deps.view.featureCatalog();

  app.put(
    '/features/entities/:name',
    { config: { scope: 'write:registry' }, schema: { tags, summary: 'Define an entity (join key name and type); a changed definition is a new version', params: entityParams, body: entityBody(limits), response: { 200: definitionAccepted } } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { expectedVersion, ...body } = request.body;
        const { name } = request.params;
        const { value } = await sendCommand(deps, ctx, 'DefineEntity', { ...commandFields(ctx, expectedVersion), name, ...body });
        const version = await currentVersion(deps, () => pickVersion(catalog().entities.get(name))?.version);
        return { status: 200, body: { name, version, changed: value.events.length > 0, ...acceptedBody(value) } };
      }),
  );

  app.get('/features/entities', { config: { scope: 'read' }, schema: { tags, summary: 'Every entity, latest versions', response: { 200: entityList } } }, async (request) => {
    await awaitView(deps, request);
    return { entities: [...catalog().entities.values()].map((all) => entityOut(all[all.length - 1]!, all)).sort((a, b) => (a.name < b.name ? -1 : 1)) };
  });

  app.get('/features/entities/:name', { config: { scope: 'read' }, schema: { tags, summary: 'An entity, latest or a given version', params: entityParams, querystring: definitionQuery, response: { 200: entityAnswer } } }, async (request) => {
    await awaitView(deps, request);
    const all = catalog().entities.get(request.params.name) ?? [];
    const found = pickVersion(all, request.query.version);
    if (!found) throw new MlstreamError('FEATURE_ENTITY_NOT_FOUND', `no entity ${request.params.name}${request.query.version ? ` version ${request.query.version}` : ''}`, { details: { entity: request.params.name } });
    return entityOut(found, all);
  });

  app.put(
    '/features/views/:name',
    { config: { scope: 'write:registry' }, schema: { tags, summary: 'Define a feature view (entity, typed features, TTL); a changed definition is a new version', params: viewParams, body: viewBody(limits), response: { 200: definitionAccepted } } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        const { expectedVersion, ...body } = request.body;
        const { name } = request.params;
        // Entities are never deleted, so once the view has seen one it exists for good: checking here is race-free.
        await awaitView(deps, request);
        if (!catalog().entities.has(body.entity)) throw new MlstreamError('FEATURE_ENTITY_NOT_FOUND', `view ${name} names entity ${body.entity}, which is not defined; PUT /v1/features/entities/${body.entity} first`, { details: { entity: body.entity } });
        const { value } = await sendCommand(deps, ctx, 'DefineFeatureView', { ...commandFields(ctx, expectedVersion), name, ...body });
        const version = await currentVersion(deps, () => pickVersion(catalog().views.get(name))?.version);
        return { status: 200, body: { name, version, changed: value.events.length > 0, ...acceptedBody(value) } };
      }),
  );

  app.get('/features/views', { config: { scope: 'read' }, schema: { tags, summary: 'Every feature view, latest versions', response: { 200: viewList } } }, async (request) => {
    await awaitView(deps, request);
    return { views: [...catalog().views.values()].map((all) => viewOut(all[all.length - 1]!, all)).sort((a, b) => (a.name < b.name ? -1 : 1)) };
  });

  app.get('/features/views/:name', { config: { scope: 'read' }, schema: { tags, summary: 'A feature view, latest or a given version', params: viewParams, querystring: definitionQuery, response: { 200: viewAnswer } } }, async (request) => {
    await awaitView(deps, request);
    const all = catalog().views.get(request.params.name) ?? [];
    const found = pickVersion(all, request.query.version);
    if (!found) throw new MlstreamError('FEATURE_VIEW_NOT_FOUND', `no feature view ${request.params.name}${request.query.version ? ` version ${request.query.version}` : ''}`, { details: { view: request.params.name } });
    return viewOut(found, all);
  });

  app.post(
    '/features/values',
    { config: { scope: 'write:data' }, schema: { tags, summary: `Log a batch of feature values (at most ${limits.batchItems}), validated against their views`, body: featureValuesBody(limits), response: { 202: factsAccepted } } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        await awaitView(deps, request);
        const defs = catalog();
        const problems: Array<{ index: number; field: string; message: string }> = [];
        const values: FeatureValuesLogged[] = [];
        for (const [index, item] of request.body.values.entries()) {
          const view = pickVersion(defs.views.get(item.view), item.viewVersion);
          if (!view) {
            throw new MlstreamError('FEATURE_VIEW_NOT_FOUND', `values[${index}]: no feature view ${item.view}${item.viewVersion ? ` version ${item.viewVersion}` : ''}`, { details: { index, view: item.view } });
          }
          const entity = pickVersion(defs.entities.get(view.entity));
          for (const p of valueProblems(view, entity?.keyType ?? 'STRING', item)) problems.push({ index, field: p.field, message: p.message });
          values.push({
            eventId: item.eventId ?? ctx.ids.derive(`event:${index}`),
            occurredAt: item.occurredAt,
            view: view.name,
            viewVersion: view.version,
            entityKey: entityKeyString(item.entityKey),
            numericValues: item.numericValues,
            categoricalValues: item.categoricalValues,
          });
        }
        if (problems.length) {
          const first = problems[0]!;
          throw new MlstreamError('FEATURE_VALUES_INVALID', `values[${first.index}].${first.field}: ${first.message}${problems.length > 1 ? ` (and ${problems.length - 1} more)` : ''}`, { details: { problems: problems.slice(0, 100) } });
        }
        const records = await Promise.all(values.map((v) => serde.encode('FeatureValuesLogged', v, ctx.meta)));
        await producer.send(records);
        return { status: 202, body: { accepted: records.length, eventIds: values.map((v) => v.eventId) } };
      }),
  );

  app.post(
    '/features/historical',
    { config: { scope: 'read' }, schema: { tags, summary: 'getHistoricalFeatures: each entity row with the latest values at or before its timestamp and within TTL; optionally saved as a dataset version', body: historicalBody(limits), response: { 200: historicalAnswer } } },
    (request, reply) =>
      idempotent(deps, request, reply, async (ctx) => {
        if (!deps.analytics) throw new MlstreamError('CLICKHOUSE_UNAVAILABLE', 'this gateway has no ClickHouse read model configured');
        const { entityRows, features, dataset } = request.body;
        if (dataset && !hasScope(principalOf(request), 'write:data')) throw new MlstreamError('FORBIDDEN', 'saving a training set as a dataset version needs scope write:data');
        await awaitView(deps, request);
        const { refs, views } = retrievalPlan(deps, features, entityRows);
        const rows = await historicalFeatures(deps.analytics, views, entityRows, refs);
        const saved = dataset ? await saveTrainingSet(deps, ctx, rows, refs, dataset) : undefined;
        return { status: 200, body: { features, rows, ...(saved ? { dataset: saved } : {}) } };
      }),
  );
};

/** The version the read view holds once it has applied this gateway's writes (the definition events included). */
async function currentVersion(deps: RouteDeps, read: () => number | undefined): Promise<number> {
  await deps.view.barrier();
  return read() ?? 0;
}

/** Checks every reference against the definitions and the rows' keys; answers what retrieval needs per view. */
function retrievalPlan(deps: RouteDeps, features: readonly string[], rows: ReadonlyArray<{ entities: Record<string, unknown> }>): { refs: FeatureRef[]; views: Map<string, ViewForRetrieval> } {
  const defs = deps.view.featureCatalog();
  const refs: FeatureRef[] = [];
  const views = new Map<string, ViewForRetrieval>();
  for (const text of new Set(features)) {
    const ref = parseFeatureRef(text)!;
    const view = pickVersion(defs.views.get(ref.view));
    if (!view) throw new MlstreamError('FEATURE_VIEW_NOT_FOUND', `feature ${text}: no feature view ${ref.view}`, { details: { feature: text } });
    if (!view.features.some((f) => f.name === ref.feature)) throw new MlstreamError('FEATURE_VALUES_INVALID', `feature ${text}: view ${ref.view} v${view.version} has no feature ${ref.feature}`, { details: { feature: text } });
    const entity = pickVersion(defs.entities.get(view.entity));
    if (!entity) throw new MlstreamError('FEATURE_ENTITY_NOT_FOUND', `view ${view.name} names entity ${view.entity}, which is not defined`, { details: { entity: view.entity } });
    const missing = rows.findIndex((r) => r.entities[entity.keyName] === undefined);
    if (missing >= 0) throw new MlstreamError('INVALID_REQUEST', `entityRows[${missing}] has no ${entity.keyName}, the join key of entity ${entity.name} (view ${view.name})`, { details: { index: missing, keyName: entity.keyName } });
    views.set(view.name, { name: view.name, keyName: entity.keyName, ttlSeconds: view.ttlSeconds });
    refs.push(ref);
  }
  return { refs, views };
}

/** Writes the training set (JSON Lines) to the artifact store and publishes its DatasetVersionIngested (hash, row count, profile). */
async function saveTrainingSet(deps: RouteDeps, ctx: Ctx, rows: HistoricalRow[], refs: FeatureRef[], dataset: { datasetId: string; version: string; tags: Record<string, string> }) {
  const text = trainingSetJsonl(rows, refs);
  const bytes = Buffer.from(text);
  const contentSha256 = sha256Hex(text);
  const uri = deps.artifacts ? (await deps.artifacts.store.put(Readable.from([bytes]), { maxBytes: Math.max(deps.artifacts.maxBytes, bytes.length) })).uri : `urn:sha256:${contentSha256}`;
  const profiled = profileDataset(
    rows.map((r) => ({
      numericFeatures: Object.fromEntries(Object.entries(r.values).filter(([, v]) => typeof v === 'number')) as Record<string, number>,
      categoricalFeatures: Object.fromEntries(Object.entries(r.values).filter(([, v]) => typeof v === 'string')) as Record<string, string>,
    })),
  );
  const value: DatasetVersionIngested = {
    eventId: ctx.ids.derive('dataset'),
    occurredAt: ctx.now,
    datasetId: dataset.datasetId,
    version: dataset.version,
    uri,
    contentSha256,
    rowCount: rows.length,
    features: profiled.features,
    profile: profiled.profile,
    validation: { passed: true, checks: [{ name: 'point_in_time', passed: true, detail: 'values at or before each row timestamp, within the view TTL' }] },
    producer: ctx.actor,
    tags: { ...dataset.tags, 'mlstream.features': refs.map((r) => r.ref).join(','), 'mlstream.source': 'getHistoricalFeatures' },
  };
  const record = await deps.serde.encode('DatasetVersionIngested', value, ctx.meta);
  const [ack] = await deps.producer.send([record], { alone: true });
  return { datasetId: value.datasetId, version: value.version, uri, contentSha256, rowCount: rows.length, topic: record.topic, partition: ack?.partition ?? -1, offset: ack?.baseOffset ?? '-1' };
}
