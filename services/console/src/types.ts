// The shapes of the gateway reads the console uses (services/gateway/src/api/schemas/reads.ts).

export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

export interface KafkaPosition {
  topic: string;
  partition: number;
  offset: string | number;
}

export interface Run {
  runId: string;
  experimentId: string;
  runName: string;
  status: 'RUNNING' | 'FINISHED' | 'FAILED' | 'KILLED';
  startTime: number;
  endTime: number | null;
  lifecycleStage: 'active' | 'deleted';
  userId: string;
  artifactUri: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  latestMetrics: Record<string, MetricPoint>;
  inputs: Array<{ datasetId: string; version: string; context: string }>;
  codeVersion: string | null;
  loggedModelIds: string[];
  startedAt: KafkaPosition;
  version: number;
}

export interface Experiment {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: 'active' | 'deleted';
  tags: Record<string, string>;
  creationTime: number;
  lastUpdateTime: number;
  explicit: boolean;
}

/** One event of an SSE stream's data (services/gateway/src/api/streams.ts). */
export interface StreamEvent<V = Record<string, unknown>> {
  type: string;
  topic: string;
  partition: number;
  offset: string | number;
  value: V;
}

/** X-Mlstream-Consistency for reading after a streamed event. */
export const consistencyOf = (e: Pick<StreamEvent, 'topic' | 'partition' | 'offset'>): Record<string, string> => ({ 'x-mlstream-consistency': `${e.topic}:${e.partition}:${e.offset}` });
