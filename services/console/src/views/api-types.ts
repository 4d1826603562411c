// Shapes of the gateway's analytics answers the registry, model, health and
// drift views read (services/materializer/src/queries). Kept here, type-only,
// so the bundle never pulls server code.

export interface Coordinates {
  topic: string;
  partition: number;
  offset: number;
}

export interface StageChange {
  fromStage: string | null;
  toStage: string;
  at: number;
  actor: string;
  reason: string;
  gate: { metric: string; passed: boolean; candidate: number | null; threshold: number | null } | null;
  source: Coordinates;
}

export interface DatasetLink {
  datasetId: string;
  version: string;
  context: string;
  contentSha256: string | null;
  uri: string | null;
  rowCount: number | null;
  source: Coordinates | null;
}

export interface ModelVersionView {
  model: string;
  version: number;
  currentStage: string;
  aliases: string[];
  registeredAt: number;
  registeredBy: string;
  artifactUri: string;
  description: string;
  stageHistory: StageChange[];
  lineage: {
    runId: string | null;
    run: { experiment: string; name: string; status: string; codeVersion: string; params: Record<string, string>; metrics: Record<string, number> } | null;
    datasets: DatasetLink[];
  };
  source: Coordinates;
}

export interface LatencyQuantiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface HealthPoint {
  version: number;
  bucketStart: number;
  requests: number;
  errors: number;
  errorRate: number;
  latencyMs: LatencyQuantiles;
}

export interface VersionReport {
  version: number;
  requests: number;
  errorRate: number;
  latencyMs: LatencyQuantiles;
  prediction: { mean: number; p10: number; p50: number; p90: number } | null;
  topPredictions: Array<{ value: string; count: number }>;
  labeled: number;
  accuracy: number | null;
  mae: number | null;
}

export interface FeatureDrift {
  feature: string;
  test: string;
  statistic: number;
  pValue: number | null;
  drifted: boolean;
}

export interface DriftPoint {
  version: number;
  windowId: string;
  windowIndex: number;
  windowStart: number;
  windowEnd: number;
  count: number;
  driftedShare: number;
  datasetDrift: boolean;
  features: FeatureDrift[];
  accuracy: number | null;
  mae: number | null;
  eventId: string;
}

export interface DriftDetection {
  version: number;
  windowId: string;
  at: number;
  driftedFeatures: string[];
  measurementIds: string[];
  reason: string;
}

export interface RetrainRequest {
  version: number;
  at: number;
  idempotencyKey: string;
  reason: string;
  requestedBy: string;
  evidenceEventIds: string[];
}

export interface DriftHistory {
  measurements: DriftPoint[];
  detections: DriftDetection[];
  retrains: RetrainRequest[];
}

export type FeatureDistribution =
  | { kind: 'numeric'; edges: number[]; reference: number[] | null; current: number[] }
  | { kind: 'categorical'; categories: string[]; reference: number[] | null; current: number[] };

export interface DriftFeatureDetail {
  model: string;
  version: number;
  windowId: string;
  windowIndex: number;
  windowStart: number;
  windowEnd: number;
  count: number;
  referenceId: string;
  feature: string;
  kind: string;
  test: string;
  statistic: number;
  pValue: number | null;
  threshold: number;
  drifted: boolean;
  eventId: string;
  distribution: FeatureDistribution;
}
