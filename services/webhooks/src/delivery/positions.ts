import type { Admin } from 'kafkajs';
import type { WebhookSourceOffset } from '@mlstream/kit';
import type { ResolvedSource } from './subscription-deliverer.ts';

type Positions = Map<string, Map<number, number>>;

/** Committed offsets of a group on the source topics; -1 where it has none. */
export async function committedPositions(admin: Admin, groupId: string, sources: ResolvedSource[]): Promise<Positions> {
  const out: Positions = new Map();
  const committed = await admin.fetchOffsets({ groupId, topics: sources.map((s) => s.topic) });
  for (const t of committed) out.set(t.topic, new Map(t.partitions.map((p) => [p.partition, Number(p.offset)])));
  return out;
}

const byTime = async (admin: Admin, topic: string, at: number) => new Map((await admin.fetchTopicOffsetsByTimestamp(topic, at)).map((p) => [p.partition, Number(p.offset)]));

/**
 * A new subscription's group starts at the first source record appended at
 * or after the subscription (Kafka log time), not at the beginning of the
 * log. A group that already committed offsets keeps them.
 */
export async function seedPositions(admin: Admin, groupId: string, sources: ResolvedSource[], subscribedAt: number): Promise<void> {
  const committed = await committedPositions(admin, groupId, sources);
  for (const s of sources) {
    const mine = committed.get(s.topic);
    if (mine && [...mine.values()].some((o) => o >= 0)) continue;
    const start = await byTime(admin, s.topic, subscribedAt);
    await admin.setOffsets({ groupId, topic: s.topic, partitions: [...start].map(([partition, offset]) => ({ partition, offset: String(offset) })) });
  }
}

/**
 * Moves an (empty) subscription group back for a redelivery: to the first
 * record at or after `fromTime` on every source partition, and/or to the
 * named offsets. A position is never moved forward (a redelivery never skips
 * an event). Returns the positions set and the ones left behind (where the
 * redelivery ends).
 */
export async function rewindPositions(
  admin: Admin,
  groupId: string,
  sources: ResolvedSource[],
  request: { fromTime?: number | null; fromOffsets: WebhookSourceOffset[] },
): Promise<{ positions: WebhookSourceOffset[]; previous: Positions }> {
  const previous = await committedPositions(admin, groupId, sources);
  const positions: WebhookSourceOffset[] = [];
  for (const s of sources) {
    const now = previous.get(s.topic) ?? new Map<number, number>();
    const wanted = new Map<number, number>();
    if (request.fromTime !== undefined && request.fromTime !== null) for (const [p, o] of await byTime(admin, s.topic, request.fromTime)) wanted.set(p, o);
    for (const o of request.fromOffsets) if (o.topic === s.name || o.topic === s.topic) wanted.set(o.partition, Math.min(o.offset, wanted.get(o.partition) ?? Infinity));
    const partitions: Array<{ partition: number; offset: string }> = [];
    for (const [partition, offset] of wanted) {
      const current = now.get(partition) ?? -1;
      const target = current >= 0 ? Math.min(offset, current) : offset;
      partitions.push({ partition, offset: String(target) });
      positions.push({ topic: s.name, partition, offset: target });
    }
    if (partitions.length) await admin.setOffsets({ groupId, topic: s.topic, partitions });
  }
  return { positions, previous };
}
