import { describe, expect, it } from 'vitest';
import type { Job, JobEvent } from '../domain/jobs.ts';
import { JobBook } from './book.ts';
import { promote, trainedModelCommands } from './steps.ts';

const requested: JobEvent = {
  type: 'RetrainJobRequested',
  value: { eventId: 'e1', occurredAt: 1, jobId: 'job-1', model: 'churn', idempotencyKey: 'k', version: 1, requestEventId: 'r', requestOccurredAt: 1, evidenceWindowIds: [], evidenceEventIds: [], executor: 'local', timeoutMs: 1000, reason: 'drift' },
};
const started: JobEvent = {
  type: 'RetrainJobStarted',
  value: { eventId: 'e2', occurredAt: 2, jobId: 'job-1', model: 'churn', idempotencyKey: 'k', datasetId: 'retrain-churn', datasetVersion: 'job-1', snapshotUri: 'file:///s', snapshotSha256: 's'.repeat(64), rowCount: 100, holdoutRows: 30, labelCutoffMs: 5, executor: 'local' },
};

describe('a step re-run after a crash', () => {
  const job = (() => {
    const book = new JobBook();
    book.apply(requested, true);
    book.apply(started, true);
    return book.get('job-1') as Job;
  })();
  const holdout = { labeled: 30, championAccuracy: 0.4, challengerAccuracy: 0.7, onlyChallengerRight: 10, onlyChampionRight: 1, pValue: 0.006, decision: 'promote' as const, reason: '' };

  it('sends the same command ids and run id, so the processors answer the first outcome instead of applying them twice', () => {
    const first = trainedModelCommands(job, { model: { sha256: 'm'.repeat(64), uri: 'file:///m' }, params: {}, holdout, gateMetric: 'holdout_accuracy', now: 10 });
    const again = trainedModelCommands(job, { model: { sha256: 'm'.repeat(64), uri: 'file:///m' }, params: {}, holdout, gateMetric: 'holdout_accuracy', now: 99 });
    const ids = (emits: typeof first) => emits.map((e) => [e.type, (e.value as { commandId: string }).commandId, (e.value as { runId?: string }).runId]);
    expect(ids(again)).toEqual(ids(first));
    expect(first.map((e) => e.type)).toEqual(['StartRun', 'LogParams', 'LogInputs', 'LogMetrics', 'FinishRun', 'RegisterModelVersion']);
    expect(first.at(-1)!.value).toMatchObject({ model: 'churn', artifactSha256: 'm'.repeat(64), tags: { 'mlstream.retrain.job': 'job-1' } });
  });

  it('promotes behind the registry gate: the run metric must reach the champion accuracy plus the margin', () => {
    expect(promote(job, 2, { metric: 'holdout_accuracy', threshold: 0.42 }, 'why', 1).value).toMatchObject({ version: 2, toStage: 'PRODUCTION', archivePrevious: true, gate: { metric: 'holdout_accuracy', comparator: 'GTE', threshold: 0.42, beatProduction: false } });
  });
});

describe('JobBook', () => {
  it('keeps a transaction’s events apart until commit, and drops them on rollback', () => {
    const book = new JobBook();
    book.apply(requested);
    expect(book.get('job-1')?.step).toBe('requested');
    expect(book.jobs()).toEqual([]);
    book.rollback();
    expect(book.get('job-1')).toBeUndefined();
    book.apply(requested);
    book.commit();
    expect(book.jobs().map((j) => j.jobId)).toEqual(['job-1']);
  });
});
