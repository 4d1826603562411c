import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { MlstreamError, createTopicFollower, type Logger, type ResolvedCatalog, type Serde } from '@mlstream/kit';
import { createBarrier } from './barrier.ts';
import { apply, advance, initialViewState } from './fold.ts';
import type { ReadView } from './types.ts';

export interface ReadViewOptions {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
  /** Unique per gateway process; names the follower's throwaway consumer group. Default: random. */
  instanceId?: string;
  /** How long a barrier waits by default before KAFKA_UNAVAILABLE; default 10 000 ms. */
  timeoutMs?: number;
  /** How long `start()` waits for the first catch-up; default 120 000 ms. */
  catchUpTimeoutMs?: number;
  /** Where to register the view's metrics (records applied / skipped, barrier waits, runs held). */
  prometheus?: Registry;
}

export interface FollowedReadView extends ReadView {
  /** Records that could not be decoded and were skipped. */
  skipped(): number;
}

/**
 * The gateway's read view (types.ts): one topic follower over the
 * experiments, runs, registry and artifacts topics feeds the pure fold, and
 * the barrier wakes readers as the fold passes the positions they wait for.
 * A record that does not decode is skipped and counted; it never stops the
 * view (the processors and the materializer dead-letter it).
 */
export function createReadView(options: ReadViewOptions): FollowedReadView {
  const { kafka, serde, catalog, logger } = options;
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (!(timeoutMs > 0)) throw new TypeError(`createReadView: timeoutMs must be a positive number of milliseconds, got ${timeoutMs}`);
  const topics = [catalog.topic('experiments'), catalog.topic('runs'), catalog.topic('registry'), catalog.topic('artifacts'), catalog.topic('feature-definitions')];
  let state = initialViewState();
  const barrier = createBarrier({ applied: (tp) => state.applied.get(tp) ?? 0, timeoutMs });
  let skipped = 0;
  const registers = options.prometheus ? [options.prometheus] : [];
  const records = new Counter({ name: 'mlstream_gateway_view_records_total', help: 'Records the read view folded (applied) or could not decode (skipped)', labelNames: ['topic', 'outcome'], registers });
  const waits = new Histogram({ name: 'mlstream_gateway_view_barrier_seconds', help: 'Time reads waited for the read view to pass the positions they need', buckets: [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5], registers });
  new Gauge({ name: 'mlstream_gateway_view_runs', help: 'Runs held by the read view', registers, collect() { this.set(state.runs.size); } });
  let caughtUp = false;
  let follower: ReturnType<typeof createTopicFollower> | undefined;

  // A fresh follower (and fresh state) per start: a start that failed can be retried without folding anything twice.
  const follow = () => createTopicFollower({
    kafka,
    topics,
    groupId: `${catalog.prefix}mlstream-gateway-view-${options.instanceId ?? 'x'}-${randomUUID().slice(0, 8)}`,
    onBatch: async (batch) => {
      const { topic, partition } = batch;
      const skippedBefore = skipped;
      for (const message of batch.messages) {
        let event;
        try {
          event = serde.decodeKnown({ topic, partition, message }) ?? (await serde.decode({ topic, partition, message }));
        } catch (error) {
          skipped += 1;
          records.inc({ topic, outcome: 'skipped' });
          logger.warn({ err: error, topic, partition, offset: message.offset }, 'read_view.record_skipped');
          advance(state, topic, partition, message.offset);
          continue;
        }
        try {
          apply(state, event);
        } catch (error) {
          skipped += 1;
          logger.error({ err: error, topic, partition, offset: message.offset, type: event.type }, 'read_view.fold_failed');
          advance(state, topic, partition, message.offset);
        }
      }
      records.inc({ topic, outcome: 'applied' }, batch.messages.length - (skipped - skippedBefore));
      // Only records move the view: every position a client can hold names a committed record, never a marker.
      barrier.progressed();
    },
  });

  const byCreation = <T extends { creationTime: number }>(key: (x: T) => string) => (a: T, b: T) => a.creationTime - b.creationTime || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

  return {
    async start() {
      caughtUp = false;
      state = initialViewState();
      skipped = 0;
      follower = follow();
      await follower.start();
      await follower.catchUp(options.catchUpTimeoutMs ?? 120_000);
      caughtUp = true;
      logger.info({ topics, runs: state.runs.size, experiments: state.experiments.size, models: state.models.size, skipped }, 'read_view.caught_up');
    },
    async stop() {
      caughtUp = false;
      barrier.fail(new Error('the view was stopped'));
      await follower?.stop();
      follower = undefined;
    },
    written: (positions) => barrier.written(positions),
    async runStarted(runId, ms, extra = []) {
      if (state.runs.has(runId)) return true;
      if (!follower) throw new MlstreamError('KAFKA_UNAVAILABLE', 'the read view is not reading its topics yet');
      // catchUp's ends are last stable offsets, and the broker writes a commit's markers partition by
      // partition: a StartRun's result can be readable before its RunStarted is (seen once under load).
      // The barrier holds the event offsets of every command this gateway answered, and the client's
      // token, so those are applied before the answer whatever the markers' order.
      await Promise.all([barrier.wait(extra, ms), follower.catchUp(ms)]);
      return state.runs.has(runId);
    },
    async barrier(extra, ms) {
      // Before its first catch-up the view would answer from a partial log: not found is not an answer then.
      if (!caughtUp) throw new MlstreamError('KAFKA_UNAVAILABLE', 'the read view is still reading its topics; the gateway is not ready yet');
      const end = waits.startTimer();
      try {
        await barrier.wait(extra, ms);
      } finally {
        end();
      }
    },
    skipped: () => skipped,

    experiment: (id) => state.experiments.get(id),
    experimentByName(name) {
      const id = state.experimentIds.get(name);
      return id === undefined ? undefined : state.experiments.get(id);
    },
    experiments: () => [...state.experiments.values()].sort(byCreation((e) => e.experimentId)),

    run: (runId) => state.runs.get(runId),
    runs(experimentIds) {
      if (!experimentIds) return [...state.runs.values()];
      const wanted = new Set(experimentIds);
      return [...state.runs.values()].filter((r) => wanted.has(r.experimentId));
    },
    metricHistory: (runId, key) => state.histories.get(runId)?.get(key)?.points() ?? [],

    model: (name) => state.models.get(name),
    models: () => [...state.models.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),

    loggedModel: (id) => state.loggedModels.get(id),
    loggedModels(experimentIds) {
      const all = [...state.loggedModels.values()];
      const wanted = experimentIds && new Set(experimentIds);
      return (wanted ? all.filter((m) => wanted.has(m.experimentId)) : all).sort(byCreation((m) => m.modelId));
    },

    featureCatalog: () => state.features,

    artifact: (path) => state.artifacts.get(path),
    artifactsUnder(prefix) {
      const base = prefix.replace(/\/+$/, '');
      const all = [...state.artifacts.values()];
      const under = base === '' ? all : all.filter((a) => a.path.startsWith(`${base}/`));
      return under.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    },
  };
}
