import type { EntityDefined, EntityKeyType, FeatureValueType, FeatureViewDefined } from '../contracts/index.ts';

/** One feature of a view. */
export interface ViewFeature {
  name: string;
  type: FeatureValueType;
  description: string | null;
}

/** The current definition of an entity, as the log says (docs/features.md). */
export interface EntityDefinition {
  name: string;
  version: number;
  keyName: string;
  keyType: EntityKeyType;
  description: string | null;
  tags: Record<string, string>;
}

/** The current definition of a feature view. */
export interface FeatureViewDefinition {
  name: string;
  version: number;
  entity: string;
  features: ViewFeature[];
  sourceTopic: string;
  eventTimeField: string;
  /** 0: values never expire. */
  ttlSeconds: number;
  description: string | null;
  tags: Record<string, string>;
}

/** The only source the platform materializes today: FeatureValuesLogged records of the features stream. */
export const FEATURES_SOURCE_TOPIC = 'mlops.features.v1';
export const FEATURES_EVENT_TIME_FIELD = 'occurredAt';

/** Entity, view, key and feature names: identifiers, so they can name columns of a training set. */
export const FEATURE_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export interface DefinitionProblem {
  field: string;
  message: string;
}

const identifierProblem = (field: string, value: string): DefinitionProblem[] =>
  FEATURE_IDENTIFIER.test(value) ? [] : [{ field, message: `${field} must be an identifier (letter or _, then letters, digits or _; at most 128), got ${JSON.stringify(value)}` }];

export function entityProblems(e: Pick<EntityDefinition, 'name' | 'keyName'>): DefinitionProblem[] {
  return [...identifierProblem('name', e.name), ...identifierProblem('keyName', e.keyName)];
}

export function viewProblems(v: Pick<FeatureViewDefinition, 'name' | 'entity' | 'features' | 'sourceTopic' | 'eventTimeField' | 'ttlSeconds'>): DefinitionProblem[] {
  const problems = [...identifierProblem('name', v.name), ...identifierProblem('entity', v.entity)];
  if (!v.features.length) problems.push({ field: 'features', message: 'a view needs at least one feature' });
  const seen = new Set<string>();
  v.features.forEach((f, i) => {
    problems.push(...identifierProblem(`features[${i}].name`, f.name));
    if (seen.has(f.name)) problems.push({ field: `features[${i}].name`, message: `feature ${f.name} is listed twice` });
    seen.add(f.name);
  });
  if (v.sourceTopic !== FEATURES_SOURCE_TOPIC) problems.push({ field: 'sourceTopic', message: `only ${FEATURES_SOURCE_TOPIC} is materialized today, got ${JSON.stringify(v.sourceTopic)}` });
  if (v.eventTimeField !== FEATURES_EVENT_TIME_FIELD) problems.push({ field: 'eventTimeField', message: `FeatureValuesLogged carries its event time in ${FEATURES_EVENT_TIME_FIELD}, got ${JSON.stringify(v.eventTimeField)}` });
  if (!Number.isInteger(v.ttlSeconds) || v.ttlSeconds < 0) problems.push({ field: 'ttlSeconds', message: `ttlSeconds must be an integer >= 0 (0: never expires), got ${v.ttlSeconds}` });
  return problems;
}

const sameTags = (a: Record<string, string>, b: Record<string, string>) => {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
};

/** Same content (the version aside): defining it again is a no-op. */
export const sameEntity = (a: Omit<EntityDefinition, 'version'>, b: Omit<EntityDefinition, 'version'>): boolean =>
  a.name === b.name && a.keyName === b.keyName && a.keyType === b.keyType && (a.description ?? null) === (b.description ?? null) && sameTags(a.tags, b.tags);

