import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { MlstreamError, consumerPreset, decodeKnownOrDeadLetter, decodeOrDeadLetter, type DecodedEvent, type Serde } from '@mlstream/kit';
import { writeBatch, writeBatchesTogether, type PartitionBatch, type Store, type TableName, type Watermarks } from '@mlstream/materializer';
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
  /**
   * Most events a partition holds decoded while its previous write runs: the
   * largest write (one insert per table) and the memory bound; default 20 000.
   */
  maxEvents?: number;
  /**
   * A partition with no write running starts one once it holds this many
   * events (or its range is read to the end); default 2 000. Writes taken
   * meanwhile grow with the insert latency (group commit), up to maxEvents.
   */
  minEvents?: number;
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
  /** Last offset handed to a write (theirs run one after the other through `lock`). */
  handed: number;
  /** Writes queued or running. */
  writing: number;
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
 * start, never committed) and writes them with the materializer's writeBatch,
 * per partition in offset order, one write after the other (each: one insert
 * per table, the tables at once). A partition starts a write as soon as it
 * has none running and holds `minEvents`, or its range is read to the end, so
 * a small partition is written while the large ones are still being read;
 * events read meanwhile go with its next write. A partition holding
 * `maxEvents` waits for its running write before taking more, so Kafka is
 * read no faster than ClickHouse takes it.
 */
