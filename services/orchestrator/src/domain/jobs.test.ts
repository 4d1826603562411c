import { describe, expect, it } from 'vitest';
import { derivedUuid, evolveJob, jobIdOf, type JobEvent } from './jobs.ts';

const common = { jobId: 'job-1', model: 'm', idempotencyKey: 'k' };
const requested: JobEvent = { type: 'RetrainJobRequested', value: { ...common, eventId: 'e1', occurredAt: 1, version: 1, requestEventId: 'r', requestOccurredAt: 1, evidenceWindowIds: [], evidenceEventIds: [], executor: 'local', timeoutMs: 1000, reason: 'drift' } };
const failed: JobEvent = { type: 'RetrainJobFailed', value: { ...common, eventId: 'e2', occurredAt: 2, step: 'snapshot', reason: 'x' } };
const linked: JobEvent = { type: 'RetrainJobRunLinked', value: { ...common, eventId: 'e3', occurredAt: 3, runId: 'run' } };

describe('job lifecycle', () => {
  it('given no job, when requested, then the job is open at its request', () => {
    expect(evolveJob(undefined, requested)).toMatchObject({ step: 'requested', lastEventId: 'e1' });
  });
  it('given an open job, a repeated request does not reopen or move it', () => {
    const job = evolveJob(evolveJob(undefined, requested), linked)!;
    expect(evolveJob(job, { ...requested, value: { ...requested.value, eventId: 'e9' } })).toBe(job);
  });
  it('given a failed job, later events change nothing', () => {
    const job = evolveJob(evolveJob(undefined, requested), failed)!;
    expect(evolveJob(job, linked)).toBe(job);
  });
  it('ids are derived: same inputs, same ids; uuid shaped', () => {
    expect(jobIdOf('m', 'k')).toBe(jobIdOf('m', 'k'));
    expect(jobIdOf('m', 'k')).not.toBe(jobIdOf('m', 'k2'));
    expect(derivedUuid('a', 'b')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
