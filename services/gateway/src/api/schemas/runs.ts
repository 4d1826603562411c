import { z } from 'zod';
import type { Limits } from '../../limits/index.ts';
import { commandAccepted, eventTime, expectedVersion, idString, long, sha256, stringBatch, stringMap, tagsOf, text } from './common.ts';

export const runParams = (l: Limits) => z.object({ runId: idString(l.keyLength) });

export const startRunBody = (l: Limits) =>
  z.object({
    runId: idString(l.keyLength).optional().describe('Default: a new UUID (derived from the Idempotency-Key when one is sent).'),
    experiment: idString(l.keyLength),
    name: text(l.keyLength).nullable().default(null),
    tags: tagsOf(l).default({}),
    codeVersion: text(l.keyLength).nullable().default(null),
    expectedVersion,
  });

export const logParamsBody = (l: Limits) =>
  z.object({ params: stringBatch(l.paramsPerBatch, l.keyLength, l.paramValueLength), expectedVersion }).describe('Params are immutable: the same value again is fine, another value is PARAM_IMMUTABLE.');

export const logMetricsBody = (l: Limits) =>
  z.object({
    metrics: z
      .array(
        z.object({
          key: idString(l.keyLength),
          value: z.number(),
          step: long().default(0),
          timestamp: eventTime(l).optional().describe('Epoch ms, in the event-time range (docs/api.md); default: when the gateway received it.'),
        }),
      )
      .min(1)
      .max(l.metricsPerBatch),
    expectedVersion,
  });

const metricList = (l: Limits) =>
  z
    .array(
      z.object({
        key: idString(l.keyLength),
        value: z.number(),
        step: long().default(0),
        timestamp: eventTime(l).optional().describe('Epoch ms, in the event-time range (docs/api.md); default: when the gateway received it.'),
      }),
    )
    .max(l.metricsPerBatch);

export const logBatchBody = (l: Limits) =>
  z
    .object({
      params: stringMap(l.paramsPerBatch, l.keyLength, l.paramValueLength).default({}),
      metrics: metricList(l).default([]),
      tags: stringMap(l.tagsPerBatch, l.keyLength, l.tagValueLength).default({}),
      expectedVersion,
    })
    .describe("Params, metrics and tags in one command, decided all or nothing (MLflow's log-batch): a changed param refuses the whole batch.");

export const setTagsBody = (l: Limits) => z.object({ tags: stringBatch(l.tagsPerBatch, l.keyLength, l.tagValueLength), expectedVersion });

export const logInputsBody = (l: Limits) =>
  z.object({
    inputs: z
      .array(z.object({ datasetId: idString(l.keyLength), version: idString(l.keyLength), context: idString(l.keyLength).default('training') }))
      .min(1)
      .max(l.paramsPerBatch),
    expectedVersion,
  });

export const logArtifactBody = (l: Limits) =>
  z.object({
    name: idString(l.keyLength),
    uri: idString(l.stringLength),
    sha256: sha256.nullable().default(null),
    size: long().nullable().default(null),
    expectedVersion,
  });

export const finishRunBody = z.object({ status: z.enum(['FINISHED', 'FAILED', 'KILLED']).default('FINISHED'), expectedVersion });

export const runStarted = commandAccepted.extend({ runId: z.string() });
