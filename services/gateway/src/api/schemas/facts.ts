import { z } from 'zod';
import type { Limits } from '../../limits/index.ts';
import { withFastPath } from '../validation.ts';
import { checkPredictionsBody } from './predictions-check.ts';
import { eventId, idString, long, MAX_INT, numberMap, numberOrLabel, occurredAt, sha256, stringMap, text } from './common.ts';

export const predictionItem = (l: Limits) =>
  z
    .object({
      eventId,
      occurredAt: occurredAt(l),
      requestId: idString(l.stringLength).describe('Inference request id; labels join on it.'),
      model: idString(l.keyLength),
      version: z.number().int().min(1).max(MAX_INT),
      numericFeatures: numberMap(l.featuresPerPrediction, l.keyLength).default({}),
      categoricalFeatures: stringMap(l.featuresPerPrediction, l.keyLength, l.stringLength).default({}),
      prediction: numberOrLabel(l.stringLength),
      probabilities: numberMap(l.featuresPerPrediction, l.keyLength).nullable().default(null),
      latencyMs: z.number().min(0),
      error: text(l.stringLength).nullable().default(null),
    })
    .superRefine((p, ctx) => {
      const n = Object.keys(p.numericFeatures).length + Object.keys(p.categoricalFeatures).length;
      if (n > l.featuresPerPrediction) {
        ctx.addIssue({ code: 'too_big', origin: 'object', maximum: l.featuresPerPrediction, inclusive: true, path: ['numericFeatures'], message: `expected at most ${l.featuresPerPrediction} features in all, got ${n}` });
      }
    });

/** The batch; checked by `checkPredictionsBody` first (the gateway's hottest route), by zod when that does not accept it. */
export const predictionsBody = (l: Limits) =>
  withFastPath(z.object({ predictions: z.array(predictionItem(l)).min(1).max(l.batchItems) }).describe('A batch of predictions served by a model.'), checkPredictionsBody(l));

export const labelItem = (l: Limits) =>
  z.object({
    eventId,
    occurredAt: occurredAt(l),
    requestId: idString(l.stringLength),
    model: idString(l.keyLength),
    label: numberOrLabel(l.stringLength),
  });

export const feedbackBody = (l: Limits) => z.object({ labels: z.array(labelItem(l)).min(1).max(l.batchItems) }).describe('Ground-truth labels, joined to predictions by requestId.');

const featureType = z.enum(['NUMERIC', 'CATEGORICAL', 'BOOLEAN', 'TEXT', 'DATETIME']);
const count = long();

export const datasetVersionBody = (l: Limits) =>
  z.object({
    eventId,
    occurredAt: occurredAt(l),
    version: idString(l.keyLength),
    uri: idString(l.stringLength),
    contentSha256: sha256,
    rowCount: count,
    features: z.array(z.object({ name: idString(l.keyLength), type: featureType })).max(l.featuresPerPrediction).default([]),
    profile: z
      .array(
        z.object({
          name: idString(l.keyLength),
          count,
          nulls: count,
          numeric: z
            .object({
              min: z.number(),
              max: z.number(),
              mean: z.number(),
              std: z.number().min(0),
              binEdges: z.array(z.number()).max(l.batchItems + 1),
              binCounts: z.array(count).max(l.batchItems),
            })
            .nullable()
            .default(null),
          categorical: z
            .object({ counts: z.record(idString(l.stringLength), count), topK: z.number().int().min(0).max(MAX_INT), otherCount: count })
            .nullable()
            .default(null),
        }),
      )
      .max(l.featuresPerPrediction)
      .default([]),
    validation: z
      .object({
        passed: z.boolean(),
        checks: z.array(z.object({ name: idString(l.keyLength), passed: z.boolean(), detail: text(l.paramValueLength).nullable().default(null) })).max(l.batchItems).default([]),
      })
      .default({ passed: true, checks: [] }),
    tags: stringMap(l.tagsPerBatch, l.keyLength, l.tagValueLength).default({}),
  });

export const datasetParams = (l: Limits) => z.object({ datasetId: idString(l.keyLength) });

export const datasetAccepted = z.object({
  eventId: z.string(),
  datasetId: z.string(),
  version: z.string(),
  topic: z.string(),
  partition: z.number().int(),
  offset: z.string().describe('Kafka offset of the DatasetVersionIngested record (lineage coordinates).'),
});
