-- Feature skew (issue 20): one row per FeatureSkewMeasured, i.e. per
-- prediction and feature view, with the per-feature comparison as parallel
-- arrays (as drift_measurements keeps its per-feature tests). Skew per
-- feature is an ARRAY JOIN over feature_names / feature_statuses. Same rules
-- as 001: Kafka coordinates on every row, nothing ClickHouse 18.16 lacks.
CREATE TABLE IF NOT EXISTS {{db}}.feature_skew {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  view String, entity_key String, model String, version UInt32, request_id String, prediction_event_id String,
  skewed UInt32,
  feature_names Array(String), feature_statuses Array(String),
  served_numeric Array(Nullable(Float64)), served_categorical Array(Nullable(String)),
  online_numeric Array(Nullable(Float64)), online_categorical Array(Nullable(String)),
  online_event_ms Array(Nullable(UInt64))
) ENGINE = {{engine:MergeTree}} ORDER BY (view, occurred_ms, _partition, _offset);
