import type { Job } from '../domain/jobs.ts';

/** What an executor learns about the job it runs. */
export interface ExecutorJob {
  job: Job;
  snapshot: { uri: string; sha256: string; path: string | null; datasetId: string; datasetVersion: string; rowCount: number };
}

/**
 * How a retrain job is run. `local` trains now and hands back the model file;
 * `webhook` dispatches to CI and returns nothing: CI registers the version
 * itself, tagged `mlstream.retrain.job=<jobId>`, and the orchestrator sees it
 * on the registry topic.
 */
export type ExecutorOutcome = { kind: 'trained'; model: Buffer; params: Record<string, string> } | { kind: 'dispatched' };

export interface Executor {
  name: 'local' | 'webhook';
  run(input: ExecutorJob): Promise<ExecutorOutcome>;
}
