import { createHash } from 'node:crypto';
import type { RecordTypes } from '@mlstream/kit';

export const jobEventTypes = ['RetrainJobRequested', 'RetrainJobStarted', 'RetrainJobRunLinked', 'RetrainJobVersionRegistered', 'RetrainJobEvaluated', 'RetrainJobPromoted', 'RetrainJobRejected', 'RetrainJobFailed', 'RetrainJobTimedOut'] as const;
export type JobEventType = (typeof jobEventTypes)[number];
export type JobEvent = { [K in JobEventType]: { type: K; value: RecordTypes[K] } }[JobEventType];

export type JobStep = 'requested' | 'started' | 'run_linked' | 'version_registered' | 'evaluated' | 'promoted' | 'rejected' | 'failed' | 'timed_out';
export const terminalSteps: ReadonlySet<JobStep> = new Set(['promoted', 'rejected', 'failed', 'timed_out']);

/** A job as its events made it: the orchestrator's state and `GET …/retrain-jobs`' shape. */
export interface Job {
  jobId: string;
  model: string;
  idempotencyKey: string;
  step: JobStep;
  /** eventId of the job's latest event: only that event drives the next step. */
  lastEventId: string;
  request: RecordTypes['RetrainJobRequested'];
  started?: RecordTypes['RetrainJobStarted'];
  runId?: string;
  challenger?: RecordTypes['RetrainJobVersionRegistered'];
  evaluation?: RecordTypes['RetrainJobEvaluated'];
}

/** The job id of a request: the same model and idempotency key always give the same job. */
export const jobIdOf = (model: string, idempotencyKey: string): string => `job-${createHash('sha256').update(`${model}\u0000${idempotencyKey}`).digest('hex').slice(0, 20)}`;

/** A UUID derived from its parts: an event re-emitted after a crash has the same id (consumers deduplicate on it). */
export function derivedUuid(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const stepOf: { [K in JobEventType]: JobStep } = {
  RetrainJobRequested: 'requested',
  RetrainJobStarted: 'started',
  RetrainJobRunLinked: 'run_linked',
  RetrainJobVersionRegistered: 'version_registered',
  RetrainJobEvaluated: 'evaluated',
  RetrainJobPromoted: 'promoted',
  RetrainJobRejected: 'rejected',
  RetrainJobFailed: 'failed',
  RetrainJobTimedOut: 'timed_out',
};

/**
 * Pure: a job after one more of its events. Nothing changes a finished job
 * (a late or repeated event after promoted / rejected / failed / timed out is
 * ignored), and a repeated RetrainJobRequested never reopens one.
 */
export function evolveJob(job: Job | undefined, event: JobEvent): Job | undefined {
  if (event.type === 'RetrainJobRequested') {
    if (job) return job;
    const v = event.value;
    return { jobId: v.jobId, model: v.model, idempotencyKey: v.idempotencyKey, step: 'requested', lastEventId: v.eventId, request: v };
  }
  if (!job || terminalSteps.has(job.step)) return job;
  const next: Job = { ...job, step: stepOf[event.type], lastEventId: event.value.eventId };
  switch (event.type) {
    case 'RetrainJobStarted':
      return { ...next, started: event.value };
    case 'RetrainJobRunLinked':
      return { ...next, runId: event.value.runId };
    case 'RetrainJobVersionRegistered':
      return { ...next, challenger: event.value, runId: event.value.runId ?? job.runId };
    case 'RetrainJobEvaluated':
      return { ...next, evaluation: event.value };
    case 'RetrainJobPromoted':
    case 'RetrainJobRejected':
    case 'RetrainJobFailed':
    case 'RetrainJobTimedOut':
      return next;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

/** Jobs of one partition: by id and by (model, idempotency key). */
export interface JobBook {
  jobs: Map<string, Job>;
}

export const emptyBook = (): JobBook => ({ jobs: new Map() });

export function applyToBook(book: JobBook, event: JobEvent): void {
  const job = evolveJob(book.jobs.get(event.value.jobId), event);
  if (job) book.jobs.set(job.jobId, job);
}

export const isJobEvent = (e: { type: string }): e is JobEvent => (jobEventTypes as readonly string[]).includes(e.type);
