import { gunzipSync, gzipSync } from 'node:zlib';
import type { Kafka } from 'kafkajs';
import { deterministicUuid, readToEnd, type ResolvedCatalog, type Serde } from '@mlstream/kit';
import { deserializeState, emptyDetectorState, type DetectorState } from '../domain/index.ts';

export const SNAPSHOT_FORMAT = 'json+gzip/v1';

export const ownerKey = (groupId: string, partition: number) => `${groupId}|${partition}`;

/** Encodes the state of one input partition (already serialized with serializeState) as a DriftStateSnapshot record. */
export async function encodeSnapshot(serde: Serde, groupId: string, partition: number, serializedState: string, offsets: Record<string, number>, at: number) {
  const owner = ownerKey(groupId, partition);
  return serde.encode('DriftStateSnapshot', {
    eventId: deterministicUuid(`snapshot:${owner}:${Object.entries(offsets).sort().map(([t, o]) => `${t}@${o}`).join(',')}`),
    occurredAt: at,
    owner,
    partition,
    offsets,
    format: SNAPSHOT_FORMAT,
    state: gzipSync(serializedState),
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
