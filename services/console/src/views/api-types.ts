// Shapes of the gateway's analytics answers the registry, model, health and
// drift views read. They are the materializer's own query types, imported
// type-only: esbuild erases the import, so the bundle never pulls server code
// and the two can never drift apart.
import type { DriftDetection, DriftPoint, QualityAlert, QualityPoint, RetrainRequest } from '@mlstream/materializer';

export type {
  Coordinates,
  StageChange,
  DatasetLink,
  ModelVersionView,
  LatencyQuantiles,
  HealthPoint,
  VersionReport,
  DriftPoint,
  DriftDetection,
  RetrainRequest,
  FeatureDistribution,
  DriftFeatureDetail,
} from '@mlstream/materializer';

export type FeatureDrift = DriftPoint['features'][number];

/** `GET /v1/models/:model/quality`: what the materializer's qualityHistory answers. */
export interface QualityHistory {
  measurements: QualityPoint[];
  failures: QualityAlert[];
}

/** `GET /v1/models/:model/drift`: what the materializer's driftHistory answers. */
export interface DriftHistory {
  measurements: DriftPoint[];
  detections: DriftDetection[];
  retrains: RetrainRequest[];
}
