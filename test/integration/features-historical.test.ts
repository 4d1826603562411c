import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, parseFeatureRef, pointInTimeReference, type ClickHouseClient, type EntityRow, type FeatureRef, type LoggedValues, type ViewForRetrieval } from '@mlstream/kit';
import { historicalFeatures, migrate } from '@mlstream/materializer';
import { connections, uniqueName } from '../helpers/index.ts';

// getHistoricalFeatures on ClickHouse (18.16 in the local stack: no ASOF JOIN)
// against the brute-force reference, on a randomized set built to hit every
// edge: ties on event time, rows exactly at an event, TTL bounds, late
// records, keys never seen, features a record does not carry.
describe('point-in-time retrieval on ClickHouse vs the reference', () => {
  const db = uniqueName('feat').replace(/-/g, '_');
  const client: ClickHouseClient = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const deps = { client, database: db };
  const T0 = Date.UTC(2026, 10, 1);
  const MIN = 60_000;
  const views = new Map<string, ViewForRetrieval>([
    ['driver_stats', { name: 'driver_stats', keyName: 'driver_id', ttlSeconds: 3600 }],
    ['driver_profile', { name: 'driver_profile', keyName: 'driver_id', ttlSeconds: 0 }],
    ['customer_stats', { name: 'customer_stats', keyName: 'customer_id', ttlSeconds: 600 }],
  ]);
  const refs = ['driver_stats:conv_rate', 'driver_stats:acc_rate', 'driver_profile:tier', 'customer_stats:spend', 'customer_stats:segment'].map((r) => parseFeatureRef(r)!) as FeatureRef[];

  // A seeded generator: a failure reproduces.
  let seed = 20;
  const rand = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const events: LoggedValues[] = [];
  const rows: EntityRow[] = [];
  const partitions = new Map<string, number>();

  beforeAll(async () => {
    await migrate({ client, database: db });
    const offsets = new Map<number, number>();
    for (let i = 0; i < 3000; i++) {
      const view = pick(['driver_stats', 'driver_stats', 'driver_profile', 'customer_stats']);
      const key = String(pick([1, 2, 3, 4, 5, 6, 7, 8]) + (view === 'customer_stats' ? 100 : 1000));
      // Minute resolution makes ties on event time frequent; records arrive in random event-time order (late ones included).
      const occurredAt = T0 + Math.floor(rand() * 600) * MIN;
      const numericValues: Record<string, number> = {};
      const categoricalValues: Record<string, string> = {};
      if (view === 'driver_stats') {
        numericValues.conv_rate = Math.round(rand() * 1e6) / 1e6;
        if (rand() < 0.7) numericValues.acc_rate = rand();
      } else if (view === 'driver_profile') categoricalValues.tier = pick(['gold', 'silver', 'bronze']);
      else {
        numericValues.spend = Math.round(rand() * 10000) / 100;
        categoricalValues.segment = pick(['a', 'b', 'c\'d', 'é']);
      }
      const k = `${view}|${key}`;
      const partition = partitions.get(k) ?? partitions.set(k, Math.floor(rand() * 3)).get(k)!;
      const offset = offsets.get(partition) ?? 0;
      offsets.set(partition, offset + 1);
      events.push({ view, entityKey: key, occurredAt, numericValues, categoricalValues, position: offset });
    }
    const row = (e: LoggedValues) => ({
      _topic: 'mlops.features.v1', _partition: partitions.get(`${e.view}|${e.entityKey}`), _offset: e.position, event_id: `e${e.view}${e.entityKey}${e.position}`,
      occurred_at: Math.floor(e.occurredAt / 1000), occurred_ms: e.occurredAt, view: e.view, view_version: 1, entity_key: e.entityKey,
      numeric_keys: Object.keys(e.numericValues).sort(), numeric_values: Object.keys(e.numericValues).sort().map((n) => e.numericValues[n]), numeric_exact: Object.keys(e.numericValues).sort().map((n) => String(e.numericValues[n])),
      categorical_keys: Object.keys(e.categoricalValues).sort(), categorical_values: Object.keys(e.categoricalValues).sort().map((n) => e.categoricalValues[n]),
    });
    await client.insert({ table: `${db}.feature_values`, format: 'JSONEachRow', values: events.map(row) });
    for (let i = 0; i < 2500; i++) {
      const e = rand() < 0.3 ? pick(events) : undefined;
      // Some rows sit exactly on an event, exactly on a TTL bound, or on keys never seen.
      const timestamp = e ? e.occurredAt + pick([0, 0, 3600_000, 3600_001, 600_000, 600_001, -1]) : T0 + Math.floor(rand() * 700 * MIN) - 30 * MIN;
      rows.push({ entities: { driver_id: pick([1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]), customer_id: String(pick([101, 102, 103, 104, 105, 106, 107, 108, 199])) }, timestamp });
    }
  });
  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  it('returns, for every row, exactly what the brute-force reference returns', async () => {
    // The reference orders ties by position within one key's partition, as ClickHouse does by (_partition, _offset).
    const expected = pointInTimeReference(rows, refs, views, events);
    const actual = await historicalFeatures(deps, views, rows, refs);
    expect(actual).toHaveLength(rows.length);
    const differing = actual.flatMap((row, i) => (JSON.stringify(row.values) === JSON.stringify(expected[i]!.values) ? [] : [{ i, row: rows[i], actual: row.values, expected: expected[i]!.values }]));
    expect(differing.slice(0, 3)).toEqual([]);
    // The set exercises what it claims to: hits, nulls by TTL, keys never seen.
    const values = expected.flatMap((r) => Object.values(r.values));
    expect(values.filter((v) => v === null).length).toBeGreaterThan(500);
    expect(values.filter((v) => v !== null).length).toBeGreaterThan(2000);
  });

  it('answers nulls for rows whose key is missing and for an empty table range', async () => {
    const actual = await historicalFeatures(deps, views, [{ entities: {}, timestamp: T0 }, { entities: { driver_id: 1001 }, timestamp: T0 - 1 }], refs);
    expect(actual.map((r) => Object.values(r.values).every((v) => v === null))).toEqual([true, true]);
  });
});
