-- Per-minute model health, filled by the materialized view on every insert
-- into predictions. Because each predictions INSERT holds one partition batch
-- exactly once, every aggregate here is counted exactly once as well.
CREATE TABLE IF NOT EXISTS {{db}}.model_metrics_1m {{on_cluster}} (
  model String, version UInt32, minute DateTime,
  requests AggregateFunction(count),
  errors AggregateFunction(sum, UInt64),
  latency AggregateFunction(quantiles(0.5, 0.95, 0.99), Float64)
) ENGINE = {{engine:AggregatingMergeTree}} PARTITION BY toYYYYMM(minute) ORDER BY (model, version, minute);

CREATE MATERIALIZED VIEW IF NOT EXISTS {{db}}.model_metrics_1m_mv {{on_cluster}} TO {{db}}.model_metrics_1m AS
SELECT model, version, toStartOfMinute(occurred_at) AS minute,
  countState() AS requests,
  sumState(toUInt64(is_error)) AS errors,
  quantilesState(0.5, 0.95, 0.99)(latency_ms) AS latency
FROM {{db}}.predictions
GROUP BY model, version, minute;
