-- Typed tables, one per kind of fact. Every row carries the Kafka coordinates
-- of the event it came from (_topic, _partition, _offset): the materializer
-- resumes each partition from them, which is what makes the read model
-- exactly-once without transactions (docs/materializer.md).
-- Times: DateTime (seconds, for partitioning and toStartOfMinute) plus the
-- exact epoch milliseconds in a UInt64 (ClickHouse 18.16 has no DateTime64).

CREATE TABLE IF NOT EXISTS {{db}}.datasets {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  dataset_id String, version String, uri String, content_sha256 String, row_count UInt64, producer String,
  feature_names Array(String), feature_types Array(String),
  validation_passed UInt8, check_names Array(String), check_passed Array(UInt8),
  tag_keys Array(String), tag_values Array(String),
  profile_json String
) ENGINE = {{engine:MergeTree}} ORDER BY (dataset_id, version, _offset);

-- Current state of a run: one row per lifecycle event, the latest
-- aggregate version wins (query with FINAL or argMax).
CREATE TABLE IF NOT EXISTS {{db}}.runs {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64, _version UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  run_id String, experiment String, name String, status String, code_version String, actor String,
  start_ms UInt64, start_time DateTime, end_ms UInt64, end_time DateTime
) ENGINE = {{engine:ReplacingMergeTree(_version)}} ORDER BY run_id;

CREATE TABLE IF NOT EXISTS {{db}}.run_params {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  run_id String, key String, value String
) ENGINE = {{engine:MergeTree}} ORDER BY (run_id, key);

CREATE TABLE IF NOT EXISTS {{db}}.run_metrics {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  run_id String, key String, value Float64, step Int64, ts_ms UInt64, timestamp DateTime
) ENGINE = {{engine:MergeTree}} ORDER BY (run_id, key, step, ts_ms);

-- Tags are last-write-wins: the row with the highest offset per (run, key) wins.
CREATE TABLE IF NOT EXISTS {{db}}.run_tags {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  run_id String, key String, value String
) ENGINE = {{engine:ReplacingMergeTree(_offset)}} ORDER BY (run_id, key);

CREATE TABLE IF NOT EXISTS {{db}}.run_inputs {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  run_id String, dataset_id String, dataset_version String, context String
) ENGINE = {{engine:MergeTree}} ORDER BY (run_id, dataset_id, dataset_version);

CREATE TABLE IF NOT EXISTS {{db}}.run_artifacts {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  run_id String, name String, uri String, sha256 String, size Int64
) ENGINE = {{engine:MergeTree}} ORDER BY (run_id, name);

CREATE TABLE IF NOT EXISTS {{db}}.model_versions {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, version UInt32, run_id String, artifact_uri String, artifact_sha256 String,
  description String, initial_stage String, actor String, reason String,
  signature_names Array(String), signature_types Array(String),
  tag_keys Array(String), tag_values Array(String)
) ENGINE = {{engine:MergeTree}} ORDER BY (model, version);

CREATE TABLE IF NOT EXISTS {{db}}.stage_history {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, version UInt32, from_stage String, to_stage String, actor String, reason String, command_id String,
  gate_metric String, gate_passed Nullable(UInt8), gate_candidate Nullable(Float64), gate_threshold Nullable(Float64)
) ENGINE = {{engine:MergeTree}} ORDER BY (model, version, occurred_ms, _offset);

-- Alias history; the current target is the row with the highest offset per (model, alias).
CREATE TABLE IF NOT EXISTS {{db}}.aliases {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, alias String, action String, version UInt32, previous_version Nullable(UInt32), actor String, reason String
) ENGINE = {{engine:MergeTree}} ORDER BY (model, alias, _offset);

CREATE TABLE IF NOT EXISTS {{db}}.predictions {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  request_id String, model String, version UInt32, latency_ms Float64, is_error UInt8, error String,
  prediction String, prediction_num Nullable(Float64),
  numeric_keys Array(String), numeric_values Array(Float64),
  categorical_keys Array(String), categorical_values Array(String),
  probability_keys Array(String), probability_values Array(Float64)
) ENGINE = {{engine:MergeTree}} PARTITION BY toYYYYMM(occurred_at) ORDER BY (model, version, occurred_at, request_id);

CREATE TABLE IF NOT EXISTS {{db}}.labels {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  request_id String, model String, label String, label_num Nullable(Float64)
) ENGINE = {{engine:MergeTree}} PARTITION BY toYYYYMM(occurred_at) ORDER BY (model, request_id);

CREATE TABLE IF NOT EXISTS {{db}}.drift_measurements {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, version UInt32, window_id String, window_index UInt64, window_kind String,
  window_start_ms UInt64, window_end_ms UInt64, window_count UInt64, reference_id String,
  drifted_share Float64, dataset_drift UInt8,
  feature_names Array(String), feature_kinds Array(String), feature_tests Array(String),
  feature_statistics Array(Float64), feature_p_values Array(Nullable(Float64)), feature_thresholds Array(Float64), feature_drifted Array(UInt8),
  prediction_drift_statistic Nullable(Float64), prediction_drifted Nullable(UInt8),
  label_drift_statistic Nullable(Float64), label_drifted Nullable(UInt8),
  labeled UInt64, accuracy Nullable(Float64), f1 Nullable(Float64), mae Nullable(Float64), rmse Nullable(Float64), concept_drift UInt8
) ENGINE = {{engine:MergeTree}} ORDER BY (model, version, window_index, _offset);

CREATE TABLE IF NOT EXISTS {{db}}.drift_detections {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, version UInt32, window_id String, measurement_ids Array(String), drifted_features Array(String), reason String,
  consecutive_windows UInt32, cooldown_ms UInt64, dataset_drift_share Float64
) ENGINE = {{engine:MergeTree}} ORDER BY (model, version, occurred_ms, _offset);

CREATE TABLE IF NOT EXISTS {{db}}.retrain_requests {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, version UInt32, idempotency_key String, reason String, requested_by String,
  evidence_event_ids Array(String), evidence_window_ids Array(String), evidence_drifted_shares Array(Float64),
  consecutive_windows UInt32, cooldown_ms UInt64, dataset_drift_share Float64
) ENGINE = {{engine:MergeTree}} ORDER BY (model, version, occurred_ms, _offset);

CREATE TABLE IF NOT EXISTS {{db}}.dead_letters {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  source_topic String, source_partition UInt32, source_offset UInt64,
  error_code String, reason String, consumer String,
  key_base64 String, value_base64 String, value_bytes UInt64, header_keys Array(String)
) ENGINE = {{engine:MergeTree}} ORDER BY (source_topic, source_partition, source_offset, _offset);

CREATE TABLE IF NOT EXISTS {{db}}.command_results {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  command_id String, command_type String, aggregate String, aggregate_id String, outcome String,
  aggregate_version Nullable(UInt64), error_code String, message String, event_count UInt32, source_offset UInt64
) ENGINE = {{engine:MergeTree}} ORDER BY (aggregate, aggregate_id, _offset);

-- A speed hint, not a source of truth: the last offset whose rows reached
-- every table of its topic. Resuming never trusts it beyond what the tables
-- themselves prove (docs/materializer.md, "exactly once").
CREATE TABLE IF NOT EXISTS {{db}}.materializer_progress {{on_cluster}} (
  topic String, partition UInt32, offset UInt64, updated_at DateTime
) ENGINE = {{engine:ReplacingMergeTree(offset)}} ORDER BY (topic, partition);
