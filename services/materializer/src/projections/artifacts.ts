import type { DecodedEvent } from '@mlstream/kit';
import { baseColumns, keys, seconds, valuesOf, type TableRow } from './types.ts';

type ArtifactEvent = Extract<DecodedEvent, { type: 'ArtifactStored' | 'LoggedModelRecorded' }>;

/** Rows of the artifacts fact stream: stored blobs and logged-model snapshots. */
export function projectArtifactEvent(event: ArtifactEvent): TableRow[] {
  const base = baseColumns(event);
  switch (event.type) {
    case 'ArtifactStored': {
      const v = event.value;
      return [
        {
          table: 'artifacts',
          row: { ...base, path: v.path, experiment_id: v.experimentId ?? '', run_id: v.runId ?? '', logged_model_id: v.loggedModelId ?? '', size: v.size, sha256: v.sha256, uri: v.uri, actor: v.actor },
        },
      ];
    }
    case 'LoggedModelRecorded': {
      const v = event.value;
      return [
        {
          table: 'logged_models',
          row: {
            ...base,
            model_id: v.modelId,
            experiment_id: v.experimentId,
            run_id: v.runId ?? '',
            name: v.name,
            artifact_location: v.artifactLocation,
            status: v.status,
            model_type: v.modelType ?? '',
            source: v.source ?? '',
            created_ms: v.createdAt,
            created_at: seconds(v.createdAt),
            param_keys: keys(v.params),
            param_values: valuesOf(v.params),
            tag_keys: keys(v.tags),
            tag_values: valuesOf(v.tags),
            actor: v.actor,
          },
        },
      ];
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
