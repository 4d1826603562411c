import { gunzipSync, gzipSync } from 'node:zlib';
import type { Kafka } from 'kafkajs';
import { deterministicUuid, readToEnd, type ResolvedCatalog, type Serde } from '@mlstream/kit';
import { deserializeState, emptyDetectorState, type DetectorState, type StableJson, type StateSegments } from '../domain/index.ts';

export const SNAPSHOT_FORMAT = 'json+gzip/v1';

/**
 * zlib's fastest level: a snapshot is written with every transaction and read
 * once per restart, so compression speed is what counts (level 1 vs the
 * default 6: about a third of the time, ~10 % larger; docs/performance.md "Drift detector").
 */
const GZIP_LEVEL = 1;

/** The gzip member of each stable segment (a stream's reference, profile, schema), compressed once. */
const members = new WeakMap<StableJson, Buffer>();

/**
 * The serialized state as concatenated gzip members (RFC 1952 §2.2: gunzip
 * reads them as one stream, so the format stays json+gzip/v1): the fresh text
 * between stable segments is compressed per snapshot, each stable segment
 * once for as long as it lives.
 */
export function gzipSegments(segments: StateSegments): Buffer {
  const out: Buffer[] = [];
  let fresh = '';
  for (const segment of segments) {
    if (typeof segment === 'string') {
      fresh += segment;
      continue;
    }
    if (fresh) out.push(gzipSync(fresh, { level: GZIP_LEVEL }));
    fresh = '';
    let member = members.get(segment);
    if (!member) members.set(segment, (member = gzipSync(segment.json, { level: GZIP_LEVEL })));
    out.push(member);
  }
  if (fresh || !out.length) out.push(gzipSync(fresh, { level: GZIP_LEVEL }));
  return out.length === 1 ? out[0]! : Buffer.concat(out);
}

export const ownerKey = (groupId: string, partition: number) => `${groupId}|${partition}`;

/** Encodes the state of one input partition (already serialized with serializeStateSegments) as a DriftStateSnapshot record. */
export async function encodeSnapshot(serde: Serde, groupId: string, partition: number, serializedState: StateSegments, offsets: Record<string, number>, at: number) {
  const owner = ownerKey(groupId, partition);
  return serde.encode('DriftStateSnapshot', {
    eventId: deterministicUuid(`snapshot:${owner}:${Object.entries(offsets).sort().map(([t, o]) => `${t}@${o}`).join(',')}`),
    occurredAt: at,
    owner,
    partition,
    offsets,
    format: SNAPSHOT_FORMAT,
    state: gzipSegments(serializedState),
  });
}

/** The latest committed snapshot of each wanted partition (empty state where there is none). */
export async function loadSnapshots(kafka: Kafka, serde: Serde, catalog: ResolvedCatalog, groupId: string, partitions: number[]): Promise<Map<number, DetectorState>> {
  const wanted = new Map(partitions.map((p) => [ownerKey(groupId, p), p]));
  const latest = new Map<number, { offset: bigint; state: Buffer }>();
  const topic = catalog.topic('drift-state');
  const pending: Array<Promise<void>> = [];
  await readToEnd({
    kafka,
    topic,
    onMessage: (partition, message) => {
      const p = wanted.get(message.key?.toString() ?? '');
      if (p === undefined) return;
      pending.push(
        serde.decode({ topic, partition, message }).then((record) => {
          if (record.type !== 'DriftStateSnapshot') return;
          if (record.value.format !== SNAPSHOT_FORMAT) throw new Error(`snapshot ${record.value.owner} has format ${record.value.format}; this detector reads ${SNAPSHOT_FORMAT}`);
          const offset = BigInt(message.offset);
          if ((latest.get(p)?.offset ?? -1n) < offset) latest.set(p, { offset, state: record.value.state });
        }),
      );
    },
  });
  // Decodes may finish out of order: the highest offset wins, not the last to finish.
  await Promise.all(pending);
  return new Map(partitions.map((p) => [p, latest.has(p) ? deserializeState(gunzipSync(latest.get(p)!.state).toString('utf8')) : emptyDetectorState()]));
}
