import type { Decider, Decision, Rejection, SignatureField, Stage } from '@mlstream/kit';
import { canTransition } from './stages.ts';
import { evaluateGate, type GateContext } from './gate.ts';

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
  exists: boolean;
  versions: Record<number, VersionState>;
  latest: number;
  aliases: Record<string, number>;
}

export const initialModelState: ModelState = { exists: false, versions: {}, latest: 0, aliases: {} };

const reject = (code: Rejection['code'], message: string, details?: Record<string, string>): Decision<ModelEvent> => ({ rejection: { code, message, details } });

const productionVersions = (state: ModelState) => Object.values(state.versions).filter((v) => v.stage === 'PRODUCTION');

/**
 * The RegisteredModel aggregate: versions numbered 1..n, stages with a
 * transition table (stages.ts), promotion archiving the previous Production
 * version(s) unless told not to, optional metric gates, unique aliases.
 */
export const modelDecider: Decider<ModelCommand, ModelEvent, ModelState, GateContext> = {
  aggregate: 'model',
  initialState: initialModelState,

  decide(command, state, context) {
    const model = command.value.model;
    if (!model) return reject('INVALID_COMMAND', 'model name must not be empty');
    const reason = command.value.reason ?? null;
    if (command.type === 'RegisterModelVersion') {
      const { runId = null, artifactUri, artifactSha256 = null, signature = [], description = null, tags = {} } = command.value;
      if (!artifactUri) return reject('INVALID_COMMAND', 'artifactUri must not be empty');
      return { events: [{ type: 'ModelVersionRegistered', value: { model, version: state.latest + 1, runId, artifactUri, artifactSha256, signature, description, tags, stage: 'DEVELOPMENT', reason } }] };
    }
    if (!state.exists) return reject('MODEL_NOT_FOUND', `no registered model ${model}`, { model });

    switch (command.type) {
      case 'TransitionStage': {
        const { version, toStage, archivePrevious = true, gate = null } = command.value;
        const current = state.versions[version];
        if (!current) return reject('MODEL_VERSION_NOT_FOUND', `${model} has no version ${version}`, { model, version: String(version) });
        if (!canTransition(current.stage, toStage)) {
          return reject('INVALID_TRANSITION', `${model} version ${version} cannot move from ${current.stage} to ${toStage}`, { from: current.stage, to: toStage });
        }
        let gateResult = null;
        if (gate && toStage === 'PRODUCTION') {
          const production = productionVersions(state).sort((a, b) => b.version - a.version)[0];
          const outcome = evaluateGate(gate, current.runId, production, context);
          if (!outcome.passed) return reject('GATE_FAILED', outcome.message, outcome.details);
          gateResult = outcome.result;
        }
        const archived =
          toStage === 'PRODUCTION' && archivePrevious
            ? productionVersions(state)
                .filter((v) => v.version !== version)
                .map((v) => ({ type: 'StageTransitioned' as const, value: { model, version: v.version, fromStage: v.stage, toStage: 'ARCHIVED' as const, reason: `archived because version ${version} was promoted to PRODUCTION`, gate: null } }))
            : [];
        return { events: [{ type: 'StageTransitioned', value: { model, version, fromStage: current.stage, toStage, reason, gate: gateResult } }, ...archived] };
      }
      case 'SetAlias': {
        const { alias, version } = command.value;
        if (!alias) return reject('INVALID_COMMAND', 'alias must not be empty');
        if (!state.versions[version]) return reject('MODEL_VERSION_NOT_FOUND', `${model} has no version ${version}`, { model, version: String(version) });
        return { events: [{ type: 'AliasSet', value: { model, alias, version, previousVersion: state.aliases[alias] ?? null, reason } }] };
      }
      case 'DeleteAlias': {
        const version = state.aliases[command.value.alias];
        if (version === undefined) return reject('ALIAS_NOT_FOUND', `${model} has no alias ${command.value.alias}`, { model, alias: command.value.alias });
        return { events: [{ type: 'AliasDeleted', value: { model, alias: command.value.alias, version, reason } }] };
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
