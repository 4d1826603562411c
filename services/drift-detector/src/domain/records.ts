import type { DataQualityFailed, DataQualityMeasured, DriftDetected, DriftMeasured, LabelObserved, LabelsDropped, PredictionLogged, RetrainRequested } from '@mlstream/kit';

/** What the detector consumes (with its Kafka coordinates) and what it publishes. */
export type DetectorInput =
  | { kind: 'prediction'; value: PredictionLogged; topic: string; partition: number; offset: number }
  | { kind: 'label'; value: LabelObserved; topic: string; partition: number; offset: number };

export type DetectorOutput =
  | { type: 'DriftMeasured'; value: DriftMeasured }
  | { type: 'DriftDetected'; value: DriftDetected }
  | { type: 'RetrainRequested'; value: RetrainRequested }
  | { type: 'DataQualityMeasured'; value: DataQualityMeasured }
  | { type: 'DataQualityFailed'; value: DataQualityFailed }
  | { type: 'LabelsDropped'; value: LabelsDropped };
