import { describe, expect, it } from 'vitest';
import { experimentIdOf, type Envelope, type EventDraft, type RecordTypes } from '@mlstream/kit';
import { spec } from '@mlstream/kit/testing';
import { experimentDecider, type ExperimentCommand, type ExperimentEvent } from './experiment.ts';

const id = experimentIdOf('fraud');
const cmd = { eventId: 'e', occurredAt: 1, commandId: 'c', actor: 'alice', expectedVersion: null };
const command = <K extends ExperimentCommand>(type: K, value: Omit<RecordTypes[K], keyof typeof cmd>): Envelope<ExperimentCommand> => ({ type, value: { ...cmd, ...value } }) as unknown as Envelope<ExperimentCommand>;
const event = <K extends ExperimentEvent>(type: K, value: Omit<RecordTypes[K], 'eventId' | 'occurredAt' | 'commandId' | 'actor' | 'aggregateVersion'>): EventDraft<ExperimentEvent> =>
  ({ type, value }) as unknown as EventDraft<ExperimentEvent>;
const experiments = spec(experimentDecider);
const created = event('ExperimentCreated', { experimentId: id, name: 'fraud', artifactLocation: `mlflow-artifacts:/${id}`, tags: {} });

describe('Experiment decider', () => {
  it('creates an experiment under the id derived from its name, with the proxied artifact location by default', () => {
    experiments.given([]).when(command('CreateExperiment', { experimentId: id, name: 'fraud', artifactLocation: null, tags: {} })).then([created]);
  });
  it('rejects an id that is not derived from the name: INVALID_COMMAND', () => {
    experiments.given([]).when(command('CreateExperiment', { experimentId: '42', name: 'fraud', artifactLocation: null, tags: {} })).thenRejects('INVALID_COMMAND', { expected: id });
  });
  it('rejects a second creation, and says when the name is taken by a deleted experiment: EXPERIMENT_ALREADY_EXISTS', () => {
    experiments.given([created]).when(command('CreateExperiment', { experimentId: id, name: 'fraud', artifactLocation: null, tags: {} })).thenRejects('EXPERIMENT_ALREADY_EXISTS', { deleted: 'false' });
    experiments.given([created, event('ExperimentDeleted', { experimentId: id })]).when(command('CreateExperiment', { experimentId: id, name: 'fraud', artifactLocation: null, tags: {} })).thenRejects('EXPERIMENT_ALREADY_EXISTS', { deleted: 'true' });
  });
  it('knows the default experiment 0 without any event', () => {
    experiments.given([]).when(command('RenameExperiment', { experimentId: '0', name: 'Default 2' })).then([event('ExperimentRenamed', { experimentId: '0', name: 'Default 2', previousName: 'Default' })]);
    experiments.given([]).when(command('DeleteExperiment', { experimentId: '0' })).thenRejects('INVALID_COMMAND');
    experiments.given([]).when(command('CreateExperiment', { experimentId: '0', name: 'Default', artifactLocation: null, tags: {} })).thenRejects('EXPERIMENT_ALREADY_EXISTS');
  });
  it('renames; the same name again records nothing; a deleted experiment cannot be renamed', () => {
    experiments.given([created]).when(command('RenameExperiment', { experimentId: id, name: 'fraud-v2' })).then([event('ExperimentRenamed', { experimentId: id, name: 'fraud-v2', previousName: 'fraud' })]);
    experiments.given([created]).when(command('RenameExperiment', { experimentId: id, name: 'fraud' })).then([]);
    experiments.given([created, event('ExperimentDeleted', { experimentId: id })]).when(command('RenameExperiment', { experimentId: id, name: 'x' })).thenRejects('EXPERIMENT_DELETED');
  });
  it('deletes and restores; repeats record nothing', () => {
    experiments.given([created]).when(command('DeleteExperiment', { experimentId: id })).then([event('ExperimentDeleted', { experimentId: id })]);
    experiments.given([created, event('ExperimentDeleted', { experimentId: id })]).when(command('DeleteExperiment', { experimentId: id })).then([]);
    experiments.given([created, event('ExperimentDeleted', { experimentId: id })]).when(command('RestoreExperiment', { experimentId: id })).then([event('ExperimentRestored', { experimentId: id })]);
    experiments.given([created]).when(command('RestoreExperiment', { experimentId: id })).then([]);
  });
  it('sets and removes tags; removing an unknown tag is TAG_NOT_FOUND', () => {
    const tagged = event('ExperimentTagsSet', { experimentId: id, tags: { team: 'risk' }, removed: [] });
    experiments.given([created]).when(command('SetExperimentTags', { experimentId: id, tags: { team: 'risk' }, removed: [] })).then([tagged]);
    expect(experiments.given([created, tagged, event('ExperimentTagsSet', { experimentId: id, tags: {}, removed: ['team'] })]).state.tags).toEqual({});
    experiments.given([created]).when(command('SetExperimentTags', { experimentId: id, tags: {}, removed: ['team'] })).thenRejects('TAG_NOT_FOUND', { key: 'team' });
  });
  it('answers EXPERIMENT_NOT_FOUND for any change to an unknown id', () => {
    experiments.given([]).when(command('DeleteExperiment', { experimentId: id })).thenRejects('EXPERIMENT_NOT_FOUND');
  });
});
