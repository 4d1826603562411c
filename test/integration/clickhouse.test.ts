import { afterAll, describe, expect, it } from 'vitest';
import { createClickHouse } from '@mlstream/kit';
import { connections, uniqueName } from '../helpers/index.ts';

// Settles DESIGN.md §3's ClickHouse risk: @clickhouse/client against 18.16.
describe('@clickhouse/client against the local ClickHouse', () => {
  const client = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const db = uniqueName('ch').replace(/-/g, '_');

  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('creates a table, inserts JSONEachRow with ISO timestamps and reads it back', async () => {
    expect(await client.ping()).toMatchObject({ success: true });
    await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
    await client.command({
      query: `CREATE TABLE ${db}.predictions (model String, version UInt32, at DateTime, latency_ms Float64, kafka_offset UInt64)
              ENGINE = MergeTree ORDER BY (model, at, kafka_offset)`,
    });
    const rows = Array.from({ length: 1000 }, (_, i) => ({
      model: i % 2 ? 'churn' : 'fraud',
      version: 1 + (i % 3),
      at: new Date(Date.UTC(2026, 10, 27, 0, 0, i % 60)).toISOString(),
      latency_ms: i / 10,
      kafka_offset: i,
    }));
    await client.insert({ table: `${db}.predictions`, values: rows, format: 'JSONEachRow' });

    const result = await client.query({
      query: `SELECT model, count() AS n, max(kafka_offset) AS last, toString(min(at)) AS first_at FROM ${db}.predictions GROUP BY model ORDER BY model`,
      format: 'JSONEachRow',
    });
    const summary = await result.json<{ model: string; n: string; last: string; first_at: string }>();
    expect(summary).toEqual([
      { model: 'churn', n: '500', last: '999', first_at: '2026-11-27 00:00:01' },
      { model: 'fraud', n: '500', last: '998', first_at: '2026-11-27 00:00:00' },
    ]);
  });

  it('reports a bad query as an error naming the problem', async () => {
    await expect(client.query({ query: `SELECT nope FROM ${db}.predictions` })).rejects.toThrow(/nope/);
  });
});
