import { fileURLToPath } from 'node:url';
import type { Kafka, Producer } from 'kafkajs';
import {
  coPartitionedAssigner,
  createExactlyOnceLoop,
  deadLetterFor,
  decodeOrDeadLetter,
  once,
  readToEnd,
  type ArtifactStore,
  type DecodedEvent,
  type EncodedRecord,
  type Logger,
  type OutgoingRecords,
  type RecordTypes,
  type ResolvedCatalog,
  type Serde,
  type ServiceMetrics,
} from '@mlstream/kit';
import type { PromotionPolicy } from '../domain/evaluation.ts';
import { derivedUuid, isJobEvent, jobIdOf, terminalSteps, type Job, type JobEvent, type JobEventType } from '../domain/jobs.ts';
import type { Executor } from '../executors/index.ts';
import { buildJobSnapshot, type SnapshotDeps } from '../snapshot/build.ts';
import { JobBook } from './book.ts';
import { evaluateOnHoldout, promote, readArtifact, setAlias, snapshotRows, storeModel, trainedModelCommands, type Emit } from './steps.ts';

export interface OrchestratorOptions {
  kafka: Kafka;
  serde: Serde;
  catalog: ResolvedCatalog;
  logger: Logger;
  groupId: string;
  store: ArtifactStore;
  snapshots: SnapshotDeps;
  executor: Executor;
  policy: PromotionPolicy;
  /** A job not finished this long after it opened is timed out. */
  jobTimeoutMs: number;
  /** Run metric the registry's promotion gate reads (the challenger's hold-out accuracy). */
  gateMetric: string;
  metrics?: ServiceMetrics;
  sessionTimeoutMs?: number;
  rebalanceTimeoutMs?: number;
  now?: () => number;
  /** How often open jobs are checked for their timeout; default 1 000 ms. */
  timeoutCheckMs?: number;
}

type JobValue<K extends JobEventType> = Omit<RecordTypes[K], 'eventId' | 'occurredAt' | 'jobId' | 'model' | 'idempotencyKey'>;

/**
 * The retrain orchestrator on kit's exactly-once loop. Its input is three
 * co-partitioned topics keyed by model: retrain requests, its own job events
 * and the registry's events. Each job event it consumes drives the next step
 * of that job, and what the step produces (the next job event, the snapshot's
 * DatasetVersionIngested, run and registry commands with derived ids) commits
 * in ONE transaction with the consumed offset. A crash mid-step aborts the
 * transaction: the same job event is consumed again and the step re-runs
 * (the snapshot is content-addressed, commands are deduplicated by id), so a
 * job resumes and nothing is done twice. One job per idempotency key: the
 * partition's job book is rebuilt from the job topic before anything is handled.
 */
