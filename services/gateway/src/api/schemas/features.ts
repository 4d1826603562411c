import { z } from 'zod';
import type { Limits } from '../../limits/index.ts';
import { commandAccepted, eventId, eventTime, expectedVersion, idString, MAX_INT, MAX_LONG, numberMap, sha256, stringMap, tagsOf, text } from './common.ts';

/** Entity rows per getHistoricalFeatures request (the body size limit usually binds first). */
export const MAX_ENTITY_ROWS = 100_000;
/** Feature references per getHistoricalFeatures request. */
export const MAX_FEATURE_REFS = 1_000;

const identifier = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'expected an identifier: a letter or _, then letters, digits or _ (at most 128)');

export const entityParams = z.object({ name: identifier });
export const viewParams = z.object({ name: identifier });
export const definitionQuery = z.object({ version: z.coerce.number().int().min(1).max(MAX_INT).optional().describe('A past version; default the latest.') });

export const entityBody = (l: Limits) =>
  z.object({
    keyName: identifier.describe('Join key column of entity rows, e.g. driver_id.'),
    keyType: z.enum(['STRING', 'INT64']).default('STRING'),
    description: text(l.stringLength).nullable().default(null),
    tags: tagsOf(l).default({}),
    expectedVersion,
  });

export const viewBody = (l: Limits) =>
  z.object({
    entity: identifier,
    features: z
      .array(z.object({ name: identifier, type: z.enum(['NUMERIC', 'CATEGORICAL']), description: text(l.stringLength).nullable().default(null) }))
      .min(1)
      .max(l.featuresPerPrediction),
    sourceTopic: z.string().default('mlops.features.v1').describe('Only mlops.features.v1 (FeatureValuesLogged) is materialized today.'),
    eventTimeField: z.string().default('occurredAt'),
    ttlSeconds: z.number().int().min(0).max(MAX_LONG / 1000).default(0).describe('Values older than this (relative to an entity row) are not returned; 0: never expire.'),
    description: text(l.stringLength).nullable().default(null),
    tags: tagsOf(l).default({}),
    expectedVersion,
  });

export const definitionAccepted = commandAccepted.extend({
  name: z.string(),
  version: z.number().int().describe('Definition version now current (unchanged when the same definition was put again).'),
  changed: z.boolean().describe('False when the definition was identical to the current version: no new version.'),
});

const definitionMeta = { name: z.string(), version: z.number().int(), versions: z.array(z.number().int()), description: z.string().nullable(), tags: z.record(z.string(), z.string()) };
export const entityAnswer = z.object({ ...definitionMeta, keyName: z.string(), keyType: z.enum(['STRING', 'INT64']) });
export const viewAnswer = z.object({
  ...definitionMeta,
  entity: z.string(),
  features: z.array(z.object({ name: z.string(), type: z.enum(['NUMERIC', 'CATEGORICAL']), description: z.string().nullable() })),
  sourceTopic: z.string(),
  eventTimeField: z.string(),
  ttlSeconds: z.number().int(),
});
export const entityList = z.object({ entities: z.array(entityAnswer) });
export const viewList = z.object({ views: z.array(viewAnswer) });

export const featureValuesItem = (l: Limits) =>
  z.object({
    eventId,
    occurredAt: eventTime(l).describe('Event time of the values (when they became true), epoch ms; point-in-time retrieval keys on it.'),
    view: identifier,
    viewVersion: z.number().int().min(1).max(MAX_INT).optional().describe('Validate against this version; default the latest.'),
    entityKey: z.union([idString(l.keyLength), z.number().int()]),
    numericValues: numberMap(l.featuresPerPrediction, l.keyLength).default({}),
    categoricalValues: stringMap(l.featuresPerPrediction, l.keyLength, l.stringLength).default({}),
  });

export const featureValuesBody = (l: Limits) => z.object({ values: z.array(featureValuesItem(l)).min(1).max(l.batchItems) }).describe('A batch of feature values, validated against their views.');

export const historicalBody = (l: Limits) =>
  z.object({
    entityRows: z
      .array(z.object({ entities: z.record(identifier, z.union([idString(l.keyLength), z.number().int()])), timestamp: z.number().int().min(0).max(MAX_LONG) }))
      .min(1)
      .max(MAX_ENTITY_ROWS)
      .describe('Rows of the entity frame: join keys by key name and the time each row is as of (epoch ms).'),
    features: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*:[A-Za-z_][A-Za-z0-9_]*$/, 'expected view:feature')).min(1).max(MAX_FEATURE_REFS),
    dataset: z
      .object({ datasetId: idString(l.keyLength), version: idString(l.keyLength), tags: tagsOf(l).default({}) })
      .optional()
      .describe('Save the answer as a dataset version (JSON Lines in the artifact store, DatasetVersionIngested with hash and profile); needs scope write:data.'),
  });

export const historicalAnswer = z.object({
  features: z.array(z.string()),
  rows: z.array(z.object({ entities: z.record(z.string(), z.union([z.string(), z.number()])), timestamp: z.number(), values: z.record(z.string(), z.union([z.number(), z.string(), z.null()])) })),
  dataset: z
    .object({ datasetId: z.string(), version: z.string(), uri: z.string(), contentSha256: sha256, rowCount: z.number().int(), topic: z.string(), partition: z.number().int(), offset: z.string() })
    .optional(),
});
