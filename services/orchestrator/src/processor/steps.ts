import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Readable } from 'node:stream';
import type { ArtifactStore, RecordName, RecordTypes } from '@mlstream/kit';
import { evaluateChallenger, type Evaluation, type PromotionPolicy } from '../domain/evaluation.ts';
import { derivedUuid, type Job } from '../domain/jobs.ts';
import { parseSnapshot, type SnapshotRow } from '../domain/snapshot.ts';
import { parseLogisticModel, predictLogistic } from '../trainer/logistic.ts';

/** A record to send in the job's transaction. */
export interface Emit {
  type: RecordName;
  value: RecordTypes[RecordName];
}

const ACTOR = 'orchestrator';

/** Reads a blob of the store by sha256 (verified), else a file: URI. */
export async function readArtifact(store: ArtifactStore, uri: string, sha256: string | null): Promise<Buffer> {
  if (sha256 && (await store.has(sha256))) {
    const blob = await store.open(sha256);
    const chunks: Buffer[] = [];
    for await (const c of blob.stream() as AsyncIterable<Buffer>) chunks.push(c);
    return Buffer.concat(chunks);
  }
  if (uri.startsWith('file:')) return readFile(fileURLToPath(uri));
  throw new Error(`cannot read artifact ${uri}: not in the artifact store and not a file: URI`);
}

/** Pure: the paired evaluation of a challenger model on the snapshot's hold-out rows. */
export function evaluateOnHoldout(rows: readonly SnapshotRow[], modelText: string, policy: PromotionPolicy): Evaluation {
  const model = parseLogisticModel(modelText);
  const holdout = rows.filter((r) => r.holdout);
  return evaluateChallenger(
    holdout.map((r) => ({ label: r.label, champion: r.servedPrediction, challenger: predictLogistic(model, r).label })),
    policy,
  );
}

export const snapshotRows = async (store: ArtifactStore, job: Job): Promise<SnapshotRow[]> => parseSnapshot(await readArtifact(store, job.started!.snapshotUri, job.started!.snapshotSha256));

/** The run id of a job's training run: derived, so a re-run after a crash names the same run. */
export const runIdOf = (job: Job): string => derivedUuid(job.jobId, 'run').replace(/-/g, '');

const command = (job: Job, name: string, now: number) => ({ eventId: derivedUuid(job.jobId, 'event', name), occurredAt: now, commandId: derivedUuid(job.jobId, 'command', name), actor: ACTOR, expectedVersion: null });

/**
 * The tracking run of a locally trained challenger and its registration, as
 * commands with derived ids: sent again after a crash, they are answered with
 * their first outcome by the tracking and registry processors, never applied twice.
 */
export function trainedModelCommands(job: Job, input: { model: { sha256: string; uri: string }; params: Record<string, string>; holdout: Evaluation; gateMetric: string; now: number }): Emit[] {
  const runId = runIdOf(job);
  const s = job.started!;
  const tags = { 'mlstream.retrain.job': job.jobId, 'mlstream.retrain.idempotency_key': job.idempotencyKey };
  const out: Emit[] = [
    { type: 'StartRun', value: { ...command(job, 'start', input.now), runId, experiment: `retrain-${job.model}`, name: `retrain ${job.jobId}`, tags, codeVersion: null, experimentId: null } },
    { type: 'LogParams', value: { ...command(job, 'params', input.now), runId, params: { ...input.params, holdout_rows: String(s.holdoutRows), label_cutoff_ms: String(s.labelCutoffMs) } } },
    { type: 'LogInputs', value: { ...command(job, 'inputs', input.now), runId, inputs: [{ datasetId: s.datasetId, version: s.datasetVersion, context: 'training' }] } },
    {
      type: 'LogMetrics',
      value: {
        ...command(job, 'metrics', input.now),
        runId,
        metrics: [
          { key: input.gateMetric, value: input.holdout.challengerAccuracy, step: 0, timestamp: input.now },
          { key: 'champion_holdout_accuracy', value: input.holdout.championAccuracy, step: 0, timestamp: input.now },
          { key: 'holdout_rows', value: input.holdout.labeled, step: 0, timestamp: input.now },
        ],
      },
    },
    { type: 'FinishRun', value: { ...command(job, 'finish', input.now), runId, status: 'FINISHED' } },
    {
      type: 'RegisterModelVersion',
      value: {
        ...command(job, 'register', input.now),
        model: job.model,
        runId,
        artifactUri: input.model.uri,
        artifactSha256: input.model.sha256,
        signature: [],
        description: `challenger retrained by ${job.jobId} on ${s.datasetId}@${s.datasetVersion}`,
        tags,
        reason: `retrain job ${job.jobId}`,
      },
    },
  ];
  return out;
}

export const setAlias = (job: Job, alias: string, version: number, reason: string, now: number): Emit => ({
  type: 'SetAlias',
  value: { ...command(job, `alias-${alias}-${version}`, now), model: job.model, alias, version, reason },
});

export const promote = (job: Job, version: number, gate: { metric: string; threshold: number }, reason: string, now: number): Emit => ({
  type: 'TransitionStage',
  value: { ...command(job, `promote-${version}`, now), model: job.model, version, toStage: 'PRODUCTION', archivePrevious: true, gate: { metric: gate.metric, comparator: 'GTE', threshold: gate.threshold, beatProduction: false }, reason },
});

export async function storeModel(store: ArtifactStore, bytes: Buffer) {
  return store.put(Readable.from([bytes]), { maxBytes: 64 * 1024 * 1024 });
}
