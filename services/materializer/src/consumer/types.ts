import type { Kafka } from 'kafkajs';
import type { ConsumedRecord, DecodedEvent, Logger, MlstreamError, ResolvedCatalog, Serde, ServiceMetrics } from '@mlstream/kit';
import type { TableName } from '../projections/index.ts';
import type { EventIdWindow } from './dedupe.ts';
import type { Store, Watermarks } from './store.ts';

export interface MaterializerOptions {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  store: Store;
  logger: Logger;
  groupId: string;
  /** Sends a poison record to the dead-letter topic (kit's createDeadLetterSink); resolves once Kafka acknowledged. */
  deadLetter: (record: ConsumedRecord, error: MlstreamError) => Promise<void>;
  metrics?: ServiceMetrics;
  /** Flush a partition's buffer at this many events; default 5 000. */
  maxEvents?: number;
  /** ... or once no new record arrived for this long; default 5 ms (capped at maxWaitMs). */
  idleMs?: number;
  /** ... or at the latest when its oldest buffered event is this old; default 250 ms. */
  maxWaitMs?: number;
  /** Backoff while ClickHouse fails: first and longest delay; default 250 / 10 000 ms. */
  retry?: { initialMs: number; maxMs: number };
  /** Also bounds the group lease: no insert later than sessionTimeout − max(1 s, min(3 s, session/4)) after the last heartbeat. */
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  /** eventId dedupe window of the fact streams, in offsets per partition; 0 turns it off. Default 50 000. */
  dedupeWindow?: number;
}

export interface PartitionState {
  topic: string;
  partition: number;
  tables: readonly TableName[];
  /** Bumped on every assignment: buffers of an older generation are dropped, never written. */
  generation: number;
  /** The generation whose watermarks were last read: the partition is restored (readiness) while it equals the current one. */
  primed?: number;
  marks?: Watermarks;
  /** eventIds kept within the dedupe window (fact streams only); rebuilt with every watermark read. */
  window?: EventIdWindow;
  /** Next offset to buffer; records below it are already in ClickHouse or in the buffer. */
  next: number;
  events: DecodedEvent[];
  /** Last consumed offset (dead-lettered records included); -1 = nothing buffered yet. */
  last: number;
  /** When the oldest buffered record arrived; 0 while nothing waits for the next flush. */
  since: number;
  /** When the last batch of records was buffered: idle for idleMs after it → flush. */
  lastAt: number;
  /** When this partition's progress hint was last written. */
  progressAt: number;
  /** Serializes watermark reads and flushes of this partition. */
  lock: Promise<unknown>;
  paused: boolean;
  /** A size-triggered flush is queued or running. */
  flushQueued: boolean;
  failures: number;
  /** Facts dropped as eventId repeats since start. */
  repeats: number;
  timer?: NodeJS.Timeout;
}

export interface Materializer {
  start(): Promise<void>;
  /** Stops consuming, flushes every buffer, commits and disconnects; safe to call twice. */
  stop(): Promise<void>;
  /** Rejects when ClickHouse refuses a batch for a reason retrying cannot fix. */
  readonly crashed: Promise<never>;
  status(): Array<{ topic: string; partition: number; next: number; buffered: number; paused: boolean; failures: number; repeats: number }>;
  /** Kit's readiness rule: the group assigned partitions to this instance, is not rebalancing, and every assigned partition's watermarks are read. */
  ready(): boolean;
}

