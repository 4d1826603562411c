import type { Admin, Kafka } from 'kafkajs';
import { createTransactionalProducer, type WebhookSourceOffset } from '@mlstream/kit';
import { rewindTargets } from '../domain/index.ts';
import type { ResolvedSource } from './subscription-deliverer.ts';

type Positions = Map<string, Map<number, number>>;
type Commit = Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>;

/**
 * Commits a group's offsets in one Kafka transaction (TxnOffsetCommit), the
 * way the exactly-once loop commits them: no group membership needed, where
 * admin.setOffsets would join the group once per topic (seconds each).
 * The subscription's loop must be stopped meanwhile.
 */
async function commitPositions(kafka: Kafka, groupId: string, topics: Commit): Promise<void> {
  const wanted = topics.filter((t) => t.partitions.length);
  if (!wanted.length) return;
  const producer = await createTransactionalProducer(kafka, `${groupId}-positions`);
  try {
    const tx = await producer.transaction();
    try {
      await tx.sendOffsets({ consumerGroupId: groupId, topics: wanted });
      await tx.commit();
    } catch (error) {
      await tx.abort().catch(() => {});
      throw error;
    }
  } finally {
    await producer.disconnect().catch(() => {});
  }
}

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
export async function seedPositions(kafka: Kafka, admin: Admin, groupId: string, sources: ResolvedSource[], subscribedAt: number): Promise<void> {
  const committed = await committedPositions(admin, groupId, sources);
  const commit: Commit = [];
  for (const s of sources) {
    const mine = committed.get(s.topic);
    if (mine && [...mine.values()].some((o) => o >= 0)) continue;
    const start = await byTime(admin, s.topic, subscribedAt);
    commit.push({ topic: s.topic, partitions: [...start].map(([partition, offset]) => ({ partition, offset: String(offset) })) });
  }
  await commitPositions(kafka, groupId, commit);
}

/**
 * Moves a stopped subscription's group back for a redelivery: to the first
 * record at or after `fromTime` on every source partition, and/or to the
 * named offsets, never forward (rewindTargets: a redelivery never skips
 * an event). Returns the positions set and the ones left behind (where the
 * redelivery ends).
 */
export async function rewindPositions(
  kafka: Kafka,
  admin: Admin,
  groupId: string,
  sources: ResolvedSource[],
  request: { fromTime?: number | null; fromOffsets: WebhookSourceOffset[] },
): Promise<{ positions: WebhookSourceOffset[]; previous: Positions }> {
  const previous = await committedPositions(admin, groupId, sources);
  const positions: WebhookSourceOffset[] = [];
  const commit: Commit = [];
  for (const s of sources) {
    const fromTime = request.fromTime !== undefined && request.fromTime !== null ? await byTime(admin, s.topic, request.fromTime) : undefined;
    const named = request.fromOffsets.filter((o) => o.topic === s.name || o.topic === s.topic);
    const targets = rewindTargets(previous.get(s.topic) ?? new Map(), fromTime, named);
    for (const t of targets) positions.push({ topic: s.name, ...t });
    const partitions = targets.map((t) => ({ partition: t.partition, offset: String(t.offset) }));
    commit.push({ topic: s.topic, partitions });
  }
  await commitPositions(kafka, groupId, commit);
  return { positions, previous };
}
