import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { MlstreamError, consumerPreset, decodeOrDeadLetter, type DecodedEvent, type Serde } from '@mlstream/kit';
import { writeBatch, type Store, type TableName, type Watermarks } from '@mlstream/materializer';
import { totalOffsets, type PartitionRange } from './range.ts';

export interface ReplayProgress {
  /** Offsets passed (records and transaction markers), of `total`. */
  done: number;
  total: number;
  events: number;
  elapsedMs: number;
  /** Events per second since the start. */
  perSecond: number;
  /** Seconds left at the average rate so far; null before the first offset. */
  etaSeconds: number | null;
}

export interface ReplayOptions {
  kafka: Kafka;
  serde: Serde;
  /** The target database's store (the materializer's own). */
  store: Store;
  ranges: readonly PartitionRange[];
  tablesOf: (topic: string) => readonly TableName[];
  /** Events per partition batch written with one insert per table; default 5 000 (the materializer's). */
  maxEvents?: number;
  onProgress?: (progress: ReplayProgress) => void;
  /** Default 1 000 ms. */
  progressIntervalMs?: number;
  /** Fail when no offset moved for this long; default 60 000 ms. */
  stallTimeoutMs?: number;
}

export interface UndecodableRecord {
  topic: string;
  partition: number;
  offset: number;
  code: string;
}

export interface ReplayRun {
  /** Records read (decoded or not). */
  records: number;
  events: number;
  /** Skipped, as the materializer skips them: their DeadLetter is in the dead-letter topic. */
  undecodable: UndecodableRecord[];
  rows: Partial<Record<TableName, number>>;
  inserts: number;
  elapsedMs: number;
  perSecond: number;
  /** Last record offset read per `topic:partition` (absent when the range held none). */
  lastOffsets: Record<string, number>;
}

interface PartitionState {
  range: PartitionRange;
  tables: readonly TableName[];
  marks: Watermarks;
  /** Next offset to take; records below it were taken already. */
  next: number;
  /** Highest offset passed, markers included (kafkajs END_BATCH_PROCESS). */
  position: number;
  events: DecodedEvent[];
  last: number;
  lock: Promise<unknown>;
}

/** ETA from the average rate so far; pure, for the progress line. */
export function progressOf(done: number, total: number, events: number, elapsedMs: number): ReplayProgress {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? done / seconds : 0;
  return { done, total, events, elapsedMs, perSecond: seconds > 0 ? events / seconds : 0, etaSeconds: rate > 0 ? Math.max(0, (total - done) / rate) : null };
}

/**
 * Reads the ranges with a throwaway consumer group (seeked to each range's
 * start, never committed) and writes them with the materializer's writeBatch:
 * per partition, batches of `maxEvents` in offset order, one insert per table.
 * Per partition at most one batch is being inserted while the next one
 * decodes; eachBatch waits for the insert before handing over another, so
 * Kafka is read no faster than ClickHouse takes it.
 */
