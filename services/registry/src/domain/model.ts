import type { Decider, Decision, Envelope, EventDraft, Rejection, SignatureField, Stage } from '@mlstream/kit';
import { canTransition } from './stages.ts';
import { evaluateGate, gateProblem, type GateContext } from './gate.ts';
import { evaluateValidatedDataGate } from './validated-data.ts';

export type ModelCommand =
  | 'RegisterModelVersion'
  | 'TransitionStage'
  | 'SetAlias'
  | 'DeleteAlias'
  | 'CreateRegisteredModel'
  | 'UpdateRegisteredModel'
  | 'DeleteRegisteredModel'
  | 'SetModelTags'
  | 'UpdateModelVersion'
  | 'DeleteModelVersion';
export type ModelEvent =
  | 'ModelVersionRegistered'
  | 'StageTransitioned'
  | 'AliasSet'
  | 'AliasDeleted'
  | 'RegisteredModelCreated'
  | 'RegisteredModelUpdated'
  | 'RegisteredModelDeleted'
  | 'ModelTagsSet'
  | 'ModelVersionUpdated'
  | 'ModelVersionDeleted';

export interface VersionState {
  version: number;
  stage: Stage;
  runId: string | null;
  artifactUri: string;
  signature: SignatureField[];
  tags: Record<string, string>;
}

export interface ModelState {
  /** False until the first ModelVersionRegistered: registering is what creates a model. */
  exists: boolean;
  versions: Record<number, VersionState>;
  /** Highest version number assigned so far (0: none). */
  latest: number;
  /** Alias name → version. */
  aliases: Record<string, number>;
  /** Tags of the registered model itself. */
  tags: Record<string, string>;
}

export const initialModelState: ModelState = { exists: false, versions: {}, latest: 0, aliases: {}, tags: {} };

const reject = (code: Rejection['code'], message: string, details?: Record<string, string>): Decision<ModelEvent> => ({ rejection: { code, message, details } });

/** Versions currently in PRODUCTION, lowest number first. */
export const productionVersions = (state: ModelState): VersionState[] =>
  Object.values(state.versions)
    .filter((v) => v.stage === 'PRODUCTION')
    .sort((a, b) => a.version - b.version);

/** MLflow reserves these alias forms for `models:/name/latest` and `models:/name/v3`-style references. */
const reservedAlias = (alias: string) => alias.toLowerCase() === 'latest' || /^v\d+$/i.test(alias);

function decideTransition(command: Envelope<'TransitionStage'>, state: ModelState, context: GateContext): Decision<ModelEvent> {
  const { model, version, toStage, archivePrevious = true, gate = null } = command.value;
  const reason = command.value.reason ?? null;
  const current = state.versions[version];
  if (!current) return reject('MODEL_VERSION_NOT_FOUND', `${model} has no version ${version}`, { model, version: String(version) });
  if (!canTransition(current.stage, toStage)) {
    return reject('INVALID_TRANSITION', `${model} version ${version} cannot move from ${current.stage} to ${toStage}`, { model, version: String(version), from: current.stage, to: toStage });
  }
  const production = productionVersions(state);
  let gateResult = null;
  if (gate) {
    // A gate that would be ignored gives false assurance, so it is refused.
    if (toStage !== 'PRODUCTION') return reject('INVALID_COMMAND', `a promotion gate applies only to a transition to PRODUCTION, not ${toStage}`, { field: 'gate', to: toStage });
    const problem = gateProblem(gate);
    if (problem) return { rejection: problem };
    const outcome = evaluateGate(gate, current, production, context);
    if (!outcome.passed) return { rejection: outcome.rejection };
    gateResult = outcome.result;
  }
  const { requireValidatedData = false, overrideReason = null } = command.value;
  let dataValidation = null;
  if (overrideReason !== null && !requireValidatedData) return reject('INVALID_COMMAND', 'overrideReason overrides the validatedData gate: set requireValidatedData too', { field: 'overrideReason' });
  if (requireValidatedData) {
    if (toStage !== 'PRODUCTION') return reject('INVALID_COMMAND', `the validatedData gate applies only to a transition to PRODUCTION, not ${toStage}`, { field: 'requireValidatedData', to: toStage });
    const outcome = evaluateValidatedDataGate(current, context, overrideReason);
    if (!outcome.passed) return { rejection: outcome.rejection };
    dataValidation = outcome.result;
  }
  const promoted: EventDraft<ModelEvent> = {
    type: 'StageTransitioned',
    value: { model, version, fromStage: current.stage, toStage, reason, gate: gateResult, ...(dataValidation ? { dataValidation } : {}) },
  };
  if (toStage !== 'PRODUCTION' || !archivePrevious) return { events: [promoted] };
  // The promotion comes first in the log: the archives are its consequence and name it as their reason.
  const archived = production.map(
    (p): EventDraft<ModelEvent> => ({
      type: 'StageTransitioned',
      value: { model, version: p.version, fromStage: 'PRODUCTION', toStage: 'ARCHIVED', reason: `archived because version ${version} was promoted to PRODUCTION`, gate: null },
    }),
  );
  return { events: [promoted, ...archived] };
}

