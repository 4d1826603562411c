import type { Admin } from 'kafkajs';
import { waitFor } from './index.ts';
import type { ServiceProcess } from './processes.ts';

// waitFor… helpers on what Kafka itself reports (consumer group offsets and
// membership, high watermarks), for tests that must wait until a service has
// read, written or joined something, instead of sleeping and hoping.

type WaitOptions = { timeoutMs?: number; intervalMs?: number };

/** Offsets a consumer group has committed on a topic, per partition (partitions without a commit are absent). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((entry?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]));
}

/** High watermark (next offset) of each partition of a topic. */
export async function highWatermarks(admin: Admin, topic: string): Promise<Map<number, number>> {
  return new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)]));
}

const sum = (m: Map<number, number>) => [...m.values()].reduce((s, v) => s + v, 0);

/** Waits until `groupId` has committed at least `atLeast` offsets on `topic`, summed over its partitions. */
export async function waitForCommitted(admin: Admin, groupId: string, topic: string, atLeast: number, options: WaitOptions = {}): Promise<number> {
  return waitFor(
    async () => {
      const seen = sum(await committedOffsets(admin, groupId, topic));
      if (seen < atLeast) throw new Error(`${seen} committed`);
      return seen;
    },
    { timeoutMs: 60_000, intervalMs: 100, ...options, what: `${groupId} to commit ${atLeast} offsets of ${topic}` },
  );
}

/** Waits until `groupId` has committed every partition of `topic` up to its high watermark: everything written was read. */
export async function waitForCaughtUp(admin: Admin, groupId: string, topic: string, options: WaitOptions = {}): Promise<void> {
  await waitFor(
    async () => {
      const [high, committed] = await Promise.all([highWatermarks(admin, topic), committedOffsets(admin, groupId, topic)]);
      const lag = [...high].reduce((n, [partition, end]) => n + Math.max(0, end - (committed.get(partition) ?? 0)), 0);
      if (lag > 0) throw new Error(`lag ${lag}`);
      return true;
    },
    { timeoutMs: 60_000, intervalMs: 200, ...options, what: `${groupId} to catch up on ${topic}` },
  );
}

export type GroupMember = { memberId: string; clientId: string };

/**
 * Waits until the consumer group is Stable and its members pass `accept`
 * (e.g. "two members, none of them the one just killed": a SIGKILLed member
 * stays listed until its session times out). Returns the members.
 */
export async function waitForGroup(admin: Admin, groupId: string, accept: (members: GroupMember[]) => boolean, options: WaitOptions & { what?: string } = {}): Promise<GroupMember[]> {
  return waitFor(
    async () => {
      const { groups } = await admin.describeGroups([groupId]);
      const group = groups[0];
      const members = (group?.members ?? []).map((m) => ({ memberId: m.memberId, clientId: m.clientId }));
      if (group?.state !== 'Stable' || !accept(members)) throw new Error(`${group?.state ?? 'no group'} with members ${members.map((m) => m.memberId).join(', ') || 'none'}`);
      return members;
    },
    { timeoutMs: 60_000, intervalMs: 200, ...options, what: `${groupId}: ${options.what ?? 'the expected members'}` },
  );
}

/**
 * Waits until the group is Stable with exactly `processes` as its members,
 * recognised by the `-<pid>` our services end their client ids with (a
 * SIGKILLed member stays listed until its session expires). On a timeout the
 * error carries the tail of each process's output.
 */
export async function waitForLiveMembers(admin: Admin, groupId: string, processes: ServiceProcess[], what: string, options: WaitOptions = {}): Promise<GroupMember[]> {
  const pids = () => processes.map((p) => `-${p.child.pid}`);
  return waitForGroup(admin, groupId, (m) => m.length === processes.length && pids().every((pid) => m.some((x) => x.clientId.endsWith(pid))), { timeoutMs: 90_000, ...options, what }).catch((error: Error) => {
    throw new Error(`${error.message}; output:\n${processes.map((p) => p.output().slice(-2_000)).join('\n---\n')}`);
  });
}
