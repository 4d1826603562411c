import { z } from 'zod';
import type { Limits } from '../../limits/index.ts';
import { idString } from './common.ts';

const stringRecord = z.record(z.string(), z.string());
const position = z.object({ topic: z.string(), partition: z.number().int(), offset: z.union([z.string(), z.number()]) }).describe('Kafka coordinates of a record');

export const metricPoint = z.object({ key: z.string(), value: z.number(), step: z.number(), timestamp: z.number() });

export const runView = z
  .object({
    runId: z.string(),
    experimentId: z.string(),
    runName: z.string().describe('The mlflow.runName tag if set, else the name given at start'),
    status: z.enum(['RUNNING', 'FINISHED', 'FAILED', 'KILLED']),
    startTime: z.number(),
    endTime: z.number().nullable(),
    lifecycleStage: z.enum(['active', 'deleted']),
    userId: z.string(),
    artifactUri: z.string(),
    params: stringRecord,
    tags: stringRecord,
    latestMetrics: z.record(z.string(), metricPoint).describe('Latest observation per key: highest step, then latest timestamp'),
    inputs: z.array(z.object({ datasetId: z.string(), version: z.string(), context: z.string() })),
    codeVersion: z.string().nullable(),
    loggedModelIds: z.array(z.string()),
    startedAt: position.describe('Where RunStarted is in Kafka'),
    version: z.number().int().describe('Aggregate version after the last event (pass as expectedVersion)'),
  })
  .describe('A run as the gateway read view holds it');

export const experimentView = z.object({
  experimentId: z.string(),
  name: z.string(),
  artifactLocation: z.string(),
  lifecycleStage: z.enum(['active', 'deleted']),
  tags: stringRecord,
  creationTime: z.number(),
  lastUpdateTime: z.number(),
  explicit: z.boolean().describe('False for an experiment known only because /v1 runs named it'),
});

export const modelVersionView = z.object({
  model: z.string(),
  version: z.number().int(),
  runId: z.string().nullable(),
  source: z.string(),
  stage: z.enum(['DEVELOPMENT', 'STAGING', 'PRODUCTION', 'ARCHIVED']),
  description: z.string(),
  tags: stringRecord,
  aliases: z.array(z.string()),
  userId: z.string(),
  creationTime: z.number(),
  lastUpdatedTime: z.number(),
});

export const registeredModelView = z.object({
  name: z.string(),
  description: z.string(),
  tags: stringRecord,
  aliases: z.record(z.string(), z.number().int()),
  versions: z.array(modelVersionView),
  creationTime: z.number(),
  lastUpdatedTime: z.number(),
});

export const experimentIdParams = (l: Limits) => z.object({ experimentId: idString(l.keyLength) });
export const metricParams = (l: Limits) => z.object({ runId: idString(l.keyLength), key: idString(l.keyLength) });
export const experimentsQuery = (l: Limits) => z.object({ name: idString(l.keyLength).optional().describe('Only the experiment with exactly this name') });
export const runSearchQuery = z.object({
  filter: z.string().max(10_000).optional().describe("MLflow filter, e.g. metrics.acc > 0.9 and params.lr = '0.01' and datasets.name = 'iris'"),
  orderBy: z.union([z.string().max(500), z.array(z.string().max(500)).max(10)]).optional().describe('order_by terms, e.g. metrics.acc DESC (repeat the parameter for several)'),
  maxResults: z.coerce.number().int().min(1).max(50_000).optional(),
  pageToken: z.string().max(1000).optional(),
  runViewType: z.enum(['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL']).optional(),
});

export const runList = z.object({ runs: z.array(runView), nextPageToken: z.string().optional() });
export const metricHistory = z.object({ runId: z.string(), key: z.string(), metrics: z.array(metricPoint) });
export const experimentList = z.object({ experiments: z.array(experimentView) });
export const modelList = z.object({ models: z.array(registeredModelView) });
