import { DEFAULT_EXPERIMENT, experimentIdOf, type Decider, type Decision, type Envelope, type Rejection } from '@mlstream/kit';
import { batchProblem } from './limits.ts';

export type ExperimentCommand = 'CreateExperiment' | 'RenameExperiment' | 'DeleteExperiment' | 'RestoreExperiment' | 'SetExperimentTags';
export type ExperimentEvent = 'ExperimentCreated' | 'ExperimentRenamed' | 'ExperimentDeleted' | 'ExperimentRestored' | 'ExperimentTagsSet';

export interface ExperimentState {
  exists: boolean;
  name: string;
  deleted: boolean;
  artifactLocation: string;
  tags: Record<string, string>;
}

export const initialExperimentState: ExperimentState = { exists: false, name: '', deleted: false, artifactLocation: '', tags: {} };

/** Where an experiment's artifacts go unless its creator says otherwise: the gateway's mlflow-artifacts proxy. */
export const defaultArtifactLocation = (experimentId: string): string => `mlflow-artifacts:/${experimentId}`;

/** The default experiment exists before any event about it. */
const defaultExperiment: ExperimentState = { exists: true, name: DEFAULT_EXPERIMENT.name, deleted: false, artifactLocation: defaultArtifactLocation(DEFAULT_EXPERIMENT.id), tags: {} };

const reject = (code: Rejection['code'], message: string, details?: Record<string, string>): Decision<ExperimentEvent> => ({ rejection: { code, message, details } });

const current = (id: string, state: ExperimentState): ExperimentState => (!state.exists && id === DEFAULT_EXPERIMENT.id ? defaultExperiment : state);

function decideCreate(command: Envelope<'CreateExperiment'>, state: ExperimentState): Decision<ExperimentEvent> {
  const { experimentId, name, artifactLocation = null, tags = {} } = command.value;
  if (!name) return reject('INVALID_COMMAND', 'an experiment needs a name', { field: 'name' });
  // The id is a function of the name; a producer that picks another id would let two experiments share a name.
  if (experimentId !== experimentIdOf(name)) return reject('INVALID_COMMAND', `experiment ${JSON.stringify(name)} has id ${experimentIdOf(name)}, not ${experimentId}`, { field: 'experimentId', expected: experimentIdOf(name) });
  const seen = current(experimentId, state);
  if (seen.exists) {
    const where = seen.deleted ? ' (deleted: restore it, or pick another name)' : seen.name !== name ? ` (renamed to ${JSON.stringify(seen.name)} since; ids come from first names)` : '';
    return reject('EXPERIMENT_ALREADY_EXISTS', `experiment ${JSON.stringify(name)} already exists${where}`, { experimentId, name: seen.name, deleted: String(seen.deleted) });
  }
  const problem = Object.keys(tags).length ? batchProblem('tags', Object.entries(tags)) : undefined;
  if (problem) return { rejection: problem };
  return { events: [{ type: 'ExperimentCreated', value: { experimentId, name, artifactLocation: artifactLocation || defaultArtifactLocation(experimentId), tags } }] };
}

/**
 * The Experiment aggregate, keyed by experiment id (derived from the first
 * name, see experimentIdOf): unique names at creation, rename, delete and
 * restore (MLflow's lifecycle stage), tags last-write-wins. Uniqueness of a
 * NEW name given by rename spans keys, so the gateway checks it against its
 * view before sending; two concurrent renames to one name are not stopped.
 */
export const experimentDecider: Decider<ExperimentCommand, ExperimentEvent, ExperimentState, undefined> = {
  aggregate: 'experiment',
  initialState: initialExperimentState,

  decide(command, state) {
    if (command.type === 'CreateExperiment') return decideCreate(command, state);
    const { experimentId } = command.value;
    const seen = current(experimentId, state);
    if (!seen.exists) return reject('EXPERIMENT_NOT_FOUND', `no experiment with id ${experimentId}`, { experimentId });
    switch (command.type) {
      case 'DeleteExperiment':
        if (experimentId === DEFAULT_EXPERIMENT.id) return reject('INVALID_COMMAND', 'the default experiment (id 0) cannot be deleted', { experimentId });
        return { events: seen.deleted ? [] : [{ type: 'ExperimentDeleted', value: { experimentId } }] };
      case 'RestoreExperiment':
        return { events: seen.deleted ? [{ type: 'ExperimentRestored', value: { experimentId } }] : [] };
      case 'RenameExperiment': {
        const { name } = command.value;
        if (seen.deleted) return reject('EXPERIMENT_DELETED', `experiment ${experimentId} is deleted; restore it before renaming it`, { experimentId });
        if (!name) return reject('INVALID_COMMAND', 'an experiment needs a name', { field: 'name' });
        if (name === seen.name) return { events: [] };
        return { events: [{ type: 'ExperimentRenamed', value: { experimentId, name, previousName: seen.name } }] };
      }
      case 'SetExperimentTags': {
        const { tags = {}, removed = [] } = command.value;
        if (!Object.keys(tags).length && !removed.length) return reject('INVALID_COMMAND', 'set at least one tag or remove one', { field: 'tags' });
        const problem = Object.keys(tags).length ? batchProblem('tags', Object.entries(tags)) : undefined;
        if (problem) return { rejection: problem };
        const missing = removed.find((key) => seen.tags[key] === undefined);
        if (missing !== undefined) return reject('TAG_NOT_FOUND', `experiment ${experimentId} has no tag ${JSON.stringify(missing)}`, { experimentId, key: missing });
        return { events: [{ type: 'ExperimentTagsSet', value: { experimentId, tags, removed } }] };
      }
      default: {
        const _exhaustive: never = command;
        return _exhaustive;
      }
    }
  },

  evolve(state, event) {
    const seen = current(event.value.experimentId, state);
    switch (event.type) {
      case 'ExperimentCreated':
        return { exists: true, name: event.value.name, deleted: false, artifactLocation: event.value.artifactLocation, tags: { ...(event.value.tags ?? {}) } };
      case 'ExperimentRenamed':
        return { ...seen, name: event.value.name };
      case 'ExperimentDeleted':
        return { ...seen, deleted: true };
      case 'ExperimentRestored':
        return { ...seen, deleted: false };
      case 'ExperimentTagsSet': {
        const tags = { ...seen.tags, ...(event.value.tags ?? {}) };
        for (const key of event.value.removed ?? []) delete tags[key];
        return { ...seen, tags };
      }
      default: {
        const _exhaustive: never = event;
        return _exhaustive;
      }
    }
  },
};