export const sameView = (a: Omit<FeatureViewDefinition, 'version'>, b: Omit<FeatureViewDefinition, 'version'>): boolean =>
  a.name === b.name &&
  a.entity === b.entity &&
  a.sourceTopic === b.sourceTopic &&
  a.eventTimeField === b.eventTimeField &&
  a.ttlSeconds === b.ttlSeconds &&
  (a.description ?? null) === (b.description ?? null) &&
  sameTags(a.tags, b.tags) &&
  a.features.length === b.features.length &&
  a.features.every((f, i) => f.name === b.features[i]!.name && f.type === b.features[i]!.type && (f.description ?? null) === (b.features[i]!.description ?? null));

/**
 * Changes a new version may not make, because values already logged would
 * change meaning: an entity's key type, a view's entity, an existing feature's
 * type. Adding or removing features, TTL, descriptions and tags may change.
 */
export function entityConflict(previous: EntityDefinition, next: Omit<EntityDefinition, 'version'>): DefinitionProblem | undefined {
  if (previous.keyType !== next.keyType) return { field: 'keyType', message: `entity ${previous.name} has key type ${previous.keyType} since version 1; it cannot become ${next.keyType}` };
  return undefined;
}

export function viewConflict(previous: FeatureViewDefinition, next: Omit<FeatureViewDefinition, 'version'>): DefinitionProblem | undefined {
  if (previous.entity !== next.entity) return { field: 'entity', message: `view ${previous.name} is keyed by entity ${previous.entity}; it cannot move to ${next.entity}` };
  for (const f of next.features) {
    const before = previous.features.find((p) => p.name === f.name);
    if (before && before.type !== f.type) return { field: `features.${f.name}`, message: `feature ${previous.name}:${f.name} is ${before.type}; it cannot become ${f.type}` };
  }
  return undefined;
}

export const entityOf = (v: EntityDefined): EntityDefinition => ({ name: v.name, version: v.version, keyName: v.keyName, keyType: v.keyType, description: v.description ?? null, tags: v.tags ?? {} });

export const viewOf = (v: FeatureViewDefined): FeatureViewDefinition => ({
  name: v.name,
  version: v.version,
  entity: v.entity,
  features: v.features.map((f) => ({ name: f.name, type: f.type, description: f.description ?? null })),
  sourceTopic: v.sourceTopic ?? FEATURES_SOURCE_TOPIC,
  eventTimeField: v.eventTimeField ?? FEATURES_EVENT_TIME_FIELD,
  ttlSeconds: v.ttlSeconds ?? 0,
  description: v.description ?? null,
  tags: v.tags ?? {},
});

/** Every version of every definition, as folded from mlops.feature-definitions.v1 (gateway view, SDK writer). */
export interface FeatureCatalog {
  entities: Map<string, EntityDefinition[]>;
  views: Map<string, FeatureViewDefinition[]>;
}

export const emptyFeatureCatalog = (): FeatureCatalog => ({ entities: new Map(), views: new Map() });

/** Folds one definition event in (versions arrive in order per name: one key, one partition). Lists are replaced, never changed, so a reader's copy stays as read. */
export function foldDefinition(catalog: FeatureCatalog, event: { type: 'EntityDefined'; value: EntityDefined } | { type: 'FeatureViewDefined'; value: FeatureViewDefined }): void {
  if (event.type === 'EntityDefined') {
    const list = catalog.entities.get(event.value.name) ?? [];
    if (!list.some((e) => e.version === event.value.version)) catalog.entities.set(event.value.name, [...list, entityOf(event.value)]);
  } else {
    const list = catalog.views.get(event.value.name) ?? [];
    if (!list.some((e) => e.version === event.value.version)) catalog.views.set(event.value.name, [...list, viewOf(event.value)]);
  }
}

/** Latest version, or the one asked for. */
export const pickVersion = <T extends { version: number }>(list: readonly T[] | undefined, version?: number): T | undefined =>
  !list?.length ? undefined : version === undefined ? list[list.length - 1] : list.find((d) => d.version === version);