export async function replayRanges(options: ReplayOptions): Promise<ReplayRun> {
  const { kafka, serde, store } = options;
  const maxEvents = options.maxEvents ?? 5_000;
  if (maxEvents < 1) throw new TypeError('replayRanges: maxEvents must be positive');
  const key = (topic: string, partition: number) => `${topic}:${partition}`;
  const states = new Map<string, PartitionState>();
  for (const range of options.ranges) {
    const tables = options.tablesOf(range.topic);
    // A fresh database has no rows (all -1); in an existing one rows at or below a table's watermark are skipped, as on a materializer resume.
    const marks = await store.watermarks(range.topic, range.partition, tables);
    states.set(key(range.topic, range.partition), { range, tables, marks, next: range.start, position: range.start, events: [], last: -1, lock: Promise.resolve() });
  }
  const result: ReplayRun = { records: 0, events: 0, undecodable: [], rows: {}, inserts: 0, elapsedMs: 0, perSecond: 0, lastOffsets: {} };
  const total = totalOffsets(options.ranges);
  const passed = () => [...states.values()].reduce((n, s) => n + Math.min(s.range.end, Math.max(s.position, s.next)) - s.range.start, 0);
  const pending = () => [...states.values()].filter((s) => Math.max(s.position, s.next) < s.range.end);
  const started = Date.now();

  // After a failed insert nothing more is written: a later batch of that partition would leave a gap.
  let failed: unknown;
  const flush = (st: PartitionState) => {
    const run = st.lock.then(async () => {
      if (failed !== undefined) throw failed;
      if (!st.events.length && st.last <= st.marks.progress) return;
      const events = st.events;
      st.events = [];
      // The progress hint only where a table falls short of the batch's last offset (a resume needs it
      // there); elsewhere the tables' own watermarks say as much, and a replay has no dashboard to feed.
      const written = await writeBatch(store, st.tables, events, st.marks, st.last, st.range.topic, st.range.partition, { progressDue: () => false });
      result.inserts += written.inserts;
      for (const [table, n] of Object.entries(written.rows) as Array<[TableName, number]>) result.rows[table] = (result.rows[table] ?? 0) + n;
    });
    run.catch((error: unknown) => (failed ??= error));
    st.lock = run.catch(() => {});
    return run;
  };

  const topics = [...new Set(pending().map((s) => s.range.topic))];
  if (topics.length) {
    const admin = kafka.admin();
    const groupId = `mlstream-replay-${randomUUID()}`;
    const consumer = kafka.consumer(consumerPreset({ groupId, maxBytesPerPartition: 4 * 1024 * 1024 }));
    let finish: () => void = () => {};
    let fail: (error: unknown) => void = () => {};
    const finished = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
    const check = () => {
      if (!pending().length) finish();
    };
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const st = states.get(key(payload.topic, payload.partition));
      // Also fires for batches of transaction markers only, so a range ending in a marker still ends.
      if (st) st.position = Math.max(st.position, Number(payload.lastOffset) + 1);
      check();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => fail(payload.error));
    let lastPassed = -1;
    let lastMove = Date.now();
    const stall = options.stallTimeoutMs ?? 60_000;
    const ticker = setInterval(() => {
      const done = passed();
      if (done !== lastPassed) [lastPassed, lastMove] = [done, Date.now()];
      else if (Date.now() - lastMove > stall) fail(new MlstreamError('KAFKA_UNAVAILABLE', `replay made no progress for ${stall} ms (${pending().map((s) => `${s.range.topic}[${s.range.partition}] at ${Math.max(s.position, s.next)} of ${s.range.end}`).join(', ')}); an open transaction or an unreachable broker?`));
      options.onProgress?.(progressOf(done, total, result.events, Date.now() - started));
    }, options.progressIntervalMs ?? 1_000);
    try {
      await admin.connect();
      await consumer.connect();
      for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: 3,
        eachBatch: async ({ batch, heartbeat }) => {
          const st = states.get(key(batch.topic, batch.partition));
          if (!st) return;
          for (const message of batch.messages) {
            const offset = Number(message.offset);
            if (offset < st.next) continue; // before the range start (the seek is not applied yet) or a re-delivery
            if (offset >= st.range.end) break;
            // No observer: the live consumer already dead-lettered what the replay skips.
            const { event, deadLetter } = await decodeOrDeadLetter(serde, { topic: batch.topic, partition: batch.partition, message });
            if (event) {
              st.events.push(event);
              result.events += 1;
            } else {
              result.undecodable.push({ topic: batch.topic, partition: batch.partition, offset, code: deadLetter.error.code });
            }
            result.records += 1;
            st.last = offset;
            st.next = offset + 1;
            if (st.events.length >= maxEvents) {
              // At most one insert in flight per partition (bounded memory); the next batch decodes meanwhile.
              await st.lock;
              flush(st).catch(fail);
              await heartbeat();
            }
          }
        },
      });
      for (const st of pending()) consumer.seek({ topic: st.range.topic, partition: st.range.partition, offset: String(st.range.start) });
      check();
      await finished;
    } finally {
      clearInterval(ticker);
      await consumer.disconnect().catch(() => {});
      await admin.deleteGroups([groupId]).catch(() => {});
      await admin.disconnect().catch(() => {});
    }
  }
  // The tail of every partition (and its progress row), after the consumer stopped: partitions are
  // independent (each keeps its own insert order through its lock), so all at once, not one after the other.
  await Promise.all([...states.values()].map((st) => flush(st)));
  for (const st of states.values()) if (st.last >= 0) result.lastOffsets[key(st.range.topic, st.range.partition)] = st.last;
  result.elapsedMs = Date.now() - started;
  result.perSecond = result.events / Math.max(result.elapsedMs / 1000, 0.001);
  options.onProgress?.(progressOf(passed(), total, result.events, result.elapsedMs));
  return result;
}
