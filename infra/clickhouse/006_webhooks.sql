-- Webhook deliveries (issue 18, docs/webhooks.md): one row per delivery
-- attempt (kind 'attempt', outcome delivered | failed) and one per delivery
-- given up after the allowed attempts (kind 'dead_letter'). Same rules as
-- 001: every row carries the Kafka coordinates of its event, times as
-- DateTime + epoch ms, nothing ClickHouse 18.16 lacks. Subscriptions
-- themselves (and their secrets) are never materialized.
CREATE TABLE IF NOT EXISTS {{db}}.webhook_deliveries {{on_cluster}} (
  _topic String, _partition UInt32, _offset UInt64,
  event_id String, occurred_at DateTime, occurred_ms UInt64,
  subscription_id String, kind String, delivery_id String, url String,
  source_topic String, source_partition UInt32, source_offset UInt64, source_event_id String,
  event_type String, model String, attempt UInt32, outcome String,
  http_status Nullable(UInt16), error String, duration_ms Float64,
  next_attempt_ms Nullable(UInt64), redelivery_id String
) ENGINE = {{engine:MergeTree}} PARTITION BY toYYYYMM(occurred_at) ORDER BY (subscription_id, occurred_ms, _offset);
