import { describe, expect, it } from 'vitest';
import { spec, stamped, type Envelope, type RecordTypes } from '@mlstream/kit';
import { modelDecider, type ModelCommand, type ModelEvent } from './model.ts';
import type { GateContext } from './gate.ts';

const cmd = { eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'ci', expectedVersion: null, model: 'churn' };
const command = <K extends ModelCommand>(type: K, value: Omit<RecordTypes[K], keyof typeof cmd>): Envelope<ModelCommand> => ({ type, value: { ...cmd, ...value } }) as unknown as Envelope<ModelCommand>;
const registered = (version: number, runId: string | null = `run-${version}`) =>
  stamped<ModelEvent>({ type: 'ModelVersionRegistered', value: { model: 'churn', version, runId, artifactUri: `s3://m/${version}`, artifactSha256: null, signature: [], description: null, tags: {}, stage: 'DEVELOPMENT', reason: null } }, version, `reg-${version}`);
const moved = (version: number, fromStage: RecordTypes['StageTransitioned']['fromStage'], toStage: RecordTypes['StageTransitioned']['toStage'], seq: number) =>
  stamped<ModelEvent>({ type: 'StageTransitioned', value: { model: 'churn', version, fromStage, toStage, reason: null, gate: null } }, seq, `mv-${seq}`);
const metrics: Record<string, Record<string, number>> = { 'run-1': { auc: 0.8 }, 'run-2': { auc: 0.85 }, 'run-3': { auc: 0.75 } };
const context: GateContext = { runMetrics: (runId) => metrics[runId] };
const registry = spec(modelDecider, context);
const transition = (version: number, toStage: RecordTypes['TransitionStage']['toStage'], extra: Partial<RecordTypes['TransitionStage']> = {}) =>
  command('TransitionStage', { version, toStage, archivePrevious: true, gate: null, reason: 'release', ...extra });

