import type { Decider, Decision, Envelope, EventDraft, Rejection, SignatureField, Stage } from '@mlstream/kit';
import { canTransition } from './stages.ts';
import { evaluateGate, gateProblem, type GateContext } from './gate.ts';

export type ModelCommand = 'RegisterModelVersion' | 'TransitionStage' | 'SetAlias' | 'DeleteAlias';
export type ModelEvent = 'ModelVersionRegistered' | 'StageTransitioned' | 'AliasSet' | 'AliasDeleted';

export interface VersionState {
  version: number;
  stage: Stage;
  runId: string | null;
  artifactUri: string;
  signature: SignatureField[];
}

export interface ModelState {
  /** False until the first ModelVersionRegistered: registering is what creates a model. */
  exists: boolean;
  versions: Record<number, VersionState>;
  /** Highest version number assigned so far (0: none). */
  latest: number;
  /** Alias name → version. */
  aliases: Record<string, number>;
}

export const initialModelState: ModelState = { exists: false, versions: {}, latest: 0, aliases: {} };

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
  const promoted: EventDraft<ModelEvent> = { type: 'StageTransitioned', value: { model, version, fromStage: current.stage, toStage, reason, gate: gateResult } };
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
      const version = state.latest + 1;
      return { events: [{ type: 'ModelVersionRegistered', value: { model, version, runId, artifactUri, artifactSha256, signature, description, tags, stage: 'DEVELOPMENT', reason } }] };
    }
    if (!state.exists) return reject('MODEL_NOT_FOUND', `no registered model ${model}`, { model });

    switch (command.type) {
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
        const { version, stage, runId = null, artifactUri, signature = [] } = event.value;
        return { ...state, exists: true, latest: Math.max(state.latest, version), versions: { ...state.versions, [version]: { version, stage, runId, artifactUri, signature } } };
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