/**
 * The RegisteredModel aggregate, keyed by model name: versions numbered 1..n,
 * stage moves by the table in stages.ts, promotion archiving the previous
 * Production version(s) unless told not to, optional metric gates (gate.ts),
 * aliases unique per model. Every event carries the command's reason; the
 * runtime stamps the actor.
 */
export const modelDecider: Decider<ModelCommand, ModelEvent, ModelState, GateContext> = {
  aggregate: 'model',
  initialState: initialModelState,

  decide(command, state, context) {
    const model = command.value.model;
    if (!model) return reject('INVALID_COMMAND', 'model name must not be empty', { field: 'model' });
    const reason = command.value.reason ?? null;
    if (command.type === 'RegisterModelVersion') {
      const { runId = null, artifactUri, artifactSha256 = null, signature = [], description = null, tags = {} } = command.value;
      if (!artifactUri) return reject('INVALID_COMMAND', 'artifactUri must not be empty', { field: 'artifactUri' });
      // Numbers are never reused, not even after the model was deleted: a version number names one artifact forever.
      const version = state.latest + 1;
      return { events: [{ type: 'ModelVersionRegistered', value: { model, version, runId, artifactUri, artifactSha256, signature, description, tags, stage: 'DEVELOPMENT', reason } }] };
    }
    if (command.type === 'CreateRegisteredModel') {
      if (state.exists) return reject('MODEL_ALREADY_EXISTS', `registered model ${model} already exists`, { model });
      const { description = null, tags = {} } = command.value;
      return { events: [{ type: 'RegisteredModelCreated', value: { model, description, tags, reason } }] };
    }
    if (!state.exists) return reject('MODEL_NOT_FOUND', `no registered model ${model}`, { model });

    switch (command.type) {
      case 'UpdateRegisteredModel':
        return { events: [{ type: 'RegisteredModelUpdated', value: { model, description: command.value.description ?? null, reason } }] };
      case 'DeleteRegisteredModel':
        return { events: [{ type: 'RegisteredModelDeleted', value: { model, reason } }] };
      case 'SetModelTags': {
        const { version = null, tags = {}, removed = [] } = command.value;
        if (!Object.keys(tags).length && !removed.length) return reject('INVALID_COMMAND', 'set at least one tag or remove one', { field: 'tags' });
        const target = version === null ? state.tags : state.versions[version]?.tags;
        if (!target) return reject('MODEL_VERSION_NOT_FOUND', `${model} has no version ${version}`, { model, version: String(version) });
        const missing = removed.find((key) => target[key] === undefined);
        if (missing !== undefined) return reject('TAG_NOT_FOUND', `${version === null ? model : `${model} version ${version}`} has no tag ${JSON.stringify(missing)}`, { model, key: missing });
        return { events: [{ type: 'ModelTagsSet', value: { model, version, tags, removed, reason } }] };
      }
      case 'UpdateModelVersion': {
        const { version, description = null } = command.value;
        if (!state.versions[version]) return reject('MODEL_VERSION_NOT_FOUND', `${model} has no version ${version}`, { model, version: String(version) });
        return { events: [{ type: 'ModelVersionUpdated', value: { model, version, description, reason } }] };
      }
      case 'DeleteModelVersion': {
        const { version } = command.value;
        if (!state.versions[version]) return reject('MODEL_VERSION_NOT_FOUND', `${model} has no version ${version}`, { model, version: String(version) });
        // Aliases never point at nothing: the ones on this version go first, each with its reason.
        const dropped = Object.entries(state.aliases)
          .filter(([, v]) => v === version)
          .map(([alias]): EventDraft<ModelEvent> => ({ type: 'AliasDeleted', value: { model, alias, version, reason: `version ${version} was deleted` } }));
        return { events: [...dropped, { type: 'ModelVersionDeleted', value: { model, version, reason } }] };
      }
      case 'TransitionStage':
        return decideTransition(command, state, context);
      case 'SetAlias': {
        const { alias, version } = command.value;
        if (!alias || reservedAlias(alias)) return reject('INVALID_COMMAND', `alias ${JSON.stringify(alias)} is empty or reserved ("latest" and v<number> are)`, { field: 'alias', alias });
        if (!state.versions[version]) return reject('MODEL_VERSION_NOT_FOUND', `${model} has no version ${version}`, { model, version: String(version) });
        const previousVersion = state.aliases[alias] ?? null;
        // Pointing an alias where it already points changes nothing, like a repeated param.
        if (previousVersion === version) return { events: [] };
        return { events: [{ type: 'AliasSet', value: { model, alias, version, previousVersion, reason } }] };
      }
      case 'DeleteAlias': {
        const { alias } = command.value;
        const version = state.aliases[alias];
        if (version === undefined) return reject('ALIAS_NOT_FOUND', `${model} has no alias ${alias}`, { model, alias });
        return { events: [{ type: 'AliasDeleted', value: { model, alias, version, reason } }] };
      }
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ModelVersionRegistered': {
        const { version, stage, runId = null, artifactUri, signature = [], tags = {} } = event.value;
        return { ...state, exists: true, latest: Math.max(state.latest, version), versions: { ...state.versions, [version]: { version, stage, runId, artifactUri, signature, tags: { ...tags } } } };
      }
      case 'RegisteredModelCreated':
        return { ...state, exists: true, tags: { ...(event.value.tags ?? {}) } };
      case 'RegisteredModelUpdated':
      case 'ModelVersionUpdated':
        return state;
      case 'RegisteredModelDeleted':
        // The counter survives, so a re-created model never hands out a number twice.
        return { ...initialModelState, latest: state.latest };
      case 'ModelTagsSet': {
        const { version = null, tags = {}, removed = [] } = event.value;
        const apply = (before: Record<string, string>) => {
          const after = { ...before, ...tags };
          for (const key of removed) delete after[key];
          return after;
        };
        if (version === null) return { ...state, tags: apply(state.tags) };
        const current = state.versions[version];
        return current ? { ...state, versions: { ...state.versions, [version]: { ...current, tags: apply(current.tags) } } } : state;
      }
      case 'ModelVersionDeleted': {
        const { [event.value.version]: _removed, ...versions } = state.versions;
        return { ...state, versions };
      }
      case 'StageTransitioned': {
        const current = state.versions[event.value.version];
        if (!current) return state;
        return { ...state, versions: { ...state.versions, [event.value.version]: { ...current, stage: event.value.toStage } } };
      }
      case 'AliasSet':
        return { ...state, aliases: { ...state.aliases, [event.value.alias]: event.value.version } };
      case 'AliasDeleted': {
        const { [event.value.alias]: _removed, ...aliases } = state.aliases;
        return { ...state, aliases };
      }
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  },
};
