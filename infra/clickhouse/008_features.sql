-- Feature store (issue 20, docs/features.md): every FeatureValuesLogged of
-- mlops.features.v1, one row per record, append-only. Same rules as 001: the
-- Kafka coordinates of the record (_topic, _partition, _offset), event time as
-- DateTime + epoch ms, nothing ClickHouse 18.16 lacks (no Map, DateTime64,
-- LowCardinality, TTL), so values are parallel key/value arrays like the
-- predictions table. numeric_exact repeats numeric_values as the shortest
-- decimal text that reads back to the same double: 18.16's text parser is not
-- correctly rounded (3.53 lands one ulp off), and a training set must return
-- exactly the value that was logged. Retrieval reads numeric_exact;
-- numeric_values is there for SQL arithmetic.
--
-- Point-in-time retrieval (queries/features.ts) joins entity rows to this
-- table on entity_key and keeps, per row, the record with the greatest
-- (occurred_ms, _partition, _offset) at or before the row's time and within
-- the view's TTL. One key (<view>|<entity key>) lives in one partition, so
-- _offset is the log order that breaks ties on event time. The sort key puts a
-- view's entity together, in event-time order, which is the range that join reads.
CREATE TABLE IF NOT EXISTS {{db}}.feature_values {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  view String, view_version UInt32, entity_key String,
  numeric_keys Array(String), numeric_values Array(Float64), numeric_exact Array(String),
  categorical_keys Array(String), categorical_values Array(String)
) ENGINE = {{engine:MergeTree}} PARTITION BY toYYYYMM(occurred_at) ORDER BY (view, entity_key, occurred_ms, _partition, _offset);
