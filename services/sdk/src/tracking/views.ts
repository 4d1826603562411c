/** What the gateway's `/v1` entity reads answer (services/gateway/src/views/types.ts). */
export interface Position {
  topic: string;
  partition: number;
  offset: string | number;
}

export interface MetricPoint {
  key: string;
  value: number;
  step: number;
  timestamp: number;
}

export interface RunView {
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
  startedAt: Position;
  version: number;
}

export interface ExperimentView {
  experimentId: string;
  name: string;
  artifactLocation: string;
  lifecycleStage: 'active' | 'deleted';
  tags: Record<string, string>;
  creationTime: number;
  lastUpdateTime: number;
  explicit: boolean;
}

export interface RunSearchOptions {
  /** MLflow filter, e.g. `metrics.acc > 0.9 and params.lr = '0.01'`. */
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  runViewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
}
