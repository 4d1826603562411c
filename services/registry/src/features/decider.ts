import {
  entityConflict,
  entityOf,
  entityProblems,
  sameEntity,
  sameView,
  viewConflict,
  viewOf,
  viewProblems,
  type Decider,
  type Decision,
  type DefinitionProblem,
  type EntityDefinition,
  type FeatureViewDefinition,
} from '@mlstream/kit';

export type DefinitionCommand = 'DefineEntity' | 'DefineFeatureView';
export type DefinitionEvent = 'EntityDefined' | 'FeatureViewDefined';

/** One aggregate per key: `entity:<name>` holds an entity, `view:<name>` a view. */
export interface DefinitionState {
  entity?: EntityDefinition;
  view?: FeatureViewDefinition;
}

const invalid = (problems: DefinitionProblem[]): Decision<DefinitionEvent> => ({
  rejection: { code: 'INVALID_COMMAND', message: problems.map((p) => p.message).join('; '), details: { field: problems[0]!.field } },
});
const conflict = (p: DefinitionProblem): Decision<DefinitionEvent> => ({ rejection: { code: 'FEATURE_DEFINITION_CONFLICT', message: p.message, details: { field: p.field } } });

/**
 * Feature definitions as a decider (docs/features.md): versions are numbered
 * 1..n per name here, where concurrent writers are serialized by the key's
 * partition, so two gateways can never hand out the same version. Defining the
 * same content again is accepted with no event (idempotent PUT); a change is
 * a new version unless it would change what logged values mean.
 */
export const featureDefinitionsDecider: Decider<DefinitionCommand, DefinitionEvent, DefinitionState> = {
  aggregate: 'feature-definition',
  initialState: {},
  decide(command, state) {
    if (command.type === 'DefineEntity') {
      const { name, keyName, keyType } = command.value;
      const next = { name, keyName, keyType, description: command.value.description ?? null, tags: command.value.tags ?? {} };
      const problems = entityProblems(next);
      if (problems.length) return invalid(problems);
      const previous = state.entity;
      if (previous && sameEntity(previous, next)) return { events: [] };
      const clash = previous && entityConflict(previous, next);
      if (clash) return conflict(clash);
      return { events: [{ type: 'EntityDefined', value: { ...next, version: (previous?.version ?? 0) + 1 } }] };
    }
    const v = command.value;
    const next = {
      name: v.name,
      entity: v.entity,
      features: v.features.map((f) => ({ name: f.name, type: f.type, description: f.description ?? null })),
      sourceTopic: v.sourceTopic ?? 'mlops.features.v1',
      eventTimeField: v.eventTimeField ?? 'occurredAt',
      ttlSeconds: v.ttlSeconds ?? 0,
      description: v.description ?? null,
      tags: v.tags ?? {},
    };
    const problems = viewProblems(next);
    if (problems.length) return invalid(problems);
    const previous = state.view;
    if (previous && sameView(previous, next)) return { events: [] };
    const clash = previous && viewConflict(previous, next);
    if (clash) return conflict(clash);
    return { events: [{ type: 'FeatureViewDefined', value: { ...next, version: (previous?.version ?? 0) + 1 } }] };
  },
  evolve(state, event) {
    return event.type === 'EntityDefined' ? { ...state, entity: entityOf(event.value) } : { ...state, view: viewOf(event.value) };
  },
};
