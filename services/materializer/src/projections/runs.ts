import { experimentIdOf, type RecordTypes } from '@mlstream/kit';
import { baseColumns, seconds, type Row, type TableRow } from './types.ts';
import type { DecodedEvent } from '@mlstream/kit';

/** What a RunFinished row repeats from its RunStarted (ReplacingMergeTree keeps whole rows). */
export interface RunStart {
  experiment: string;
  name: string;
  code_version: string;
  actor: string;
  start_ms: number;
}

type RunEvent = Extract<DecodedEvent, { type: 'RunStarted' | 'ParamsLogged' | 'MetricsLogged' | 'TagsSet' | 'InputsLogged' | 'ArtifactLogged' | 'RunFinished' | 'RunDeleted' | 'RunRestored' | 'TagDeleted' }>;

/** A run_lifecycle row: STARTED carries the run's experiment id, DELETED / RESTORED only the stage. */
const lifecycleRow = (base: Row, v: { runId: string; aggregateVersion: number; actor: string; commandId: string }, action: 'STARTED' | 'DELETED' | 'RESTORED', experimentId = ''): TableRow => ({
  table: 'run_lifecycle',
  row: { ...base, _version: v.aggregateVersion, run_id: v.runId, action, lifecycle_stage: action === 'DELETED' ? 'deleted' : 'active', experiment_id: experimentId, actor: v.actor, command_id: v.commandId },
});

const runRow = (base: Row, runId: string, version: number, start: RunStart | undefined, status: string, endMs: number): Row => ({
  ...base,
  _version: version,
  run_id: runId,
  experiment: start?.experiment ?? '',
  name: start?.name ?? '',
  status,
  code_version: start?.code_version ?? '',
  actor: start?.actor ?? '',
  start_ms: start?.start_ms ?? 0,
  start_time: seconds(start?.start_ms ?? 0),
  end_ms: endMs,
  end_time: seconds(endMs),
});

export const runStartOf = (v: RecordTypes['RunStarted']): RunStart => ({
  experiment: v.experiment,
  name: v.name ?? '',
  code_version: v.codeVersion ?? '',
  actor: v.actor,
  start_ms: v.occurredAt,
});

/** Rows of one run event; `starts` resolves a run's start facts (from this batch or ClickHouse). */
export function projectRunEvent(event: RunEvent, starts: (runId: string) => RunStart | undefined): TableRow[] {
  const base = baseColumns(event);
  switch (event.type) {
    case 'RunStarted': {
      const v = event.value;
      return [
        { table: 'runs', row: runRow(base, v.runId, v.aggregateVersion, runStartOf(v), v.status, 0) },
        // Runs started by experiment name only belong to the experiment whose id that name derives.
        lifecycleRow(base, v, 'STARTED', v.experimentId ?? experimentIdOf(v.experiment)),
        ...Object.entries(v.tags ?? {}).map(([key, value]): TableRow => ({ table: 'run_tags', row: { ...base, run_id: v.runId, key, value } })),
      ];
    }
    case 'RunFinished': {
      const v = event.value;
      return [{ table: 'runs', row: runRow(base, v.runId, v.aggregateVersion, starts(v.runId), v.status, v.occurredAt) }];
    }
    case 'ParamsLogged':
      return Object.entries(event.value.params).map(([key, value]) => ({ table: 'run_params', row: { ...base, run_id: event.value.runId, key, value } }));
    case 'TagsSet':
      return Object.entries(event.value.tags).map(([key, value]) => ({ table: 'run_tags', row: { ...base, run_id: event.value.runId, key, value } }));
    case 'MetricsLogged':
      return event.value.metrics.map((m) => ({
        table: 'run_metrics',
        row: { ...base, run_id: event.value.runId, key: m.key, value: m.value, step: m.step ?? 0, ts_ms: m.timestamp, timestamp: seconds(m.timestamp) },
      }));
    case 'InputsLogged':
      return event.value.inputs.map((i) => ({
        table: 'run_inputs',
        row: { ...base, run_id: event.value.runId, dataset_id: i.datasetId, dataset_version: i.version, context: i.context },
      }));
    case 'ArtifactLogged': {
      const a = event.value.artifact;
      return [{ table: 'run_artifacts', row: { ...base, run_id: event.value.runId, name: a.name, uri: a.uri, sha256: a.sha256 ?? '', size: a.size ?? -1 } }];
    }
    case 'RunDeleted':
      return [lifecycleRow(base, event.value, 'DELETED')];
    case 'RunRestored':
      return [lifecycleRow(base, event.value, 'RESTORED')];
    case 'TagDeleted': {
      const v = event.value;
      return [{ table: 'run_tag_deletions', row: { ...base, _version: v.aggregateVersion, run_id: v.runId, key: v.key, actor: v.actor, command_id: v.commandId } }];
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
