import type { DecodedEvent, FeatureDrift } from '@mlstream/kit';
import { baseColumns, type TableRow } from './types.ts';

type DriftEvent = Extract<DecodedEvent, { type: 'DriftMeasured' | 'DriftDetected' | 'RetrainRequested' }>;

const flag = (f: FeatureDrift | null | undefined): number | null => (f ? (f.drifted ? 1 : 0) : null);

export function projectDrift(event: DriftEvent): TableRow[] {
  const base = baseColumns(event);
  switch (event.type) {
    case 'DriftMeasured': {
      const v = event.value;
      const f = v.features;
      const p = v.performance;
      return [
        {
          table: 'drift_measurements',
          row: {
            ...base,
            model: v.model,
            version: v.version,
            window_id: v.window.id,
            window_index: v.window.index,
            window_kind: v.window.kind,
            window_start_ms: v.window.start,
            window_end_ms: v.window.end,
            window_count: v.window.count,
            reference_id: v.referenceId,
            drifted_share: v.driftedShare,
            dataset_drift: v.datasetDrift ? 1 : 0,
            feature_names: f.map((x) => x.feature),
            feature_kinds: f.map((x) => x.kind),
            feature_tests: f.map((x) => x.test),
            feature_statistics: f.map((x) => x.statistic),
            // Distance tests (Wasserstein, Jensen-Shannon) have no p-value.
            feature_p_values: f.map((x) => x.pValue ?? null),
            feature_thresholds: f.map((x) => x.threshold),
            feature_drifted: f.map((x) => (x.drifted ? 1 : 0)),
            prediction_drift_statistic: v.predictionDrift?.statistic ?? null,
            prediction_drifted: flag(v.predictionDrift),
            label_drift_statistic: v.labelDrift?.statistic ?? null,
            label_drifted: flag(v.labelDrift),
            labeled: p?.labeled ?? 0,
            accuracy: p?.accuracy ?? null,
            f1: p?.f1 ?? null,
            mae: p?.mae ?? null,
            rmse: p?.rmse ?? null,
            concept_drift: p?.conceptDrift ? 1 : 0,
          },
        },
      ];
    }
    case 'DriftDetected': {
      const v = event.value;
      return [
        {
          table: 'drift_detections',
          row: {
            ...base,
            model: v.model,
            version: v.version,
            window_id: v.windowId,
            measurement_ids: v.measurementIds,
            drifted_features: v.driftedFeatures,
            reason: v.reason,
            consecutive_windows: v.policy.consecutiveWindows,
            cooldown_ms: v.policy.cooldownMs,
            dataset_drift_share: v.policy.datasetDriftShare,
          },
        },
      ];
    }
    case 'RetrainRequested': {
      const v = event.value;
      return [
        {
          table: 'retrain_requests',
          row: {
            ...base,
            model: v.model,
            version: v.version,
            idempotency_key: v.idempotencyKey,
            reason: v.reason,
            requested_by: v.requestedBy,
            evidence_event_ids: v.evidence.map((e) => e.eventId),
            evidence_window_ids: v.evidence.map((e) => e.windowId),
            evidence_drifted_shares: v.evidence.map((e) => e.driftedShare),
            consecutive_windows: v.policy.consecutiveWindows,
            cooldown_ms: v.policy.cooldownMs,
            dataset_drift_share: v.policy.datasetDriftShare,
          },
        },
      ];
    }
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
