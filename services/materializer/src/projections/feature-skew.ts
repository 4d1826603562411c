import type { DecodedEvent } from '@mlstream/kit';
import { baseColumns, type TableRow } from './types.ts';

type SkewEvent = Extract<DecodedEvent, { type: 'FeatureSkewMeasured' }>;

/** One row per prediction and view; the per-feature comparison as parallel arrays (009_feature_skew.sql). */
export function projectFeatureSkew(event: SkewEvent): TableRow[] {
  const v = event.value;
  const f = v.features;
  return [
    {
      table: 'feature_skew',
      row: {
        ...baseColumns(event),
        view: v.view,
        entity_key: v.entityKey,
        model: v.model,
        version: v.version,
        request_id: v.requestId,
        prediction_event_id: v.predictionEventId,
        skewed: v.skewed,
        feature_names: f.map((x) => x.feature),
        feature_statuses: f.map((x) => x.status),
        served_numeric: f.map((x) => x.servedNumeric ?? null),
        served_categorical: f.map((x) => x.servedCategorical ?? null),
        online_numeric: f.map((x) => x.onlineNumeric ?? null),
        online_categorical: f.map((x) => x.onlineCategorical ?? null),
        online_event_ms: f.map((x) => x.onlineEventTime ?? null),
      },
    },
  ];
}