describe('RegisteredModel decider', () => {
  it('numbers versions 1..n and starts them in DEVELOPMENT', () => {
    const register = command('RegisterModelVersion', { runId: 'run-3', artifactUri: 's3://m/3', artifactSha256: 'ab', signature: [{ name: 'age', type: 'numeric' }], description: null, tags: {}, reason: 'nightly' });
    registry.given([registered(1), registered(2)]).when(register).then([
      { type: 'ModelVersionRegistered', value: { model: 'churn', version: 3, runId: 'run-3', artifactUri: 's3://m/3', artifactSha256: 'ab', signature: [{ name: 'age', type: 'numeric' }], description: null, tags: {}, stage: 'DEVELOPMENT', reason: 'nightly' } },
    ]);
    registry.given([]).when(command('RegisterModelVersion', { runId: null, artifactUri: '', artifactSha256: null, signature: [], description: null, tags: {}, reason: null })).thenRejects('INVALID_COMMAND');
  });

  it('rejects commands on an unknown model or version', () => {
    registry.given([]).when(transition(1, 'STAGING')).thenRejects('MODEL_NOT_FOUND', { model: 'churn' });
    registry.given([registered(1)]).when(transition(7, 'STAGING')).thenRejects('MODEL_VERSION_NOT_FOUND', { version: '7' });
    registry.given([registered(1)]).when(command('SetAlias', { alias: 'champion', version: 9, reason: null })).thenRejects('MODEL_VERSION_NOT_FOUND');
  });

  describe('stages', () => {
    it('moves DEVELOPMENT → STAGING → PRODUCTION with reason', () => {
      registry.given([registered(1)]).when(transition(1, 'STAGING')).then([{ type: 'StageTransitioned', value: { model: 'churn', version: 1, fromStage: 'DEVELOPMENT', toStage: 'STAGING', reason: 'release', gate: null } }]);
      registry.given([registered(1), moved(1, 'DEVELOPMENT', 'STAGING', 2)]).when(transition(1, 'PRODUCTION')).then([{ type: 'StageTransitioned', value: { model: 'churn', version: 1, fromStage: 'STAGING', toStage: 'PRODUCTION', reason: 'release', gate: null } }]);
    });
    it('archives the previous Production version on promotion', () => {
      registry.given([registered(1), moved(1, 'DEVELOPMENT', 'PRODUCTION', 2), registered(2)]).when(transition(2, 'PRODUCTION')).then([
        { type: 'StageTransitioned', value: { model: 'churn', version: 2, fromStage: 'DEVELOPMENT', toStage: 'PRODUCTION', reason: 'release', gate: null } },
        { type: 'StageTransitioned', value: { model: 'churn', version: 1, fromStage: 'PRODUCTION', toStage: 'ARCHIVED', reason: 'archived because version 2 was promoted to PRODUCTION', gate: null } },
      ]);
    });
    it('keeps the previous Production version when archivePrevious is false', () => {
      registry.given([registered(1), moved(1, 'DEVELOPMENT', 'PRODUCTION', 2), registered(2)]).when(transition(2, 'PRODUCTION', { archivePrevious: false })).then([
        { type: 'StageTransitioned', value: { model: 'churn', version: 2, fromStage: 'DEVELOPMENT', toStage: 'PRODUCTION', reason: 'release', gate: null } },
      ]);
    });
    it('rejects the same stage, leaving ARCHIVED, and PRODUCTION → DEVELOPMENT: INVALID_TRANSITION', () => {
      registry.given([registered(1)]).when(transition(1, 'DEVELOPMENT')).thenRejects('INVALID_TRANSITION', { from: 'DEVELOPMENT', to: 'DEVELOPMENT' });
      registry.given([registered(1), moved(1, 'DEVELOPMENT', 'ARCHIVED', 2)]).when(transition(1, 'STAGING')).thenRejects('INVALID_TRANSITION', { from: 'ARCHIVED' });
      registry.given([registered(1), moved(1, 'DEVELOPMENT', 'PRODUCTION', 2)]).when(transition(1, 'DEVELOPMENT')).thenRejects('INVALID_TRANSITION');
    });
  });

  describe('promotion gates', () => {
    it('passes a threshold gate and records the evaluation', () => {
      const gate = { metric: 'auc', comparator: 'GTE' as const, threshold: 0.8, beatProduction: false };
      registry.given([registered(1)]).when(transition(1, 'PRODUCTION', { gate })).then([
        { type: 'StageTransitioned', value: { model: 'churn', version: 1, fromStage: 'DEVELOPMENT', toStage: 'PRODUCTION', reason: 'release', gate: { metric: 'auc', comparator: 'GTE', threshold: 0.8, candidateValue: 0.8, productionVersion: null, productionValue: null, passed: true } } },
      ]);
    });
    it('rejects a failing threshold with the numbers: GATE_FAILED', () => {
      const gate = { metric: 'auc', comparator: 'GT' as const, threshold: 0.9, beatProduction: false };
      registry.given([registered(1)]).when(transition(1, 'PRODUCTION', { gate })).thenRejects('GATE_FAILED', { metric: 'auc', candidateValue: '0.8', threshold: '0.9' });
    });
    it('compares with the current Production version when beatProduction is set', () => {
      const gate = { metric: 'auc', comparator: 'GT' as const, threshold: null, beatProduction: true };
      const history = [registered(1), moved(1, 'DEVELOPMENT', 'PRODUCTION', 2), registered(2), registered(3)];
      registry.given(history).when(transition(3, 'PRODUCTION', { gate })).thenRejects('GATE_FAILED', { candidateValue: '0.75', productionVersion: '1', productionValue: '0.8' });
      const decision = registry.given(history).when(transition(2, 'PRODUCTION', { gate })).then([
        { type: 'StageTransitioned', value: { model: 'churn', version: 2, fromStage: 'DEVELOPMENT', toStage: 'PRODUCTION', reason: 'release', gate: { metric: 'auc', comparator: 'GT', threshold: null, candidateValue: 0.85, productionVersion: 1, productionValue: 0.8, passed: true } } },
        { type: 'StageTransitioned', value: { model: 'churn', version: 1, fromStage: 'PRODUCTION', toStage: 'ARCHIVED', reason: 'archived because version 2 was promoted to PRODUCTION', gate: null } },
      ]);
      expect('events' in decision).toBe(true);
    });
    it('fails when the metric is unknown or the version has no run', () => {
      const gate = { metric: 'f1', comparator: 'GT' as const, threshold: 0.5, beatProduction: false };
      registry.given([registered(1)]).when(transition(1, 'PRODUCTION', { gate })).thenRejects('GATE_FAILED', { runId: 'run-1' });
      registry.given([registered(1, null)]).when(transition(1, 'PRODUCTION', { gate })).thenRejects('GATE_FAILED');
    });
  });

  describe('aliases are unique per model', () => {
    it('sets, moves and deletes an alias', () => {
      const set = stamped<ModelEvent>({ type: 'AliasSet', value: { model: 'churn', alias: 'champion', version: 1, previousVersion: null, reason: null } }, 3);
      registry.given([registered(1), registered(2)]).when(command('SetAlias', { alias: 'champion', version: 1, reason: 'best' })).then([{ type: 'AliasSet', value: { model: 'churn', alias: 'champion', version: 1, previousVersion: null, reason: 'best' } }]);
      registry.given([registered(1), registered(2), set]).when(command('SetAlias', { alias: 'champion', version: 2, reason: null })).then([{ type: 'AliasSet', value: { model: 'churn', alias: 'champion', version: 2, previousVersion: 1, reason: null } }]);
      registry.given([registered(1), registered(2), set]).when(command('DeleteAlias', { alias: 'champion', reason: 'retired' })).then([{ type: 'AliasDeleted', value: { model: 'churn', alias: 'champion', version: 1, reason: 'retired' } }]);
    });
    it('rejects deleting an unknown alias: ALIAS_NOT_FOUND', () => {
      registry.given([registered(1)]).when(command('DeleteAlias', { alias: 'nope', reason: null })).thenRejects('ALIAS_NOT_FOUND', { alias: 'nope' });
    });
  });
});
