import { describe, expect, it } from 'vitest';
import type { Stage } from '@mlstream/kit';
import { spec } from '@mlstream/kit/testing';
import { modelDecider } from './model.ts';
import type { GateContext } from './gate.ts';
import { archivedBy, command, event, moved, registered, transition } from './model.fixtures.ts';

const noMetrics: GateContext = { runMetrics: () => undefined };
const registry = spec(modelDecider, noMetrics);
const register = (reason: string | null = 'nightly') =>
  command('RegisterModelVersion', { runId: 'run-3', artifactUri: 's3://m/3', artifactSha256: 'ab', signature: [{ name: 'age', type: 'numeric' }], description: 'gbm', tags: { t: '1' }, reason });

describe('RegisteredModel decider', () => {
  describe('RegisterModelVersion', () => {
    it('creates the model with version 1, in DEVELOPMENT', () => {
      registry.given([]).when(register()).then([
        event('ModelVersionRegistered', { version: 1, runId: 'run-3', artifactUri: 's3://m/3', artifactSha256: 'ab', signature: [{ name: 'age', type: 'numeric' }], description: 'gbm', tags: { t: '1' }, stage: 'DEVELOPMENT', reason: 'nightly' }),
      ]);
      expect(registry.given([registered(1)]).state).toMatchObject({ exists: true, latest: 1 });
    });
    it('numbers versions 1..n, whatever stage the earlier ones are in', () => {
      registry.given([registered(1), registered(2), moved(2, 'DEVELOPMENT', 'ARCHIVED')]).when(register()).then([
        event('ModelVersionRegistered', { version: 3, runId: 'run-3', artifactUri: 's3://m/3', artifactSha256: 'ab', signature: [{ name: 'age', type: 'numeric' }], description: 'gbm', tags: { t: '1' }, stage: 'DEVELOPMENT', reason: 'nightly' }),
      ]);
    });
    it('rejects an empty artifact uri or model name: INVALID_COMMAND', () => {
      registry.given([]).when(command('RegisterModelVersion', { runId: null, artifactUri: '', artifactSha256: null, signature: [], description: null, tags: {}, reason: null })).thenRejects('INVALID_COMMAND', { field: 'artifactUri' });
      const unnamed = command('RegisterModelVersion', { runId: null, artifactUri: 's3://x', artifactSha256: null, signature: [], description: null, tags: {}, reason: null });
      registry.given([]).when({ ...unnamed, value: { ...unnamed.value, model: '' } } as typeof unnamed).thenRejects('INVALID_COMMAND', { field: 'model' });
    });
  });

  it('rejects every other command on an unknown model: MODEL_NOT_FOUND', () => {
    for (const c of [transition(1, 'STAGING'), command('SetAlias', { alias: 'champion', version: 1, reason: null }), command('DeleteAlias', { alias: 'champion', reason: null })]) {
      registry.given([]).when(c).thenRejects('MODEL_NOT_FOUND', { model: 'churn' });
    }
  });

  it('rejects an unknown version: MODEL_VERSION_NOT_FOUND', () => {
    registry.given([registered(1)]).when(transition(7, 'STAGING')).thenRejects('MODEL_VERSION_NOT_FOUND', { model: 'churn', version: '7' });
    registry.given([registered(1)]).when(command('SetAlias', { alias: 'champion', version: 9, reason: null })).thenRejects('MODEL_VERSION_NOT_FOUND', { version: '9' });
  });

  describe('stage transitions', () => {
    // Written out independently of stages.ts, so a change to the table must change this spec too.
    const allowed: Record<Stage, Stage[]> = {
      DEVELOPMENT: ['STAGING', 'PRODUCTION', 'ARCHIVED'],
      STAGING: ['DEVELOPMENT', 'PRODUCTION', 'ARCHIVED'],
      PRODUCTION: ['STAGING', 'ARCHIVED'],
      ARCHIVED: [],
    };
    const stages: Stage[] = ['DEVELOPMENT', 'STAGING', 'PRODUCTION', 'ARCHIVED'];
    const at = (stage: Stage) => (stage === 'DEVELOPMENT' ? [registered(1)] : [registered(1), moved(1, 'DEVELOPMENT', stage)]);

    for (const from of stages) {
      for (const to of stages) {
        if (allowed[from].includes(to)) {
          it(`allows ${from} → ${to}, with the command's reason`, () => {
            registry.given(at(from)).when(transition(1, to)).then([moved(1, from, to, 'release')]);
            expect(registry.given([...at(from), moved(1, from, to)]).state.versions[1]?.stage).toBe(to);
          });
        } else {
          it(`rejects ${from} → ${to}: INVALID_TRANSITION`, () => {
            registry.given(at(from)).when(transition(1, to)).thenRejects('INVALID_TRANSITION', { from, to });
          });
        }
      }
    }
  });

  describe('promotion to PRODUCTION', () => {
    const v1InProduction = [registered(1), moved(1, 'DEVELOPMENT', 'PRODUCTION'), registered(2), moved(2, 'DEVELOPMENT', 'STAGING')];
    it('archives the previous Production version, naming the promotion as the reason', () => {
      registry.given(v1InProduction).when(transition(2, 'PRODUCTION')).then([moved(2, 'STAGING', 'PRODUCTION', 'release'), archivedBy(1, 2)]);
    });
    it('archives every current Production version when several are serving', () => {
      const two = [registered(1), moved(1, 'DEVELOPMENT', 'PRODUCTION'), registered(2), moved(2, 'DEVELOPMENT', 'PRODUCTION'), registered(3)];
      registry.given(two).when(transition(3, 'PRODUCTION')).then([moved(3, 'DEVELOPMENT', 'PRODUCTION', 'release'), archivedBy(1, 3), archivedBy(2, 3)]);
    });
    it('keeps the previous Production version when archivePrevious is false', () => {
      registry.given(v1InProduction).when(transition(2, 'PRODUCTION', { archivePrevious: false })).then([moved(2, 'STAGING', 'PRODUCTION', 'release')]);
    });
    it('archives nothing else on other moves', () => {
      registry.given(v1InProduction).when(transition(2, 'ARCHIVED')).then([moved(2, 'STAGING', 'ARCHIVED', 'release')]);
      registry.given(v1InProduction).when(transition(1, 'STAGING')).then([moved(1, 'PRODUCTION', 'STAGING', 'release')]);
    });
  });

  describe('aliases are unique per model', () => {
    const champion1 = event('AliasSet', { alias: 'champion', version: 1, previousVersion: null, reason: null });
    it('sets an alias', () => {
      registry.given([registered(1), registered(2)]).when(command('SetAlias', { alias: 'champion', version: 1, reason: 'best' })).then([event('AliasSet', { alias: 'champion', version: 1, previousVersion: null, reason: 'best' })]);
    });
    it('moves an alias, recording where it pointed before', () => {
      registry.given([registered(1), registered(2), champion1]).when(command('SetAlias', { alias: 'champion', version: 2, reason: null })).then([event('AliasSet', { alias: 'champion', version: 2, previousVersion: 1, reason: null })]);
      const state = registry.given([registered(1), registered(2), champion1, event('AliasSet', { alias: 'champion', version: 2, previousVersion: 1, reason: null })]).state;
      expect(state.aliases).toEqual({ champion: 2 });
    });
    it('accepts pointing an alias where it already points, with no event', () => {
      registry.given([registered(1), champion1]).when(command('SetAlias', { alias: 'champion', version: 1, reason: null })).then([]);
    });
    it('deletes an alias, recording the version it pointed at', () => {
      registry.given([registered(1), champion1]).when(command('DeleteAlias', { alias: 'champion', reason: 'retired' })).then([event('AliasDeleted', { alias: 'champion', version: 1, reason: 'retired' })]);
      expect(registry.given([registered(1), champion1, event('AliasDeleted', { alias: 'champion', version: 1, reason: null })]).state.aliases).toEqual({});
    });
    it('rejects deleting an unknown alias: ALIAS_NOT_FOUND', () => {
      registry.given([registered(1)]).when(command('DeleteAlias', { alias: 'nope', reason: null })).thenRejects('ALIAS_NOT_FOUND', { model: 'churn', alias: 'nope' });
    });
    it("rejects an empty alias and MLflow's reserved forms: INVALID_COMMAND", () => {
      for (const alias of ['', 'latest', 'Latest', 'v1', 'V12']) {
        registry.given([registered(1)]).when(command('SetAlias', { alias, version: 1, reason: null })).thenRejects('INVALID_COMMAND', { field: 'alias' });
      }
      registry.given([registered(1)]).when(command('SetAlias', { alias: 'v1-candidate', version: 1, reason: null })).then([event('AliasSet', { alias: 'v1-candidate', version: 1, previousVersion: null, reason: null })]);
    });
  });
});
