import type { Consumer, EachBatchPayload } from 'kafkajs';
import { MlstreamError, consumerPreset, decodeOrDeadLetter, once } from '@mlstream/kit';
import { materializedStreams, tablesOfStream, type TableName } from '../projections/index.ts';
import { isFatalClickHouseError, resumeOffset } from './store.ts';
import type { Materializer, MaterializerOptions, PartitionState } from './types.ts';
import { DEFAULT_DEDUPE_WINDOW, EventIdWindow, dedupedStreams } from './dedupe.ts';
import { DEFAULT_IDLE_MS, DEFAULT_MAX_EVENTS, DEFAULT_MAX_WAIT_MS, PROGRESS_EVERY_MS, flushDue } from './flushing.ts';
import { LeaseLapsedError, writeBatch } from './writer.ts';

/**
 * Kafka → ClickHouse, exactly once without transactions (docs/materializer.md):
 * batches per topic partition, one insert per table per batch with the Kafka
 * coordinates in every row, resume from ClickHouse's own max(_offset) on every
 * assignment, Kafka commits only for lag visibility.
 */
export function createMaterializer(options: MaterializerOptions): Materializer {
  const { kafka, serde, catalog, store, metrics } = options;
  const maxEvents = options.maxEvents ?? DEFAULT_MAX_EVENTS;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const idleMs = Math.min(options.idleMs ?? DEFAULT_IDLE_MS, maxWaitMs);
  const retry = options.retry ?? { initialMs: 250, maxMs: 10_000 };
  if (maxEvents < 1 || maxWaitMs < 1 || idleMs < 1) throw new TypeError('createMaterializer: maxEvents, maxWaitMs and idleMs must be positive');
  if (retry.initialMs > retry.maxMs) throw new TypeError('createMaterializer: retry.initialMs must not exceed retry.maxMs');
  const log = options.logger.child({ group: options.groupId });
  const topics = new Map(materializedStreams.map((s) => [catalog.topic(s), tablesOfStream[s] as readonly TableName[]]));
  const dedupedTopics = new Set(materializedStreams.filter((s) => dedupedStreams.has(s)).map((s) => catalog.topic(s)));
  const dedupeWindow = options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW;
  if (!Number.isInteger(dedupeWindow) || dedupeWindow < 0) throw new TypeError('createMaterializer: dedupeWindow must be 0 (off) or a positive integer');
  // The group lease (docs/materializer.md "Two owners"): inserts only while the last heartbeat is
  // recent enough that the coordinator cannot have handed the partition to another member yet.
  const sessionTimeoutMs = options.sessionTimeoutMs ?? 30_000;
  const leaseMs = sessionTimeoutMs - Math.max(1_000, Math.min(3_000, Math.floor(sessionTimeoutMs / 4)));
  let lastHeartbeat = 0;
  const stillOwner = () => !rebalancing && !stopping && Date.now() - lastHeartbeat < leaseMs;
  const states = new Map<string, PartitionState>();
  let generation = 0;
  let running = false;
  /** Between "the group is rebalancing" and the new assignment: no new inserts, another instance may own the partition next. */
  let rebalancing = false;
  /** The partitions of the current assignment (undefined before the first). */
  let assigned: PartitionState[] | undefined;
  let stopping = false;
  let activeBatches = 0;
  /** Lag-only Kafka commits in flight, one per flush: stop waits for all of them before leaving the group. */
  const commits = new Set<Promise<unknown>>();
  let rejectCrash: (e: Error) => void = () => {};
  const crashed = new Promise<never>((_, reject) => (rejectCrash = reject));
  crashed.catch(() => {});
  const consumer: Consumer = kafka.consumer(
    consumerPreset({ groupId: options.groupId, maxWaitTimeMs: Math.min(500, maxWaitMs), sessionTimeoutMs: options.sessionTimeoutMs, rebalanceTimeoutMs: options.rebalanceTimeoutMs }),
  );

  const stateOf = (topic: string, partition: number): PartitionState => {
    const id = `${topic}:${partition}`;
    let st = states.get(id);
    if (!st) {
      st = { topic, partition, tables: topics.get(topic)!, generation, next: 0, events: [], last: -1, since: 0, lastAt: 0, progressAt: 0, lock: Promise.resolve(), paused: false, flushQueued: false, failures: 0, repeats: 0 };
      states.set(id, st);
    }
    return st;
  };
  const locked = <T>(st: PartitionState, fn: () => Promise<T>): Promise<T> => {
    const run = st.lock.then(fn, fn);
    st.lock = run.catch(() => {});
    return run;
  };

  /**
   * The only way watermarks are read: first fence the partition (no insert of
   * it, by any instance, still running on the server), then read the marks,
   * then seed the eventId window from the rows just below the resume point.
   */
  const readMarks = async (st: PartitionState) => {
    const fence = await store.settle(st.topic, st.partition);
    if (fence.waitedMs > 50 || fence.killed) log.info({ topic: st.topic, partition: st.partition, ...fence }, 'materializer.fenced');
    const marks = await store.watermarks(st.topic, st.partition, st.tables);
    st.window = undefined;
    if (dedupeWindow > 0 && dedupedTopics.has(st.topic)) {
      const from = resumeOffset(marks) - dedupeWindow;
      st.window = new EventIdWindow(dedupeWindow).seed(await store.recentEventIds(st.tables[0]!, st.topic, st.partition, from));
    }
    st.marks = marks;
    return marks;
  };

  /** Reads the watermarks (after any flush in flight has settled) and decides where to resume. */
  const load = (st: PartitionState) =>
    locked(st, async () => {
      await readMarks(st);
      st.next = resumeOffset(st.marks!);
      st.events = [];
      st.last = -1;
      log.info({ topic: st.topic, partition: st.partition, resume: st.next, tables: Object.fromEntries(st.marks!.tables), progress: st.marks!.progress }, 'materializer.resume');
    });

  const pauseForRetry = (st: PartitionState, error: unknown) => {
    st.failures += 1;
    st.marks = undefined; // the failed insert may have landed: re-read before writing again
    const delay = Math.min(retry.maxMs, retry.initialMs * 2 ** (st.failures - 1));
    log.warn({ topic: st.topic, partition: st.partition, failures: st.failures, delayMs: delay, err: error }, 'materializer.clickhouse_retry');
    metrics?.handlerErrors.inc({ topic: st.topic, code: 'CLICKHOUSE_UNAVAILABLE' });
    if (!st.paused) consumer.pause([{ topic: st.topic, partitions: [st.partition] }]);
    st.paused = true;
    clearTimeout(st.timer);
    st.timer = setTimeout(() => void recover(st), delay);
  };

  /** After a backoff: write the buffer again, or (nothing buffered) let the next batch re-read the watermarks. */
  const recover = async (st: PartitionState) => {
    if (st.last >= 0) return flush(st);
    // Never primed in this assignment (ClickHouse was down): prime now, so an idle partition becomes ready too.
    if (st.primed !== generation && assigned?.includes(st) && !(await prime(st))) return;
    st.paused = false;
    consumer.resume([{ topic: st.topic, partitions: [st.partition] }]);
  };

  /** Reads the watermarks for the current assignment and seeks there, whatever offset Kafka had committed. */
  const prime = async (st: PartitionState) => {
    st.generation = generation;
    try {
      await load(st);
    } catch (error) {
      pauseForRetry(st, error);
      return false;
    }
    st.primed = st.generation;
    consumer.seek({ topic: st.topic, partition: st.partition, offset: String(st.next) });
    return true;
  };

  const flush = (st: PartitionState): Promise<void> =>
    locked(st, async () => {
      if (st.last < 0 || !running || rebalancing) return;
      const gen = st.generation;
      // Take the buffer: records keep arriving while the inserts are in flight.
      const events = st.events;
      st.events = [];
      const last = st.last;
      const since = st.since;
      st.since = 0; // the next record to arrive starts the next batch's wait
      const started = process.hrtime.bigint();
      try {
        const marks = st.marks ?? (await readMarks(st));
        const result = await writeBatch(store, st.tables, events, marks, last, st.topic, st.partition, {
          window: st.window,
          stillOwner,
          // The hint for dashboards at most once a second per partition (and on the last flush at stop).
          progressDue: () => stopping || Date.now() - st.progressAt >= PROGRESS_EVERY_MS,
        });
        if (result.progress) st.progressAt = Date.now();
        if (result.repeats) {
          st.repeats += result.repeats;
          log.info({ topic: st.topic, partition: st.partition, repeats: result.repeats }, 'materializer.repeats_dropped');
        }
        if (gen !== st.generation) return;
        if (st.last === last) st.last = -1;
        st.failures = 0;
        metrics?.batchDuration.observe({ topic: st.topic }, Number(process.hrtime.bigint() - started) / 1e9);
        log.debug({ topic: st.topic, partition: st.partition, last, ...result }, 'materializer.flushed');
        if (st.paused) {
          st.paused = false;
          consumer.resume([{ topic: st.topic, partitions: [st.partition] }]);
        }
        // For lag dashboards only: resuming never trusts this offset, so the next insert need not wait for it.
        const commit = consumer.commitOffsets([{ topic: st.topic, partition: st.partition, offset: String(last + 1) }]).catch((err: unknown) => log.warn({ err }, 'materializer.commit_failed'));
        commits.add(commit);
        void commit.finally(() => commits.delete(commit));
      } catch (error) {
        if (gen === st.generation) {
          st.events = events.concat(st.events); // written again after the backoff, above the re-read watermarks
          st.since = since;
        }
        if (isFatalClickHouseError(error)) {
          log.error({ topic: st.topic, partition: st.partition, err: error }, 'materializer.insert_rejected');
          rejectCrash(new MlstreamError('HANDLER_FAILED', `ClickHouse rejected a batch of ${st.topic}[${st.partition}]`, { cause: error }));
          return;
        }
        if (error instanceof LeaseLapsedError) log.warn({ topic: st.topic, partition: st.partition }, 'materializer.lease_lapsed');
        pauseForRetry(st, error);
      }
    });

  const handleBatch = async (payload: EachBatchPayload) => {
    if (stopping) return;
    activeBatches += 1;
    try {
      await consume(payload);
    } finally {
      activeBatches -= 1;
    }
  };

  const consume = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload) => {
    const st = stateOf(batch.topic, batch.partition);
    if (!st.marks || st.generation !== generation) {
      await prime(st);
      return;
    }
    if (st.paused) return;
    // A fetch from beyond our position (Kafka's committed offset, a stale fetch) would leave a gap: go back.
    if (Number((batch as unknown as { fetchedOffset: string }).fetchedOffset) > st.next) {
      consumer.seek({ topic: st.topic, partition: st.partition, offset: String(st.next) });
      return;
    }
    // A rebalance while we await (decode, dead-letter, flush) re-reads the watermarks and
    // resets the buffer; records of this batch must then not be appended after the reset.
    const gen = st.generation;
    const current = () => st.generation === gen && st.marks !== undefined && !st.paused && !stopping;
    const arrived = Date.now();
    let consumed = 0;
    try {
      for (const message of batch.messages) {
        if (!isRunning() || isStale() || !current()) break;
        const offset = Number(message.offset);
        if (offset < st.next) continue;
        // Poison → dead letter, retriable (registry down) → thrown, kafkajs retries the batch; anything else crashes.
        const { event, deadLetter } = await decodeOrDeadLetter(serde, { topic: batch.topic, partition: batch.partition, message }, { logger: log, metrics });
        if (deadLetter) await options.deadLetter(deadLetter.record, deadLetter.error);
        if (!current()) break;
        if (event) st.events.push(event);
        if (st.last < 0 || !st.since) st.since = arrived;
        st.last = offset;
        st.next = offset + 1;
        resolveOffset(message.offset);
        consumed += 1;
        // Insert in the background while the next records decode; the lock keeps inserts in offset order.
        if (st.events.length >= maxEvents) requestFlush(st);
        // Backpressure: never buffer more than a few batches ahead of ClickHouse.
        if (st.events.length >= 3 * maxEvents) await st.lock;
      }
    } finally {
      if (consumed) metrics?.messagesConsumed.inc({ topic: st.topic }, consumed); // once per batch, not per record
    }
    st.lastAt = Date.now();
    metrics?.consumerLag.set({ topic: st.topic, partition: String(st.partition) }, Math.max(0, Number(batch.highWatermark) - st.next));
    await heartbeat();
  };

  /**
   * At most one flush queued or running per partition: records that arrive
   * meanwhile wait in the buffer and go with the next one (a group commit),
   * so a busy partition inserts large blocks and a quiet one small ones, soon.
   */
  function requestFlush(st: PartitionState) {
    if (st.flushQueued) return;
    st.flushQueued = true;
    void flush(st).finally(() => (st.flushQueued = false));
  }

  let ticker: NodeJS.Timeout | undefined;
  /** Adaptive flushing (docs/materializer.md "When a batch is written"): idle for idleMs, or the oldest record maxWaitMs old. */
  const flushIdle = () => {
    const now = Date.now();
    for (const st of states.values()) {
      if (st.last >= 0 && !st.paused && !rebalancing && !st.flushQueued && flushDue(st, now, { idleMs, maxWaitMs })) requestFlush(st);
    }
  };
  const flushAll = () => Promise.all([...states.values()].filter((st) => st.last >= 0 && !st.paused && !rebalancing).map((st) => flush(st)));

  return {
    crashed,
    ready: () => assigned !== undefined && !rebalancing && !stopping && assigned.every((st) => st.primed === generation),
    status: () => [...states.values()].map((s) => ({ topic: s.topic, partition: s.partition, next: s.next, buffered: s.events.length, paused: s.paused, failures: s.failures, repeats: s.repeats })),
    async start() {
      consumer.on(consumer.events.REBALANCING, () => {
        rebalancing = true;
        log.info('materializer.rebalancing');
      });
      consumer.on(consumer.events.HEARTBEAT, () => void (lastHeartbeat = Date.now()));
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        // Every assignment re-reads the watermarks: another instance may have written meanwhile.
        lastHeartbeat = Date.now();
        rebalancing = false;
        generation += 1;
        for (const st of states.values()) {
          clearTimeout(st.timer);
          st.marks = undefined;
          if (st.paused) consumer.resume([{ topic: st.topic, partitions: [st.partition] }]);
          st.paused = false;
        }
        log.info({ assignment: payload.memberAssignment }, 'materializer.assigned');
        // Seek at once, so a partition whose committed offset is ahead of ClickHouse (a rebuilt database) is re-read too.
        assigned = Object.entries(payload.memberAssignment).flatMap(([topic, partitions]) => (topics.has(topic) ? partitions.map((p) => stateOf(topic, p)) : []));
        for (const st of assigned) void prime(st);
      });
      await consumer.connect();
      for (const topic of topics.keys()) await consumer.subscribe({ topic, fromBeginning: true });
      running = true;
      await consumer.run({ autoCommit: false, eachBatchAutoResolve: false, partitionsConsumedConcurrently: 3, eachBatch: handleBatch });
      ticker = setInterval(flushIdle, Math.max(1, Math.min(idleMs, Math.floor(maxWaitMs / 10))));
      log.info({ topics: [...topics.keys()], maxEvents, maxWaitMs, idleMs }, 'materializer.started');
    },
    stop: once(async () => {
      // 1. stop buffering, still a member of the group (leaving first would let another
      //    instance read the watermarks before our last inserts land);
      clearInterval(ticker);
      stopping = true;
      consumer.pause([...topics.keys()].map((topic) => ({ topic })));
      for (let waited = 0; activeBatches > 0 && waited < 10_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
      // 2. flush every buffer (queued inserts first: the per-partition lock keeps the order);
      await flushAll().catch((err: unknown) => log.warn({ err }, 'materializer.final_flush_failed'));
      running = false;
      await Promise.all(commits);
      for (const st of states.values()) clearTimeout(st.timer);
      // 3. then leave the group and disconnect.
      await consumer.disconnect();
      log.info('materializer.stopped');
    }),
  };
}
