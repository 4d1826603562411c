import type { DecodedEvent, QualityFailure } from '@mlstream/kit';
import { baseColumns, type TableRow } from './types.ts';

type QualityEvent = Extract<DecodedEvent, { type: 'DataQualityMeasured' | 'DataQualityFailed' }>;

const failureColumns = (failures: readonly QualityFailure[]) => ({
  failure_features: failures.map((f) => f.feature),
  failure_checks: failures.map((f) => f.check),
  failure_observed: failures.map((f) => f.observed),
  failure_thresholds: failures.map((f) => f.threshold),
});

/** Rows of the quality stream: one per window measured, one per DataQualityFailed. */
export function projectQuality(event: QualityEvent): TableRow[] {
  const base = baseColumns(event);
  switch (event.type) {
    case 'DataQualityMeasured': {
      const v = event.value;
      const f = v.features;
      const e = v.expectations ?? [];
      return [
        {
          table: 'quality_measurements',
          row: {
            ...base,
            model: v.model,
            version: v.version,
            window_id: v.window.id,
            window_index: v.window.index,
            window_start_ms: v.window.start,
            window_end_ms: v.window.end,
            window_count: v.window.count,
            drift_measurement_id: v.driftMeasurementId,
            reference_id: v.referenceId ?? '',
            score: v.score ?? null,
            passed: v.passed ? 1 : 0,
            feature_names: f.map((x) => x.feature),
            feature_kinds: f.map((x) => x.kind),
            feature_present: f.map((x) => x.present),
            feature_missing_shares: f.map((x) => x.missingShare),
            feature_out_of_range_shares: f.map((x) => x.outOfRangeShare ?? null),
            feature_unseen_shares: f.map((x) => x.unseenShare ?? null),
            feature_type_mismatch_shares: f.map((x) => x.typeMismatchShare),
            feature_constant: f.map((x) => (x.constant ? 1 : 0)),
            missing_features: v.missingFeatures,
            extra_features: v.extraFeatures,
            ...failureColumns(v.failures),
            suite_version: v.suiteVersion ?? null,
            expectation_kinds: e.map((x) => x.kind),
            expectation_columns: e.map((x) => x.column ?? ''),
            expectation_passed: e.map((x) => (x.passed ? 1 : 0)),
            expectation_evaluable: e.map((x) => (x.evaluable ? 1 : 0)),
            expectation_details: e.map((x) => x.detail),
          },
        },
      ];
    }
    case 'DataQualityFailed': {
      const v = event.value;
      return [
        {
          table: 'quality_failures',
          row: {
            ...base,
            model: v.model,
            version: v.version,
            window_id: v.windowId,
            measurement_ids: v.measurementIds,
            reason: v.reason,
            action: v.action,
            consecutive_windows: v.consecutiveWindows,
            ...failureColumns(v.failures),
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
