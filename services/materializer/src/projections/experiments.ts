import type { DecodedEvent } from '@mlstream/kit';
import { baseColumns, keys, valuesOf, type Row, type TableRow } from './types.ts';

type ExperimentEvent = Extract<DecodedEvent, { type: 'ExperimentCreated' | 'ExperimentRenamed' | 'ExperimentDeleted' | 'ExperimentRestored' | 'ExperimentTagsSet' }>;

/** One experiment_events row per event, plus one experiment_tags row per tag set or removed. */
export function projectExperimentEvent(event: ExperimentEvent): TableRow[] {
  const base = baseColumns(event);
  const v = event.value;
  const row = (fields: Partial<Row>): TableRow => ({
    table: 'experiment_events',
    row: {
      ...base,
      _version: v.aggregateVersion,
      experiment_id: v.experimentId,
      event: event.type.slice('Experiment'.length),
      name: '',
      previous_name: '',
      artifact_location: '',
      lifecycle_stage: '',
      actor: v.actor,
      command_id: v.commandId,
      tag_keys: [],
      tag_values: [],
      removed_tag_keys: [],
      ...fields,
    },
  });
  const tagRows = (tags: Record<string, string> | undefined, removed: readonly string[] = []): TableRow[] => [
    ...keys(tags).map((key): TableRow => ({ table: 'experiment_tags', row: { ...base, experiment_id: v.experimentId, key, value: tags![key]!, deleted: 0, actor: v.actor } })),
    ...removed.map((key): TableRow => ({ table: 'experiment_tags', row: { ...base, experiment_id: v.experimentId, key, value: '', deleted: 1, actor: v.actor } })),
  ];
  switch (event.type) {
    case 'ExperimentCreated': {
      const e = event.value;
      return [
        row({ name: e.name, artifact_location: e.artifactLocation, lifecycle_stage: 'active', tag_keys: keys(e.tags), tag_values: valuesOf(e.tags) }),
        ...tagRows(e.tags),
      ];
    }
    case 'ExperimentRenamed':
      return [row({ name: event.value.name, previous_name: event.value.previousName })];
    case 'ExperimentDeleted':
      return [row({ lifecycle_stage: 'deleted' })];
    case 'ExperimentRestored':
      return [row({ lifecycle_stage: 'active' })];
    case 'ExperimentTagsSet': {
      const e = event.value;
      return [row({ tag_keys: keys(e.tags), tag_values: valuesOf(e.tags), removed_tag_keys: [...(e.removed ?? [])] }), ...tagRows(e.tags, e.removed)];
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
