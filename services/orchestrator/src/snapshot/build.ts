import { Readable } from 'node:stream';
import type { ArtifactStore, RecordTypes } from '@mlstream/kit';
import { driftWindowRange, materializedOffsets, predictionsWithLabels, type AnalyticsDeps } from '@mlstream/materializer';
import { buildSnapshot, type Snapshot } from '../domain/snapshot.ts';
import type { Job } from '../domain/jobs.ts';

export interface SnapshotDeps {
  analytics: AnalyticsDeps;
  store: ArtifactStore;
  /** Labels observed up to this long after the request's event time are joined. */
  labelGraceMs: number;
  holdoutShare: number;
  /** How long to wait for the read model to settle (materializer lag), ms. */
  settleMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Keeps the consumer's group membership alive while the step waits (kit's loop passes it). */
  heartbeat?: () => Promise<void>;
}

export interface BuiltSnapshot {
  snapshot: Snapshot;
  uri: string;
  labelCutoffMs: number;
  range: { start: number; end: number; windows: number };
  dataset: Omit<RecordTypes['DatasetVersionIngested'], 'eventId' | 'occurredAt'>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Builds and stores the training snapshot of a job: the drifted range is the
 * event-time span of the request's evidence windows; its predictions are read
 * from the read model with their Kafka coordinates and joined with the labels
 * known by the cut-off (domain/snapshot.ts). Waits first until the cut-off has
 * passed and the read model stopped moving for this model (materializer lag).
 * The file is content-addressed: rebuilding after a crash stores the same blob.
 */
export async function buildJobSnapshot(deps: SnapshotDeps, job: Job): Promise<BuiltSnapshot> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? defaultSleep;
  const r = job.request;
  const labelCutoffMs = r.requestOccurredAt + deps.labelGraceMs;
  if (now() < labelCutoffMs) await sleep(labelCutoffMs - now());
  // Settled: every evidence window is in the read model and the model's rows stopped moving (bounded wait).
  const deadline = now() + deps.settleMs;
  const windows = new Set(r.evidenceWindowIds).size;
  let last = '';
  let range = await driftWindowRange(deps.analytics, { model: r.model, version: r.version, windowIds: r.evidenceWindowIds });
  for (;;) {
    const seen = JSON.stringify([await materializedOffsets(deps.analytics, { table: 'predictions', model: r.model }), await materializedOffsets(deps.analytics, { table: 'labels', model: r.model })]);
    if ((seen === last && range?.windows === windows) || now() >= deadline) break;
    last = seen;
    await deps.heartbeat?.();
    await sleep(500);
    range = await driftWindowRange(deps.analytics, { model: r.model, version: r.version, windowIds: r.evidenceWindowIds });
  }
  if (!range) throw new Error(`no drift window of ${r.model} v${r.version} named by the request (${r.evidenceWindowIds.join(', ') || 'none'}) is in the read model`);
  const rows = await predictionsWithLabels(deps.analytics, { model: r.model, version: r.version, from: range.start, to: range.end, labelCutoffMs });
  const snapshot = buildSnapshot(
    rows.predictions.map((p) => ({
      topic: p._topic,
      partition: p._partition,
      offset: Number(p._offset),
      requestId: p.request_id,
      version: p.version,
      occurredAt: Number(p.occurred_ms),
      numericFeatures: Object.fromEntries(p.numeric_keys.map((k, i) => [k, p.numeric_values[i]!])),
      categoricalFeatures: Object.fromEntries(p.categorical_keys.map((k, i) => [k, p.categorical_values[i]!])),
      prediction: p.prediction,
    })),
    rows.labels.map((l) => ({ topic: l._topic, partition: l._partition, offset: Number(l._offset), requestId: l.request_id, occurredAt: Number(l.occurred_ms), label: l.label })),
    { labelCutoffMs, holdoutShare: deps.holdoutShare },
  );
  const stored = await deps.store.put(Readable.from([snapshot.bytes]), { maxBytes: Number.MAX_SAFE_INTEGER });
  if (stored.sha256 !== snapshot.sha256) throw new Error(`the artifact store hashed the snapshot to ${stored.sha256}, expected ${snapshot.sha256}`);
  const tags: Record<string, string> = {
    'mlstream.retrain.job': job.jobId,
    'mlstream.retrain.idempotency_key': job.idempotencyKey,
    'mlstream.snapshot.format': 'jsonl',
    'mlstream.snapshot.label_cutoff_ms': String(labelCutoffMs),
    'mlstream.snapshot.holdout_rows': String(snapshot.holdoutRows),
    'mlstream.snapshot.event_time_range': `${range.start}-${range.end}`,
  };
  // Lineage: the Kafka ranges the rows came from, one tag per range (DatasetVersionIngested has no field for them; tags keep the schema as it is).
  snapshot.sources.forEach((s, i) => (tags[`mlstream.source.${i}`] = `${s.topic}:${s.partition}:${s.fromOffset}-${s.toOffset}`));
  return {
    snapshot,
    uri: stored.uri,
    labelCutoffMs,
    range,
    dataset: {
      datasetId: `retrain-${r.model}`,
      version: job.jobId,
      uri: stored.uri,
      contentSha256: snapshot.sha256,
      rowCount: snapshot.rows.length,
      features: snapshot.features,
      profile: snapshot.profile,
      validation: snapshot.validation,
      producer: 'orchestrator',
      tags,
    },
  };
}
