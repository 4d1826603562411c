import type { DecodedEvent } from '@mlstream/kit';
import { baseColumns, type TableRow } from './types.ts';

type RetrainJobEvent = Extract<DecodedEvent, { type: `RetrainJob${string}` }>;

const COMMON = new Set(['eventId', 'occurredAt', 'jobId', 'model', 'idempotencyKey']);

/** One `retrain_jobs` row per job event; the fields particular to the event also go to `detail` as JSON. */
export function projectRetrainJob(event: RetrainJobEvent): TableRow[] {
  const v = event.value as Record<string, unknown> & RetrainJobEvent['value'];
  const text = (key: string) => (typeof v[key] === 'string' ? (v[key] as string) : '');
  const detail = Object.fromEntries(Object.entries(v).filter(([k]) => !COMMON.has(k)));
  const version = event.type === 'RetrainJobEvaluated' ? event.value.challengerVersion : typeof v.version === 'number' ? v.version : null;
  return [
    {
      table: 'retrain_jobs',
      row: {
        ...baseColumns(event),
        job_id: v.jobId,
        model: v.model,
        idempotency_key: v.idempotencyKey,
        event: event.type.replace(/^RetrainJob/, ''),
        version,
        dataset_id: text('datasetId'),
        dataset_version: text('datasetVersion'),
        snapshot_uri: text('snapshotUri'),
        row_count: typeof v.rowCount === 'number' ? v.rowCount : null,
        run_id: text('runId'),
        decision: text('decision'),
        reason: text('reason'),
        detail: JSON.stringify(detail),
      },
    },
  ];
}
