import type { DecodedEvent } from '@mlstream/kit';
import { baseColumns, keys, valuesOf, type Row, type TableRow } from './types.ts';

type RegistryEvent = Extract<
  DecodedEvent,
  { type: 'ModelVersionRegistered' | 'StageTransitioned' | 'AliasSet' | 'AliasDeleted' | 'RegisteredModelCreated' | 'RegisteredModelUpdated' | 'RegisteredModelDeleted' | 'ModelTagsSet' | 'ModelVersionUpdated' | 'ModelVersionDeleted' }
>;

interface Change {
  aggregateVersion: number;
  actor: string;
  commandId: string;
  reason?: string | null;
}

const described = (description: string | null | undefined) => ({ description: description ?? '', has_description: description === null || description === undefined ? 0 : 1 });
const changeColumns = (base: Row, v: Change, event: string) => ({ ...base, _version: v.aggregateVersion, event, actor: v.actor, reason: v.reason ?? '', command_id: v.commandId });

/** model_tags rows: one per key set, one per key removed; version 0 = the registered model itself. */
const tagRows = (base: Row, model: string, version: number, actor: string, tags: Record<string, string> | undefined, removed: readonly string[] = []): TableRow[] => [
  ...keys(tags).map((key): TableRow => ({ table: 'model_tags', row: { ...base, model, version, key, value: tags![key]!, deleted: 0, actor } })),
  ...removed.map((key): TableRow => ({ table: 'model_tags', row: { ...base, model, version, key, value: '', deleted: 1, actor } })),
];

export function projectRegistryEvent(event: RegistryEvent): TableRow[] {
  const base = baseColumns(event);
  switch (event.type) {
    case 'ModelVersionRegistered': {
      const v = event.value;
      return [
        {
          table: 'model_versions',
          row: {
            ...base,
            model: v.model,
            version: v.version,
            run_id: v.runId ?? '',
            artifact_uri: v.artifactUri,
            artifact_sha256: v.artifactSha256 ?? '',
            description: v.description ?? '',
            initial_stage: v.stage,
            actor: v.actor,
            reason: v.reason ?? '',
            signature_names: (v.signature ?? []).map((s) => s.name),
            signature_types: (v.signature ?? []).map((s) => s.type),
            tag_keys: keys(v.tags),
            tag_values: valuesOf(v.tags),
          },
        },
        // Registration is the first entry of the stage history, so "who put it where, when" is one table.
        { table: 'stage_history', row: { ...base, model: v.model, version: v.version, from_stage: '', to_stage: v.stage, actor: v.actor, reason: v.reason ?? '', command_id: v.commandId, gate_metric: '', gate_passed: null, gate_candidate: null, gate_threshold: null } },
      ];
    }
    case 'StageTransitioned': {
      const v = event.value;
      return [
        {
          table: 'stage_history',
          row: {
            ...base,
            model: v.model,
            version: v.version,
            from_stage: v.fromStage,
            to_stage: v.toStage,
            actor: v.actor,
            reason: v.reason ?? '',
            command_id: v.commandId,
            gate_metric: v.gate?.metric ?? '',
            gate_passed: v.gate ? (v.gate.passed ? 1 : 0) : null,
            gate_candidate: v.gate?.candidateValue ?? null,
            gate_threshold: v.gate?.threshold ?? null,
          },
        },
      ];
    }
    case 'AliasSet': {
      const v = event.value;
      return [{ table: 'aliases', row: { ...base, model: v.model, alias: v.alias, action: 'SET', version: v.version, previous_version: v.previousVersion ?? null, actor: v.actor, reason: v.reason ?? '' } }];
    }
    case 'AliasDeleted': {
      const v = event.value;
      return [{ table: 'aliases', row: { ...base, model: v.model, alias: v.alias, action: 'DELETE', version: v.version, previous_version: v.version, actor: v.actor, reason: v.reason ?? '' } }];
    }
    case 'RegisteredModelCreated': {
      const v = event.value;
      return [{ table: 'registered_models', row: { ...changeColumns(base, v, 'Created'), model: v.model, ...described(v.description) } }, ...tagRows(base, v.model, 0, v.actor, v.tags)];
    }
    case 'RegisteredModelUpdated': {
      const v = event.value;
      return [{ table: 'registered_models', row: { ...changeColumns(base, v, 'Updated'), model: v.model, ...described(v.description) } }];
    }
    case 'RegisteredModelDeleted': {
      const v = event.value;
      return [{ table: 'registered_models', row: { ...changeColumns(base, v, 'Deleted'), model: v.model, ...described(null) } }];
    }
    case 'ModelTagsSet': {
      const v = event.value;
      return tagRows(base, v.model, v.version ?? 0, v.actor, v.tags, v.removed);
    }
    case 'ModelVersionUpdated': {
      const v = event.value;
      return [{ table: 'model_version_changes', row: { ...changeColumns(base, v, 'Updated'), model: v.model, version: v.version, ...described(v.description) } }];
    }
    case 'ModelVersionDeleted': {
      const v = event.value;
      return [{ table: 'model_version_changes', row: { ...changeColumns(base, v, 'Deleted'), model: v.model, version: v.version, ...described(null) } }];
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
