import type { Rejection } from '@mlstream/kit';

/**
 * MLflow's limits, kept so that code written against MLflow behaves the same
 * here. Enforced by the run decider (LIMIT_EXCEEDED, with field, limit and
 * actual in the details).
 */
export const runLimits = {
  /** Metric observations in one LogMetrics command. */
  metricsPerBatch: 1000,
  /** Params in one LogParams command. */
  paramsPerBatch: 100,
  /** Tags in one SetTags command (and the initial tags of StartRun). */
  tagsPerBatch: 100,
  /** Characters in a metric, param or tag key. */
  keyLength: 250,
  /** Characters in a param value. */
  paramValueLength: 6000,
  /** Characters in a tag value. */
  tagValueLength: 5000,
} as const;

export type BatchKind = 'params' | 'tags' | 'metrics';

const batchLimit: Record<BatchKind, number> = { params: runLimits.paramsPerBatch, tags: runLimits.tagsPerBatch, metrics: runLimits.metricsPerBatch };
const valueLimit: Record<BatchKind, number | undefined> = { params: runLimits.paramValueLength, tags: runLimits.tagValueLength, metrics: undefined };

const exceeded = (field: string, limit: number, actual: number, message: string): Rejection => ({
  code: 'LIMIT_EXCEEDED',
  message,
  details: { field, limit: String(limit), actual: String(actual) },
});

/**
 * The first problem of a batch, in the order a client would want to fix
 * them: batch size, then empty keys, then key lengths, then value lengths.
 * `entries` are [key, value] pairs; metrics pass no value (it is a number).
 */
export function batchProblem(kind: BatchKind, entries: Array<[string, string | undefined]>): Rejection | undefined {
  const max = batchLimit[kind];
  if (entries.length > max) return exceeded(kind, max, entries.length, `${entries.length} ${kind} in one batch; at most ${max}`);
  // A command with nothing in it is a client bug, not a no-op worth recording.
  if (entries.length === 0) return { code: 'INVALID_COMMAND', message: `the ${kind} batch is empty`, details: { field: kind } };
  for (const [key] of entries) {
    if (key.length === 0) return { code: 'INVALID_COMMAND', message: `a ${kind} key is empty`, details: { field: `${kind}.key` } };
    if (key.length > runLimits.keyLength) {
      return exceeded(`${kind}.key`, runLimits.keyLength, key.length, `${kind} key ${JSON.stringify(key.slice(0, 40))}… has ${key.length} characters; at most ${runLimits.keyLength}`);
    }
  }
  const maxValue = valueLimit[kind];
  if (maxValue === undefined) return undefined;
  for (const [key, value] of entries) {
    if (value !== undefined && value.length > maxValue) {
      return exceeded(`${kind}.${key}`, maxValue, value.length, `${kind}.${key} has ${value.length} characters; at most ${maxValue}`);
    }
  }
  return undefined;
}
