-- MLflow entities (issue 14): experiments, run lifecycle and tag deletions,
-- registered-model and model-version changes, model tags, artifacts and
-- logged models. Same rules as 001: every row carries the Kafka coordinates
-- of its event (_topic, _partition, _offset), times as DateTime + epoch ms,
-- nothing ClickHouse 18.16 lacks (no LowCardinality, DateTime64, Map, TTL).
--
-- Shape: append-only event tables (MergeTree), one row per fact, the current
-- state read with argMax(..., _offset) / LIMIT 1 BY. Events of one entity
-- share a Kafka key, hence one partition, so _offset orders them. Unlike a
-- ReplacingMergeTree this keeps "who deleted what, when" queryable, and a
-- projection never needs the previous state of an entity (a rename does not
-- carry the artifact location, a deletion not the name).

-- One row per experiment event; `event` is the record type without
-- "Experiment" (Created, Renamed, Deleted, Restored, TagsSet). Columns an
-- event does not carry are '' (name, artifact_location, lifecycle_stage).
CREATE TABLE IF NOT EXISTS {{db}}.experiment_events {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64, _version UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  experiment_id String, event String, name String, previous_name String, artifact_location String,
  lifecycle_stage String, actor String, command_id String,
  tag_keys Array(String), tag_values Array(String), removed_tag_keys Array(String)
) ENGINE = {{engine:MergeTree}} ORDER BY (experiment_id, _offset);

-- Experiment tags, one row per set or removed key (deleted = 1); the current
-- tags are the rows with the highest offset per (experiment_id, key) and deleted = 0.
CREATE TABLE IF NOT EXISTS {{db}}.experiment_tags {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  experiment_id String, key String, value String, deleted UInt8, actor String
) ENGINE = {{engine:MergeTree}} ORDER BY (experiment_id, key, _offset);

-- Current state of every experiment that has events (the default experiment
-- '0' and experiments only named by /v1 runs have none).
CREATE VIEW IF NOT EXISTS {{db}}.experiments {{on_cluster}} AS
SELECT experiment_id,
  argMaxIf(name, _offset, name != '') AS name,
  argMaxIf(artifact_location, _offset, artifact_location != '') AS artifact_location,
  argMaxIf(lifecycle_stage, _offset, lifecycle_stage != '') AS lifecycle_stage,
  minIf(occurred_ms, event = 'Created') AS creation_ms,
  max(occurred_ms) AS last_update_ms,
  argMaxIf(actor, _offset, event = 'Created') AS created_by
FROM {{db}}.experiment_events
GROUP BY experiment_id;

-- Run lifecycle: STARTED (with the run's experiment id: RunStarted's, or the
-- one derived from its experiment name), DELETED, RESTORED. The current stage
-- of a run is argMax(lifecycle_stage, _offset).
CREATE TABLE IF NOT EXISTS {{db}}.run_lifecycle {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64, _version UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  run_id String, action String, lifecycle_stage String, experiment_id String, actor String, command_id String
) ENGINE = {{engine:MergeTree}} ORDER BY (run_id, _offset);

-- Tag deletions of runs: a tag is current when its latest run_tags row has a
-- higher offset than its latest deletion (same run, same partition).
CREATE TABLE IF NOT EXISTS {{db}}.run_tag_deletions {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64, _version UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  run_id String, key String, actor String, command_id String
) ENGINE = {{engine:MergeTree}} ORDER BY (run_id, key, _offset);

-- Registered models: Created (with description), Updated (description),
-- Deleted. has_description = 0 when the event carries none.
CREATE TABLE IF NOT EXISTS {{db}}.registered_models {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64, _version UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, event String, description String, has_description UInt8, actor String, reason String, command_id String
) ENGINE = {{engine:MergeTree}} ORDER BY (model, _offset);

-- Model version changes after registration: Updated (description), Deleted.
CREATE TABLE IF NOT EXISTS {{db}}.model_version_changes {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64, _version UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, version UInt32, event String, description String, has_description UInt8, actor String, reason String, command_id String
) ENGINE = {{engine:MergeTree}} ORDER BY (model, version, _offset);

-- Tags of registered models (version = 0) and model versions (version >= 1),
-- one row per set or removed key (deleted = 1), from RegisteredModelCreated
-- and ModelTagsSet. Current tags: highest offset per (model, version, key), deleted = 0.
CREATE TABLE IF NOT EXISTS {{db}}.model_tags {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model String, version UInt32, key String, value String, deleted UInt8, actor String
) ENGINE = {{engine:MergeTree}} ORDER BY (model, version, key, _offset);

-- Every blob stored through the mlflow-artifacts API (ArtifactStored): the
-- bytes are content-addressed, so sha256 + uri reach them from the log.
CREATE TABLE IF NOT EXISTS {{db}}.artifacts {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  path String, experiment_id String, run_id String, logged_model_id String,
  size UInt64, sha256 String, uri String, actor String
) ENGINE = {{engine:MergeTree}} ORDER BY (run_id, logged_model_id, path, _offset);

-- MLflow 3 logged models: one full snapshot per LoggedModelRecorded; the
-- current one is the row with the highest offset per model_id.
CREATE TABLE IF NOT EXISTS {{db}}.logged_models {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  model_id String, experiment_id String, run_id String, name String, artifact_location String,
  status String, model_type String, source String, created_ms UInt64, created_at DateTime,
  param_keys Array(String), param_values Array(String), tag_keys Array(String), tag_values Array(String), actor String
) ENGINE = {{engine:MergeTree}} ORDER BY (model_id, _offset);

-- Per-table progress hint (replaces materializer_progress for resuming): a
-- table added to an already-materialized topic has no row here, so its
-- partition is read again from the start and only that table gets rows
-- (every other table drops what it already holds). See docs/materializer.md.
CREATE TABLE IF NOT EXISTS {{db}}.materializer_table_progress {{on_cluster}} (
  topic String, partition UInt32, table String, offset UInt64, updated_at DateTime
) ENGINE = {{engine:ReplacingMergeTree(offset)}} ORDER BY (topic, partition, table);
