import { MlstreamError, type ResolvedCatalog } from '@mlstream/kit';
import { materializedStreams, tablesOfStream, type MaterializedStream, type TableName } from '@mlstream/materializer';

/** A topic the replay reads, with the tables it feeds. */
export interface ReplayTopic {
  stream: MaterializedStream;
  topic: string;
  tables: readonly TableName[];
}

/** One partition's replayed offsets: [start, end), end exclusive. */
export interface PartitionRange {
  topic: string;
  partition: number;
  start: number;
  end: number;
}

/** Where the log of a partition starts and ends (captured once, at the start of the replay). */
export interface PartitionExtent {
  topic: string;
  partition: number;
  low: number;
  high: number;
}

export interface OffsetSpec {
  /** A topic name or stream id; undefined = this partition of every replayed topic. */
  topic?: string;
  partition: number;
  offset: number;
}

/** `--from` / `--to` as typed: a Kafka record time, or offsets per partition (both inclusive). */
export type Bound = { kind: 'time'; ms: number; text: string } | { kind: 'offsets'; offsets: OffsetSpec[]; text: string };

/** A bound resolved to the first offset it includes (`--from`) or the first it excludes (`--to`); undefined = unbounded. */
export type BoundOffsets = (topic: string, partition: number) => number | undefined;

const FORMS = 'an ISO-8601 time (2026-11-27T10:00:00Z), epoch milliseconds, or offsets `partition:offset` / `topic:partition:offset`, comma-separated';

const invalid = (message: string, details: Record<string, unknown> = {}) => new MlstreamError('INVALID_REPLAY_OPTION', message, { details });

/** Parses a `--from` / `--to` value. Offsets always name a partition, so a bare number is a time. */
export function parseBound(text: string, flag: string): Bound {
  const value = text.trim();
  if (/^\d+$/.test(value)) return { kind: 'time', ms: Number(value), text: value };
  if (/^\d{4}-\d{2}-\d{2}/.test(value)) {
    const ms = Date.parse(value);
    if (!Number.isFinite(ms)) throw invalid(`${flag} ${JSON.stringify(text)} is not a valid time; expected ${FORMS}`, { [flag]: text });
    return { kind: 'time', ms, text: value };
  }
  const offsets = value.split(',').map((item) => {
    const m = /^(?:(.+):)?(\d+):(\d+)$/.exec(item.trim());
    if (!m) throw invalid(`${flag} ${JSON.stringify(text)}: ${JSON.stringify(item)} is not understood; expected ${FORMS}`, { [flag]: text });
    return { ...(m[1] !== undefined ? { topic: m[1] } : {}), partition: Number(m[2]), offset: Number(m[3]) };
  });
  return { kind: 'offsets', offsets, text: value };
}

/** The topics to replay: `--topics` (topic names or stream ids), default every materialized topic. */
export function selectTopics(catalog: ResolvedCatalog, option?: string): ReplayTopic[] {
  const all: ReplayTopic[] = materializedStreams.map((stream) => ({ stream, topic: catalog.topic(stream), tables: tablesOfStream[stream] }));
  if (option === undefined) return all;
  const wanted = option.split(',').map((s) => s.trim()).filter(Boolean);
  if (!wanted.length) throw invalid('--topics is empty; name topics or stream ids, comma-separated');
  return wanted.map((name) => {
    const found = findTopic(all, name);
    if (!found) throw invalid(`--topics: ${JSON.stringify(name)} is not a materialized topic; expected one of ${all.map((t) => t.stream).join(', ')} (or their topic names)`, { topic: name });
    return found;
  });
}

const findTopic = (topics: readonly ReplayTopic[], name: string) => topics.find((t) => t.topic === name || t.stream === name);

/**
 * Offsets named by an offsets bound, checked against the replayed topics and
 * their partitions. `inclusiveEnd` turns "up to this offset" into the first
 * excluded one (`--to`). Partitions the bound does not name are unbounded.
 */
export function offsetsOf(bound: Extract<Bound, { kind: 'offsets' }>, topics: readonly ReplayTopic[], extents: readonly PartitionExtent[], flag: string, inclusiveEnd: boolean): BoundOffsets {
  const at = new Map<string, number>();
  const has = (t: ReplayTopic, partition: number) => extents.some((e) => e.topic === t.topic && e.partition === partition);
  for (const spec of bound.offsets) {
    let targets: ReplayTopic[];
    if (spec.topic === undefined) {
      // An unqualified partition applies to every replayed topic that has it (topics differ in partition count).
      targets = topics.filter((t) => has(t, spec.partition));
      if (!targets.length) throw invalid(`${flag}: no replayed topic has partition ${spec.partition}`, { [flag]: bound.text });
    } else {
      const t = findTopic(topics, spec.topic);
      if (!t) throw invalid(`${flag}: topic ${JSON.stringify(spec.topic)} is not among the replayed topics (${topics.map((x) => x.stream).join(', ')})`, { [flag]: bound.text });
      if (!has(t, spec.partition)) throw invalid(`${flag}: ${t.topic} has no partition ${spec.partition}`, { [flag]: bound.text });
      targets = [t];
    }
    for (const t of targets) at.set(`${t.topic}:${spec.partition}`, spec.offset + (inclusiveEnd ? 1 : 0));
  }
  return (topic, partition) => at.get(`${topic}:${partition}`);
}

/**
 * The range of every partition: from the bound (or the log start) to the
 * bound (or the end captured at the start, so the replay ends even while
 * producers keep writing), clamped to what the log holds.
 */
export function planRanges(extents: readonly PartitionExtent[], from?: BoundOffsets, to?: BoundOffsets): PartitionRange[] {
  return extents.map(({ topic, partition, low, high }) => {
    const wanted = from?.(topic, partition) ?? low;
    const end = Math.min(high, to?.(topic, partition) ?? high);
    if (wanted > end && end < high) throw invalid(`${topic}[${partition}]: --from (offset ${wanted}) lies after --to (first excluded offset ${end})`, { topic, partition, from: wanted, end });
    // A start past the end of the log is an empty range (`--from 3:100` over topics of different sizes).
    const start = Math.min(Math.max(low, wanted), end);
    return { topic, partition, start, end };
  });
}

/** Records in the ranges (transaction markers included: they occupy offsets too). */
export const totalOffsets = (ranges: readonly PartitionRange[]): number => ranges.reduce((n, r) => n + (r.end - r.start), 0);
