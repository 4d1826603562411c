import type { TransactionalState } from '@mlstream/kit';
import { evolveJob, type Job, type JobEvent } from '../domain/jobs.ts';

/** The jobs of one owned partition, with the changes of the transaction in flight kept apart until it commits. */
export class JobBook implements TransactionalState {
  private readonly committed = new Map<string, Job>();
  private staged = new Map<string, Job>();

  get(jobId: string): Job | undefined {
    return this.staged.get(jobId) ?? this.committed.get(jobId);
  }

  /** Applies an event emitted in this transaction (or, in `restore`, a committed one). */
  apply(event: JobEvent, committed = false): void {
    const job = evolveJob(this.get(event.value.jobId), event);
    if (job) (committed ? this.committed : this.staged).set(job.jobId, job);
  }

  /** Committed jobs (what timeouts and status look at). */
  jobsAll(): Job[] {
    return [...new Map([...this.committed, ...this.staged]).values()];
  }

  jobs(): Job[] {
    return [...this.committed.values()];
  }

  commit(): void {
    for (const [id, job] of this.staged) this.committed.set(id, job);
    this.staged = new Map();
  }

  rollback(): void {
    this.staged = new Map();
  }
}
