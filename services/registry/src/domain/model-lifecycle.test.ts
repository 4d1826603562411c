import { describe, expect, it } from 'vitest';
import { spec } from '@mlstream/kit/testing';
import { modelDecider } from './model.ts';
import type { GateContext } from './gate.ts';
import { command, event, registered } from './model.fixtures.ts';

const registry = spec(modelDecider, { runMetrics: () => undefined } satisfies GateContext);
const created = event('RegisteredModelCreated', { description: 'churn model', tags: { team: 'a' }, reason: null });

describe('RegisteredModel lifecycle (MLflow create / update / delete / tags)', () => {
  it('creates a model without versions; a second create is MODEL_ALREADY_EXISTS', () => {
    registry.given([]).when(command('CreateRegisteredModel', { description: 'churn model', tags: { team: 'a' }, reason: null })).then([created]);
    expect(registry.given([created]).state).toMatchObject({ exists: true, latest: 0, tags: { team: 'a' } });
    registry.given([created]).when(command('CreateRegisteredModel', { description: null, tags: {}, reason: null })).thenRejects('MODEL_ALREADY_EXISTS', { model: 'churn' });
    registry.given([registered(1)]).when(command('CreateRegisteredModel', { description: null, tags: {}, reason: null })).thenRejects('MODEL_ALREADY_EXISTS');
  });

  it('updates descriptions of the model and of a version', () => {
    registry.given([created]).when(command('UpdateRegisteredModel', { description: 'v2', reason: null })).then([event('RegisteredModelUpdated', { description: 'v2', reason: null })]);
    registry.given([registered(1)]).when(command('UpdateModelVersion', { version: 1, description: 'best', reason: null })).then([event('ModelVersionUpdated', { version: 1, description: 'best', reason: null })]);
    registry.given([registered(1)]).when(command('UpdateModelVersion', { version: 2, description: 'x', reason: null })).thenRejects('MODEL_VERSION_NOT_FOUND', { version: '2' });
  });

  it('sets and removes tags of the model (version null) and of a version', () => {
    registry.given([created]).when(command('SetModelTags', { version: null, tags: { k: 'v' }, removed: [], reason: null })).then([event('ModelTagsSet', { version: null, tags: { k: 'v' }, removed: [], reason: null })]);
    const versionTagged = event('ModelTagsSet', { version: 1, tags: { k: 'v' }, removed: [], reason: null });
    registry.given([registered(1)]).when(command('SetModelTags', { version: 1, tags: { k: 'v' }, removed: [], reason: null })).then([versionTagged]);
    expect(registry.given([registered(1), versionTagged]).state.versions[1]!.tags).toMatchObject({ k: 'v' });
    registry.given([registered(1)]).when(command('SetModelTags', { version: 1, tags: {}, removed: ['nope'], reason: null })).thenRejects('TAG_NOT_FOUND', { key: 'nope' });
    registry.given([registered(1)]).when(command('SetModelTags', { version: 9, tags: { k: 'v' }, removed: [], reason: null })).thenRejects('MODEL_VERSION_NOT_FOUND');
  });

  it('deletes a version together with the aliases on it, alias deletions first', () => {
    const aliased = event('AliasSet', { alias: 'champion', version: 1, previousVersion: null, reason: null });
    registry.given([registered(1), registered(2), aliased]).when(command('DeleteModelVersion', { version: 1, reason: 'bad' })).then([
      event('AliasDeleted', { alias: 'champion', version: 1, reason: 'version 1 was deleted' }),
      event('ModelVersionDeleted', { version: 1, reason: 'bad' }),
    ]);
  });

  it('deletes the model; re-registering continues the version numbers (never reused)', () => {
    const gone = event('RegisteredModelDeleted', { reason: null });
    registry.given([registered(1), registered(2)]).when(command('DeleteRegisteredModel', { reason: null })).then([gone]);
    const state = registry.given([registered(1), registered(2), gone]).state;
    expect(state).toMatchObject({ exists: false, versions: {}, latest: 2 });
    registry.given([registered(1), registered(2), gone]).when(command('SetAlias', { alias: 'champion', version: 1, reason: null })).thenRejects('MODEL_NOT_FOUND');
    const again = registry.given([registered(1), registered(2), gone]).when(command('RegisterModelVersion', { runId: null, artifactUri: 's3://x', artifactSha256: null, signature: [], description: null, tags: {}, reason: null })).then([
      event('ModelVersionRegistered', { version: 3, runId: null, artifactUri: 's3://x', artifactSha256: null, signature: [], description: null, tags: {}, stage: 'DEVELOPMENT', reason: null }),
    ]);
    expect(again).toBeDefined();
  });
});
