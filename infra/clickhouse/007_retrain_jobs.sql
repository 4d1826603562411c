-- Retrain jobs (issue 18): one row per RetrainJob* event of mlops.retrain-jobs.v1,
-- same rules as 001/003 (Kafka coordinates in every row, DateTime + epoch ms,
-- nothing ClickHouse 18.16 lacks). A job's current state is its row with the
-- highest offset (events of one model share a partition, so _offset orders them).
-- `event` is the record type without "RetrainJob" (Requested, Started, RunLinked,
-- VersionRegistered, Evaluated, Promoted, Rejected, Failed, TimedOut); columns an
-- event does not carry are '' / 0 / NULL. `detail` holds the event's own fields as JSON.
CREATE TABLE IF NOT EXISTS {{db}}.retrain_jobs {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  job_id String, model String, idempotency_key String, event String,
  version Nullable(UInt32), dataset_id String, dataset_version String, snapshot_uri String, row_count Nullable(UInt64),
  run_id String, decision String, reason String, detail String
) ENGINE = {{engine:MergeTree}} ORDER BY (model, job_id, _offset);
