import type { DecodedEvent } from '@mlstream/kit';
import { baseColumns, keys, valuesOf, type TableRow } from './types.ts';

type RegistryEvent = Extract<DecodedEvent, { type: 'ModelVersionRegistered' | 'StageTransitioned' | 'AliasSet' | 'AliasDeleted' }>;

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
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