export function createOrchestrator(options: OrchestratorOptions) {
  const { kafka, serde, catalog, groupId, metrics, store, executor, policy } = options;
  const now = options.now ?? Date.now;
  const log = options.logger.child({ group: groupId });
  const jobsTopic = catalog.topic('retrain-jobs');
  let timeoutProducer: Producer | undefined;
  let timer: NodeJS.Timeout | undefined;

  const jobEvent = <K extends JobEventType>(type: K, job: Pick<Job, 'jobId' | 'model' | 'idempotencyKey'>, value: JobValue<K>): JobEvent =>
    ({ type, value: { eventId: derivedUuid(job.jobId, type), occurredAt: now(), jobId: job.jobId, model: job.model, idempotencyKey: job.idempotencyKey, ...value } }) as unknown as JobEvent;

  /** The next step of a job whose latest event was just consumed; returns what to send (job events are applied to the book). */
  async function advance(job: Job, book: JobBook, heartbeat?: () => Promise<void>): Promise<Emit[]> {
    const out: Emit[] = [];
    const emit = (e: JobEvent) => {
      book.apply(e);
      out.push(e);
    };
    const fail = (step: string, error: unknown) => {
      log.warn({ job: job.jobId, step, err: error }, 'orchestrator.job_failed');
      emit(jobEvent('RetrainJobFailed', job, { step, reason: error instanceof Error ? error.message : String(error) }));
    };
    switch (job.step) {
      case 'requested': {
        let built;
        try {
          built = await buildJobSnapshot({ ...options.snapshots, heartbeat }, job);
        } catch (error) {
          fail('snapshot', error);
          break;
        }
        out.push({ type: 'DatasetVersionIngested', value: { eventId: derivedUuid(job.jobId, 'snapshot'), occurredAt: now(), ...built.dataset } });
        if (!built.snapshot.validation.passed) {
          fail('snapshot', new Error(`the snapshot failed validation: ${built.snapshot.validation.checks.filter((c) => !c.passed).map((c) => c.detail).join('; ')}`));
          break;
        }
        emit(
          jobEvent('RetrainJobStarted', job, {
            datasetId: built.dataset.datasetId,
            datasetVersion: built.dataset.version,
            snapshotUri: built.uri,
            snapshotSha256: built.snapshot.sha256,
            rowCount: built.snapshot.rows.length,
            holdoutRows: built.snapshot.holdoutRows,
            labelCutoffMs: built.labelCutoffMs,
            executor: executor.name,
          }),
        );
        break;
      }
      case 'started': {
        const s = job.started!;
        try {
          const outcome = await executor.run({ job, snapshot: { uri: s.snapshotUri, sha256: s.snapshotSha256, path: s.snapshotUri.startsWith('file:') ? fileURLToPath(s.snapshotUri) : null, datasetId: s.datasetId, datasetVersion: s.datasetVersion, rowCount: s.rowCount } });
          if (outcome.kind === 'dispatched') break;
          const stored = await storeModel(store, outcome.model);
          const holdout = evaluateOnHoldout(await snapshotRows(store, job), outcome.model.toString(), policy);
          out.push(...trainedModelCommands(job, { model: stored, params: outcome.params, holdout, gateMetric: options.gateMetric, now: now() }));
          const linked = jobEvent('RetrainJobRunLinked', job, { runId: (out.find((e) => e.type === 'StartRun')!.value as RecordTypes['StartRun']).runId });
          emit(linked);
        } catch (error) {
          fail('execute', error);
        }
        break;
      }
      case 'version_registered': {
        const c = job.challenger!;
        try {
          const model = await readArtifact(store, c.artifactUri, null);
          const e = evaluateOnHoldout(await snapshotRows(store, job), model.toString(), policy);
          out.push(setAlias(job, 'challenger', c.version, `retrain job ${job.jobId}`, now()));
          emit(
            jobEvent('RetrainJobEvaluated', job, {
              challengerVersion: c.version,
              championVersion: job.request.version,
              labeled: e.labeled,
              championAccuracy: e.championAccuracy,
              challengerAccuracy: e.challengerAccuracy,
              onlyChallengerRight: e.onlyChallengerRight,
              onlyChampionRight: e.onlyChampionRight,
              pValue: e.pValue,
              minLabeled: policy.minLabeled,
              margin: policy.margin,
              alpha: policy.alpha,
              decision: e.decision,
              reason: e.reason,
            }),
          );
        } catch (error) {
          fail('evaluate', error);
        }
        break;
      }
      case 'evaluated': {
        const e = job.evaluation!;
        if (e.decision === 'promote') {
          // The registry's own gate checks the same numbers again: the challenger run's hold-out accuracy ≥ champion's + margin.
          out.push(promote(job, e.challengerVersion, { metric: options.gateMetric, threshold: e.championAccuracy + e.margin }, `retrain job ${job.jobId}: ${e.reason}`, now()));
        } else {
          emit(jobEvent('RetrainJobRejected', job, { version: e.challengerVersion, evaluationEventId: e.eventId, reason: e.reason }));
        }
        break;
      }
      case 'run_linked':
      case 'promoted':
      case 'rejected':
      case 'failed':
      case 'timed_out':
        break;
      default: {
        const _exhaustive: never = job.step;
        return _exhaustive;
      }
    }
    return out;
  }

  async function handle(event: DecodedEvent, book: JobBook, heartbeat?: () => Promise<void>): Promise<Emit[]> {
    if (event.type === 'RetrainRequested') {
      const r = event.value;
      const jobId = jobIdOf(r.model, r.idempotencyKey);
      if (book.get(jobId)) {
        log.info({ job: jobId, key: r.idempotencyKey }, 'orchestrator.request_repeated');
        return [];
      }
      const opened = jobEvent('RetrainJobRequested', { jobId, model: r.model, idempotencyKey: r.idempotencyKey }, {
        version: r.version,
        requestEventId: r.eventId,
        requestOccurredAt: r.occurredAt,
        evidenceWindowIds: r.evidence.map((e) => e.windowId),
        evidenceEventIds: r.evidence.map((e) => e.eventId),
        executor: executor.name,
        timeoutMs: options.jobTimeoutMs,
        reason: r.reason,
      });
      book.apply(opened);
      return [opened];
    }
    if (isJobEvent(event)) {
      const job = book.get(event.value.jobId);
      if (!job) return [];
      if (job.lastEventId === event.value.eventId) return advance(job, book, heartbeat);
      // Sent from outside the loop (timeouts): recorded now; a finished job ignores it.
      if (event.type === 'RetrainJobTimedOut') book.apply(event);
      return [];
    }
    if (event.type === 'ModelVersionRegistered') {
      const v = event.value;
      const job = book.get(v.tags?.['mlstream.retrain.job'] ?? '');
      if (!job || (job.step !== 'started' && job.step !== 'run_linked')) return [];
      const out: Emit[] = [];
      if (!job.runId && v.runId) {
        const linked = jobEvent('RetrainJobRunLinked', job, { runId: v.runId });
        book.apply(linked);
        out.push(linked);
      }
      const registered = jobEvent('RetrainJobVersionRegistered', job, { version: v.version, runId: v.runId ?? null, artifactUri: v.artifactUri });
      book.apply(registered);
      out.push(registered);
      return out;
    }
    if (event.type === 'StageTransitioned' && event.value.toStage === 'PRODUCTION') {
      const v = event.value;
      const job = book.jobsAll().find((j) => j.step === 'evaluated' && j.model === v.model && j.evaluation?.decision === 'promote' && j.evaluation.challengerVersion === v.version);
      if (!job) return [];
      const promoted = jobEvent('RetrainJobPromoted', job, { version: v.version, previousVersion: job.evaluation!.championVersion, evaluationEventId: job.evaluation!.eventId });
      book.apply(promoted);
      return [promoted, setAlias(job, 'champion', v.version, `promoted by retrain job ${job.jobId}`, now())];
    }
    return [];
  }

  const encode = (e: Emit): Promise<EncodedRecord> => serde.encode(e.type, e.value as never, { causationId: (e.value as { eventId: string }).eventId });

  const byTopic = (records: EncodedRecord[]): OutgoingRecords[] => {
    const topics = new Map<string, EncodedRecord['message'][]>();
    for (const r of records) topics.set(r.topic, [...(topics.get(r.topic) ?? []), r.message]);
    return [...topics].map(([topic, messages]) => ({ topic, messages }));
  };

  const loop = createExactlyOnceLoop<JobBook>({
    kafka,
    logger: log,
    groupId,
    // Jobs first: a partition's own job events drive its steps.
    topics: [catalog.topic('retrain'), jobsTopic, catalog.topic('registry')],
    consumer: { sessionTimeoutMs: options.sessionTimeoutMs, rebalanceTimeoutMs: options.rebalanceTimeoutMs, assigners: [coPartitionedAssigner] },
    // Small transactions: a step may take seconds (snapshot, training) and a chunk must commit within the 30 s transaction timeout.
    maxBatch: 20,
    metrics,
    async restore(partitions) {
      const books = new Map(partitions.map((p) => [p, new JobBook()]));
      const events: Array<{ partition: number; event: Promise<DecodedEvent> }> = [];
      await readToEnd({ kafka, topic: jobsTopic, partitions, onMessage: (partition, message) => events.push({ partition, event: serde.decode({ topic: jobsTopic, partition, message }) }) });
      for (const { partition, event } of events) {
        const e = await event.catch(() => undefined);
        if (e && isJobEvent(e)) books.get(partition)!.apply(e, true);
      }
      log.info({ partitions, jobs: [...books.values()].reduce((n, b) => n + b.jobs().length, 0) }, 'orchestrator.jobs_restored');
      return books;
    },
    async process({ topic, partition, messages, state: book, heartbeat }) {
      const records: EncodedRecord[] = [];
      for (const message of messages) {
        const decoded = await decodeOrDeadLetter(serde, { topic, partition, message }, { logger: log, metrics });
        if (decoded.deadLetter) {
          records.push(await serde.encode('DeadLetter', deadLetterFor(decoded.deadLetter.record, decoded.deadLetter.error, groupId)));
          continue;
        }
        for (const e of await handle(decoded.event, book, heartbeat)) records.push(await encode(e));
      }
      return byTopic(records);
    },
  });

  /** Open jobs past their timeout get RetrainJobTimedOut (a derived id: sent twice, it is one event). */
  const checkTimeouts = async () => {
    for (const { state: book } of loop.owned()) {
      for (const job of book.jobs()) {
        if (terminalSteps.has(job.step) || now() < job.request.occurredAt + job.request.timeoutMs) continue;
        const event = jobEvent('RetrainJobTimedOut', job, { step: job.step, timeoutMs: job.request.timeoutMs });
        const record = await encode(event);
        await timeoutProducer!.send({ topic: record.topic, acks: -1, messages: [record.message] });
        log.warn({ job: job.jobId, step: job.step }, 'orchestrator.job_timed_out');
      }
    }
  };

  return {
    ready: () => loop.ready(),
    status: () => loop.owned().map(({ partition, state }) => ({ partition, jobs: state.jobs().length, open: state.jobs().filter((j) => !terminalSteps.has(j.step)).length })),
    jobs: (): Job[] => loop.owned().flatMap(({ state }) => state.jobs()),
    async start() {
      timeoutProducer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      await timeoutProducer.connect();
      await loop.start();
      let checking = false;
      timer = setInterval(() => {
        if (checking) return;
        checking = true;
        checkTimeouts()
          .catch((err: unknown) => log.warn({ err }, 'orchestrator.timeout_check_failed'))
          .finally(() => (checking = false));
      }, options.timeoutCheckMs ?? 1_000);
    },
    stop: once(async () => {
      clearInterval(timer);
      await loop.stop();
      await timeoutProducer?.disconnect().catch(() => {});
    }),
  };
}
