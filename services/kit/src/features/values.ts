import type { EntityKeyType } from '../contracts/index.ts';
import type { FeatureViewDefinition } from './definitions.ts';

/** Feature values of one entity as a producer hands them over (HTTP batch item, SDK writer). */
export interface FeatureValuesInput {
  entityKey: string | number;
  /** Event time of the values, epoch ms. */
  occurredAt: number;
  numericValues?: Record<string, number>;
  categoricalValues?: Record<string, string>;
}

export interface ValueProblem {
  /** Path of the offending value, e.g. `numericValues.trips`. */
  field: string;
  message: string;
}

const INT64 = /^-?(0|[1-9][0-9]{0,18})$/;

/** An entity key as it travels (a string); INT64 keys must be decimal integers. */
export function entityKeyProblem(key: string | number, keyType: EntityKeyType): ValueProblem | undefined {
  if (typeof key === 'number') {
    if (keyType !== 'INT64' || !Number.isSafeInteger(key)) return { field: 'entityKey', message: `entity key ${key} must be a string${keyType === 'INT64' ? ' or a safe integer' : ''}` };
    return undefined;
  }
  if (!key.length) return { field: 'entityKey', message: 'entity key is empty' };
  if (keyType === 'INT64' && !INT64.test(key)) return { field: 'entityKey', message: `entity key ${JSON.stringify(key)} is not a decimal INT64` };
  return undefined;
}

export const entityKeyString = (key: string | number): string => (typeof key === 'number' ? String(key) : key);

/**
 * Everything wrong with one item against its view: unknown features, a
 * number for a categorical feature or the reverse, NaN or infinite numbers,
 * a malformed key or event time. Features of the view may be absent (null in
 * a training set); an item with no value at all is refused.
 */
export function valueProblems(view: FeatureViewDefinition, keyType: EntityKeyType, item: FeatureValuesInput): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const keyProblem = entityKeyProblem(item.entityKey, keyType);
  if (keyProblem) problems.push(keyProblem);
  if (!Number.isSafeInteger(item.occurredAt) || item.occurredAt < 0) problems.push({ field: 'occurredAt', message: `occurredAt must be epoch milliseconds >= 0, got ${item.occurredAt}` });
  const types = new Map(view.features.map((f) => [f.name, f.type]));
  const numeric = item.numericValues ?? {};
  const categorical = item.categoricalValues ?? {};
  for (const [name, value] of Object.entries(numeric)) {
    const field = `numericValues.${name}`;
    const type = types.get(name);
    if (!type) problems.push({ field, message: `view ${view.name} v${view.version} has no feature ${name}` });
    else if (type !== 'NUMERIC') problems.push({ field, message: `feature ${view.name}:${name} is ${type}: send it in categoricalValues` });
    else if (typeof value !== 'number') problems.push({ field, message: `feature ${view.name}:${name} must be a number, got ${typeof value}` });
    else if (!Number.isFinite(value)) problems.push({ field, message: `feature ${view.name}:${name} must be finite, got ${value}` });
  }
  for (const [name, value] of Object.entries(categorical)) {
    const field = `categoricalValues.${name}`;
    const type = types.get(name);
    if (!type) problems.push({ field, message: `view ${view.name} v${view.version} has no feature ${name}` });
    else if (type !== 'CATEGORICAL') problems.push({ field, message: `feature ${view.name}:${name} is ${type}: send it in numericValues` });
    else if (typeof value !== 'string') problems.push({ field, message: `feature ${view.name}:${name} must be a string, got ${typeof value}` });
    if (Object.hasOwn(numeric, name)) problems.push({ field, message: `feature ${name} is given both as a number and as a category` });
  }
  if (!Object.keys(numeric).length && !Object.keys(categorical).length) problems.push({ field: 'numericValues', message: 'no feature value given' });
  return problems;
}
