-- Expectation suites and the platform's dataset validations (issue 17).
-- Same rules as 001: every row carries the Kafka coordinates of its event,
-- times as DateTime + epoch ms, nothing ClickHouse 18.16 lacks.

-- One row per suite version (ExpectationSuiteDeclared). The suite in force for
-- a subject at time T is the row with the highest version and occurred_ms <= T;
-- `expectations_json` is the suite as the API takes it.
CREATE TABLE IF NOT EXISTS {{db}}.expectation_suites {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  subject String, suite_version UInt32, expectation_names Array(String), expectations_json String,
  reason String, actor String, command_id String
) ENGINE = {{engine:MergeTree}} ORDER BY (subject, suite_version, _offset);

-- One row per DatasetValidated, per-expectation results as parallel arrays.
-- observed values are exact numbers (result_observed_values) or, when only a
-- bound, a type or a presence is known, text (result_observed_texts).
CREATE TABLE IF NOT EXISTS {{db}}.dataset_validations {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  dataset_id String, version String, ingestion_event_id String, ingestion_partition UInt32, ingestion_offset UInt64,
  suite_version Nullable(UInt32), reference_version Nullable(String), verdict String, passed UInt8,
  producer_passed UInt8, producer_disagrees UInt8,
  result_names Array(String), result_kinds Array(String), result_columns Array(String),
  result_passed Array(UInt8), result_evaluable Array(UInt8),
  result_observed_values Array(Nullable(Float64)), result_observed_texts Array(String), result_details Array(String)
) ENGINE = {{engine:MergeTree}} ORDER BY (dataset_id, version, _offset);
