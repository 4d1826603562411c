import type { ConsumerConfig, PartitionAssigner } from 'kafkajs';

/** The broker's default `group.min.session.timeout.ms`: a shorter session is refused at join. */
export const MIN_SESSION_TIMEOUT_MS = 6_000;

/**
 * 6 s, the broker's minimum, with a heartbeat every second: a SIGKILLed
 * member is noticed 5–6 s after the kill and the survivors hear of the
 * rebalance within a second, so its partitions move to another instance in
 * ~9 s (measured, docs/materializer.md "Recovery after a SIGKILL"). The
 * price: an instance whose consumer loop stalls for 6 s (a long GC, a starved
 * container, a long restore without heartbeats) loses its partitions and
 * rejoins. kafkajs has no static membership (KIP-345), so a shorter session
 * is the only lever besides leaving the group on SIGTERM.
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 6_000;

/** Heartbeat at most this far apart: how soon a member hears that the group rebalances. */
export const MAX_HEARTBEAT_INTERVAL_MS = 1_000;

export interface ConsumerPresetOptions {
  groupId: string;
  /** A member silent this long is dropped from the group; default 6 000 ms (DEFAULT_SESSION_TIMEOUT_MS), at least 6 000. Lower values detect a killed instance sooner. */
  sessionTimeoutMs?: number;
  /** How long a rebalance waits for members to rejoin; default the larger of 60 000 ms and the session timeout. */
  rebalanceTimeoutMs?: number;
  /** Longest a fetch waits for data; default 100 ms. */
  maxWaitTimeMs?: number;
  /** Partition assigners; default kafkajs' round robin. */
  assigners?: PartitionAssigner[];
  /** Default kafkajs' 1 MiB. */
  maxBytesPerPartition?: number;
}

/**
 * The consumer settings every mlstream consumer uses: read_committed (never
 * an aborted or open transaction's records), and session, rebalance and
 * heartbeat derived from one value (heartbeat a third of the session, at most
 * 1 s) so they can never contradict each other.
 */
export function consumerPreset(options: ConsumerPresetOptions): ConsumerConfig {
  if (!options.groupId) throw new TypeError('consumerPreset: `groupId` is required');
  const sessionTimeout = options.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS;
  if (!Number.isInteger(sessionTimeout) || sessionTimeout < MIN_SESSION_TIMEOUT_MS) {
    throw new TypeError(`consumerPreset: sessionTimeoutMs must be an integer of at least ${MIN_SESSION_TIMEOUT_MS} (the broker's group.min.session.timeout.ms), got ${sessionTimeout}`);
  }
  const rebalanceTimeout = options.rebalanceTimeoutMs ?? Math.max(60_000, sessionTimeout);
  if (!Number.isInteger(rebalanceTimeout) || rebalanceTimeout < sessionTimeout) {
    throw new TypeError(`consumerPreset: rebalanceTimeoutMs (${rebalanceTimeout}) must be an integer not below sessionTimeoutMs (${sessionTimeout})`);
  }
  const maxWaitTimeInMs = options.maxWaitTimeMs ?? 100;
  if (!(maxWaitTimeInMs > 0)) throw new TypeError(`consumerPreset: maxWaitTimeMs must be positive, got ${maxWaitTimeInMs}`);
  return {
    groupId: options.groupId,
    readUncommitted: false,
    sessionTimeout,
    rebalanceTimeout,
    heartbeatInterval: Math.min(MAX_HEARTBEAT_INTERVAL_MS, Math.floor(sessionTimeout / 3)),
    maxWaitTimeInMs,
    ...(options.assigners ? { partitionAssigners: options.assigners } : {}),
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
  };
}
