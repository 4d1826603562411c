import { z } from 'zod';
import type { Limits } from '../../limits/index.ts';
import { commandAccepted, expectedVersion, idString, MAX_INT, MAX_LONG, sha256, tagsOf, text } from './common.ts';

export const modelParams = (l: Limits) => z.object({ model: idString(l.keyLength) });
export const versionParams = (l: Limits) => z.object({ model: idString(l.keyLength), version: z.coerce.number().int().min(1).max(MAX_INT) });
export const aliasParams = (l: Limits) => z.object({ model: idString(l.keyLength), alias: idString(l.keyLength) });

const reason = (l: Limits) => text(l.paramValueLength).nullable().default(null).describe('Why: recorded on the event for auditors.');

export const registerVersionBody = (l: Limits) =>
  z.object({
    runId: idString(l.keyLength).nullable().default(null),
    artifactUri: idString(l.stringLength),
    artifactSha256: sha256.nullable().default(null),
    signature: z.array(z.object({ name: idString(l.keyLength), type: idString(l.keyLength) })).max(l.featuresPerPrediction).default([]),
    description: text(l.paramValueLength).nullable().default(null),
    tags: tagsOf(l).default({}),
    reason: reason(l),
    expectedVersion,
  });

export const stage = z.enum(['DEVELOPMENT', 'STAGING', 'PRODUCTION', 'ARCHIVED']);

export const transitionBody = (l: Limits) =>
  z.object({
    stage,
    archivePrevious: z.boolean().default(true).describe('Promoting to PRODUCTION archives the previous PRODUCTION version unless false.'),
    gate: z
      .object({
        metric: idString(l.keyLength),
        comparator: z.enum(['GT', 'GTE', 'LT', 'LTE']),
        threshold: z.number().nullable().default(null),
        beatProduction: z.boolean().default(false),
      })
      .nullable()
      .default(null)
      .describe("Promotion gate: a metric of the candidate's run must compare to the threshold and/or the current PRODUCTION version's."),
    requireValidatedData: z.boolean().default(false).describe("validatedData gate: refuse a promotion to PRODUCTION when a training dataset of the version's run failed (or has no) platform validation."),
    overrideReason: text(l.paramValueLength).nullable().default(null).describe('Promote despite failed data validation, for this reason (recorded on the event).'),
    reason: reason(l),
    expectedVersion,
  });

export const setAliasBody = (l: Limits) => z.object({ version: z.number().int().min(1).max(MAX_INT), reason: reason(l), expectedVersion });

export const deleteAliasQuery = (l: Limits) =>
  z.object({ reason: text(l.paramValueLength).optional(), expectedVersion: z.coerce.number().int().min(0).max(MAX_LONG).optional() });

export const versionRegistered = commandAccepted.extend({ model: z.string(), version: z.number().int() });
