/** What the gateway answers for an applied command. */
export interface CommandResult {
  commandId: string;
  aggregateId: string;
  /** Version after the command; pass it as `expectedVersion` for optimistic concurrency. */
  aggregateVersion: number;
  events: Array<{ type: string; eventId: string; topic: string; partition: number; offset: number | null }>;
}

export interface Metric {
  key: string;
  value: number;
  step?: number;
  /** Epoch ms; default: when the gateway received it. */
  timestamp?: number;
}

export type RunStatus = 'FINISHED' | 'FAILED' | 'KILLED';

/** MLflow's limits, which the gateway enforces: batches are split to fit. */
export const batchLimits = { metrics: 1000, params: 100, tags: 100, inputs: 100 } as const;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
