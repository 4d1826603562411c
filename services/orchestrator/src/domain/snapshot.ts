import { createHash } from 'node:crypto';
import { profileDataset, type FeatureProfile, type FeatureSpec } from '@mlstream/kit';

/** A prediction of the drifted range, with its Kafka coordinates (from the read model's columns). */
export interface SnapshotPrediction {
  topic: string;
  partition: number;
  offset: number;
  requestId: string;
  version: number;
  occurredAt: number;
  numericFeatures: Record<string, number>;
  categoricalFeatures: Record<string, string>;
  prediction: string;
}

/** A label of the model, with its Kafka coordinates. */
export interface SnapshotLabel {
  topic: string;
  partition: number;
  offset: number;
  requestId: string;
  occurredAt: number;
  label: string;
}

/** One line of the snapshot file. */
export interface SnapshotRow {
  requestId: string;
  numericFeatures: Record<string, number>;
  categoricalFeatures: Record<string, string>;
  label: string;
  /** What the serving (champion) version answered: the paired side of the evaluation. */
  servedPrediction: string;
  servedVersion: number;
  /** Kept out of training; the challenger is evaluated on these rows. */
  holdout: boolean;
}

export interface SourceRange {
  topic: string;
  partition: number;
  fromOffset: number;
  toOffset: number;
}

export interface Snapshot {
  rows: SnapshotRow[];
  /** The JSON Lines file: what is hashed and stored. */
  bytes: Buffer;
  sha256: string;
  /** Kafka ranges the rows came from: predictions, then labels. */
  sources: SourceRange[];
  features: FeatureSpec[];
  profile: FeatureProfile[];
  validation: { passed: boolean; checks: Array<{ name: string; passed: boolean; detail: string | null }> };
  holdoutRows: number;
}

export interface SnapshotOptions {
  /** Only labels observed at or before this event time count (point in time). */
  labelCutoffMs: number;
  /** Share of rows kept out of training for the evaluation; default 0.3. */
  holdoutShare?: number;
  /** Fewest rows a usable snapshot has (validation); default 50. */
  minRows?: number;
}

/** Deterministic hold-out membership: by the request id's hash, so a row is in the same split in every rebuild. */
export const inHoldout = (requestId: string, share: number): boolean => createHash('sha256').update(requestId).digest().readUInt32BE(0) / 2 ** 32 < share;

const sorted = <T>(record: Record<string, T>): Record<string, T> => Object.fromEntries(Object.keys(record).sort().map((k) => [k, record[k]!]));

function rangesOf(items: ReadonlyArray<{ topic: string; partition: number; offset: number }>): SourceRange[] {
  const ranges = new Map<string, SourceRange>();
  for (const i of items) {
    const key = `${i.topic}\u0000${i.partition}`;
    const r = ranges.get(key);
    if (!r) ranges.set(key, { topic: i.topic, partition: i.partition, fromOffset: i.offset, toOffset: i.offset });
    else {
      r.fromOffset = Math.min(r.fromOffset, i.offset);
      r.toOffset = Math.max(r.toOffset, i.offset);
    }
  }
  return [...ranges.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
}

/**
 * Pure: the training snapshot of a drifted range. Each prediction is joined
 * with the last label of its request id observed by the cut-off (a label that
 * arrived later did not exist at the time, so it is not used: point-in-time
 * correct); predictions without such a label are left out. Rows are in log
 * order, keys sorted, so the same inputs give the same bytes and sha256.
 */
export function buildSnapshot(predictions: readonly SnapshotPrediction[], labels: readonly SnapshotLabel[], options: SnapshotOptions): Snapshot {
  const share = options.holdoutShare ?? 0.3;
  const latest = new Map<string, SnapshotLabel>();
  for (const l of labels) {
    if (l.occurredAt > options.labelCutoffMs) continue;
    const seen = latest.get(l.requestId);
    if (!seen || l.partition !== seen.partition || l.offset > seen.offset) latest.set(l.requestId, l);
  }
  const ordered = [...predictions].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || a.offset - b.offset);
  const used: SnapshotPrediction[] = [];
  const usedLabels: SnapshotLabel[] = [];
  const rows: SnapshotRow[] = [];
  const seenRequests = new Set<string>();
  for (const p of ordered) {
    const l = latest.get(p.requestId);
    if (!l || seenRequests.has(p.requestId)) continue;
    seenRequests.add(p.requestId);
    used.push(p);
    usedLabels.push(l);
    rows.push({ requestId: p.requestId, numericFeatures: sorted(p.numericFeatures), categoricalFeatures: sorted(p.categoricalFeatures), label: l.label, servedPrediction: p.prediction, servedVersion: p.version, holdout: inHoldout(p.requestId, share) });
  }
  const bytes = Buffer.from(rows.map((r) => `${JSON.stringify(r)}\n`).join(''), 'utf8');
  const { features, profile } = profileDataset(rows.map((r) => ({ numericFeatures: r.numericFeatures, categoricalFeatures: r.categoricalFeatures })), { bins: 10, topK: 20 });
  const holdoutRows = rows.filter((r) => r.holdout).length;
  const classes = new Set(rows.filter((r) => !r.holdout).map((r) => r.label));
  const minRows = options.minRows ?? 50;
  const checks = [
    { name: 'min_rows', passed: rows.length >= minRows, detail: `${rows.length} labeled rows (at least ${minRows})` },
    { name: 'two_label_classes', passed: classes.size === 2, detail: `${classes.size} label classes in the training part` },
    { name: 'holdout_present', passed: holdoutRows > 0 && holdoutRows < rows.length, detail: `${holdoutRows} hold-out rows of ${rows.length}` },
  ];
  return {
    rows,
    bytes,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sources: [...rangesOf(used), ...rangesOf(usedLabels)],
    features,
    profile,
    validation: { passed: checks.every((c) => c.passed), checks },
    holdoutRows,
  };
}

/** Reads a snapshot file back. */
export const parseSnapshot = (bytes: Buffer | string): SnapshotRow[] =>
  bytes
    .toString()
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as SnapshotRow);
