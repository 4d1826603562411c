-- Data quality in every prediction window (issue 17, docs/data-quality.md):
-- DataQualityMeasured and DataQualityFailed from mlops.quality.v1, written by
-- the drift detector beside DriftMeasured. Same rules as 001: Kafka
-- coordinates in every row, nothing ClickHouse 18.16 lacks (per-feature
-- figures as parallel arrays, no Map or LowCardinality).

CREATE TABLE IF NOT EXISTS {{db}}.quality_measurements {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, version UInt32, window_id String, window_index UInt64,
  window_start_ms UInt64, window_end_ms UInt64, window_count UInt64,
  drift_measurement_id String, reference_id String,
  score Nullable(Float64), passed UInt8,
  feature_names Array(String), feature_kinds Array(String), feature_present Array(UInt64),
  feature_missing_shares Array(Float64), feature_out_of_range_shares Array(Nullable(Float64)),
  feature_unseen_shares Array(Nullable(Float64)), feature_type_mismatch_shares Array(Float64), feature_constant Array(UInt8),
  missing_features Array(String), extra_features Array(String),
  failure_features Array(String), failure_checks Array(String), failure_observed Array(Float64), failure_thresholds Array(Float64),
  suite_version Nullable(UInt32), expectation_kinds Array(String), expectation_columns Array(String),
  expectation_passed Array(UInt8), expectation_evaluable Array(UInt8), expectation_details Array(String)
) ENGINE = {{engine:MergeTree}} ORDER BY (model, version, window_index, _offset);

CREATE TABLE IF NOT EXISTS {{db}}.quality_failures {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, version UInt32, window_id String, measurement_ids Array(String), reason String, action String,
  consecutive_windows UInt32,
  failure_features Array(String), failure_checks Array(String), failure_observed Array(Float64), failure_thresholds Array(Float64)
) ENGINE = {{engine:MergeTree}} ORDER BY (model, version, occurred_ms, _offset);