export async function replayRanges(options: ReplayOptions): Promise<ReplayRun> {
  const { kafka, serde, store } = options;
  const maxEvents = options.maxEvents ?? 20_000;
  const minEvents = Math.min(options.minEvents ?? 2_000, maxEvents);
  if (!(maxEvents >= 1 && minEvents >= 1)) throw new TypeError('replayRanges: maxEvents and minEvents must be positive');
  const key = (topic: string, partition: number) => `${topic}:${partition}`;
  const states = new Map<string, PartitionState>();
  // A fresh database has no rows (all -1); in an existing one rows at or below a table's watermark are skipped, as on a materializer resume.
  const marks = await Promise.all(options.ranges.map((range) => store.watermarks(range.topic, range.partition, options.tablesOf(range.topic))));
  options.ranges.forEach((range, i) => {
    states.set(key(range.topic, range.partition), { range, tables: options.tablesOf(range.topic), marks: marks[i]!, next: range.start, position: range.start, events: [], last: -1, handed: -1, writing: 0, lock: Promise.resolve() });
  });
  const result: ReplayRun = { records: 0, events: 0, undecodable: [], rows: {}, inserts: 0, elapsedMs: 0, perSecond: 0, lastOffsets: {} };
  const total = totalOffsets(options.ranges);
  const reached = (s: PartitionState) => Math.max(s.position, s.next) >= s.range.end;
  const passed = () => [...states.values()].reduce((n, s) => n + Math.min(s.range.end, Math.max(s.position, s.next)) - s.range.start, 0);
  const pending = () => [...states.values()].filter((s) => !reached(s));
  const started = Date.now();

  // After a failed insert nothing more is written: a later batch of that partition would leave a gap.
  let failed: unknown;
  const flush = (st: PartitionState) => {
    if (!hasWork(st)) return st.lock;
    const events = st.events;
    const last = st.last;
    st.events = [];
    st.handed = last;
    st.writing += 1;
    const run = st.lock.then(async () => {
      if (failed !== undefined) throw failed;
      // The progress hint only where a table falls short of the batch's last offset (a resume needs it
      // there); elsewhere the tables' own watermarks say as much, and a replay has no dashboard to feed.
      count(await writeBatch(store, st.tables, events, st.marks, last, st.range.topic, st.range.partition, { progressDue: () => false, concurrentTables: true }));
    });
    run.catch((error: unknown) => (failed ??= error));
    st.lock = run.catch(() => {}).finally(() => (st.writing -= 1));
    return run;
  };
  const count = (written: { inserts: number; rows: Partial<Record<TableName, number>> }) => {
    result.inserts += written.inserts;
    for (const [table, n] of Object.entries(written.rows) as Array<[TableName, number]>) result.rows[table] = (result.rows[table] ?? 0) + n;
  };
  let fail: (error: unknown) => void = () => {};
  // Partitions read to the end with no write of their own running are written together: one insert per
  // table for all of them (most partitions hold a handful of events), one write at a time, taking
  // whatever joined while the previous one ran.
  const shared: Array<{ st: PartitionState; batch: PartitionBatch; done: () => void }> = [];
  let sharing = false;
  const writeShared = () => {
    if (sharing || !shared.length) return;
    sharing = true;
    const taken = shared.splice(0);
    const run = (async () => {
      if (failed !== undefined) throw failed;
      count(await writeBatchesTogether(store, taken.map((t) => t.batch), { progressDue: () => false }));
    })();
    run.catch((error: unknown) => {
      failed ??= error;
      fail(error);
    }).finally(() => {
      for (const t of taken) {
        t.st.writing -= 1;
        t.done();
      }
      sharing = false;
      writeShared();
    });
  };
  const share = (st: PartitionState) => {
    const batch: PartitionBatch = { topic: st.range.topic, partition: st.range.partition, tables: st.tables, events: st.events, watermarks: st.marks, lastOffset: st.last };
    st.events = [];
    st.handed = st.last;
    st.writing += 1;
    st.lock = new Promise<void>((done) => shared.push({ st, batch, done }));
    writeShared();
  };
  const hasWork = (st: PartitionState) => st.events.length > 0 || st.last > Math.max(st.handed, st.marks.progress);
  // Group commit: a partition starts a write when it has none running and enough events, or all of its range.
  const flushIfDue = (st: PartitionState) => {
    if (!hasWork(st)) return;
    if (reached(st)) {
      if (st.writing === 0) share(st);
      else flush(st).catch(fail);
    } else if (st.writing === 0 && st.events.length >= minEvents) flush(st).catch(fail);
  };

  const topics = [...new Set(pending().map((s) => s.range.topic))];
  if (topics.length) {
    const admin = kafka.admin();
    const groupId = `mlstream-replay-${randomUUID()}`;
    const consumer = kafka.consumer(consumerPreset({ groupId, maxBytesPerPartition: 4 * 1024 * 1024 }));
    let finish: () => void = () => {};
    const finished = new Promise<void>((resolve, reject) => ((finish = resolve), (fail = reject)));
    const check = () => {
      if (!pending().length) finish();
    };
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      const st = states.get(key(payload.topic, payload.partition));
      // Also fires for batches of transaction markers only, so a range ending in a marker still ends.
      if (st) {
        st.position = Math.max(st.position, Number(payload.lastOffset) + 1);
        flushIfDue(st);
      }
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
            const record = { topic: batch.topic, partition: batch.partition, message };
            const { event, deadLetter } = decodeKnownOrDeadLetter(serde, record) ?? (await decodeOrDeadLetter(serde, record));
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
              // At most one write running per partition and maxEvents waiting (bounded memory).
              if (st.writing > 0) {
                await st.lock;
                await heartbeat();
              }
              flush(st).catch(fail);
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
  // What is left of every partition (and its progress row), after the consumer stopped: partitions are
  // independent (each keeps its own insert order through its lock), so all at once, not one after the other.
  for (const st of states.values()) flushIfDue(st);
  await Promise.all([...states.values()].map((st) => st.lock));
  if (failed !== undefined) throw failed;
  for (const st of states.values()) if (st.last >= 0) result.lastOffsets[key(st.range.topic, st.range.partition)] = st.last;
  result.elapsedMs = Date.now() - started;
  result.perSecond = result.events / Math.max(result.elapsedMs / 1000, 0.001);
  options.onProgress?.(progressOf(passed(), total, result.events, result.elapsedMs));
  return result;
}
