import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { createClickHouse, type ClickHouseClient } from '@mlstream/kit';
import { createStore, insertQueryPrefix, migrate, Sql } from '@mlstream/materializer';
import { connections, uniqueName, waitFor } from '../helpers/index.ts';

// The materializer's fence (docs/materializer.md, "Two owners of a partition"),
// forced deterministically: an insert of a partition is still running on the
// server (another instance's, or one whose client timed out) when a new owner
// reads the watermarks. Read at once, the marks miss the rows that are about
// to land, and the new owner would write them again; read after `settle`, they
// include them. The insert is slowed with sleep() so the straddle is certain.
describe('materializer fence against an insert still running on the server', () => {
  const db = uniqueName('fence').replace(/-/g, '_');
  const client: ClickHouseClient = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  const topic = 'fence.predictions';

  beforeAll(async () => {
    await migrate({ client, database: db });
  });
  afterAll(async () => {
    await client.command({ query: `DROP DATABASE IF EXISTS ${db}` });
    await client.close();
  });

  /** Starts, under the partition's insert query id, one block of `rows` rows that lands after `seconds`. */
  const slowInsert = (partition: number, rows: number, seconds: number) => {
    const query_id = `${insertQueryPrefix(db, topic, partition)}${randomUUID()}`;
    const done = client.command({
      query: `INSERT INTO ${db}.predictions (_topic, _partition, _offset, event_id) SELECT '${topic}', ${partition}, number, toString(number) FROM system.numbers WHERE sleep(${seconds}) = 0 LIMIT ${rows}`,
      query_id,
    });
    return { query_id, done };
  };
  const running = async (queryId: string) =>
    Number((await (await client.query({ query: `SELECT count() AS n FROM system.processes WHERE query_id = '${queryId}'`, format: 'JSONEachRow' })).json<{ n: string }>())[0]!.n) > 0;

  it('waits for the running insert, so the marks read next include its rows', async () => {
    const store = createStore(client, new Sql(db));
    const insert = slowInsert(0, 5, 2);
    await waitFor(() => running(insert.query_id), { what: 'the slow insert to show in system.processes', timeoutMs: 10_000, intervalMs: 20 });

    // The race the fence closes: marks read while the insert runs say "nothing here yet".
    const unfenced = await store.watermarks(topic, 0, ['predictions']);
    expect(unfenced.tables.get('predictions')).toBe(-1);

    const fence = await store.settle(topic, 0);
    const fenced = await store.watermarks(topic, 0, ['predictions']);
    expect(fence.killed).toBe(0);
    expect(fence.waitedMs).toBeGreaterThan(0);
    expect(fenced.tables.get('predictions')).toBe(4);
    await insert.done;
  });

  it('kills an insert that outlives the settle time, and nothing of it lands afterwards', async () => {
    const store = createStore(client, new Sql(db), { settleMs: 300 });
    const insert = slowInsert(1, 5, 3);
    const outcome = insert.done.then(() => 'finished', (error: Error) => error.message);
    await waitFor(() => running(insert.query_id), { what: 'the slow insert to show in system.processes', timeoutMs: 10_000, intervalMs: 20 });

    const fence = await store.settle(topic, 1);
    expect(fence.killed).toBeGreaterThan(0);
    expect(await running(insert.query_id)).toBe(false);
    expect(await outcome).not.toBe('finished');
    const marks = await store.watermarks(topic, 1, ['predictions']);
    expect(marks.tables.get('predictions')).toBe(-1);
  });

  it('does not wait for inserts of another partition', async () => {
    const store = createStore(client, new Sql(db));
    const other = slowInsert(3, 1, 2);
    await waitFor(() => running(other.query_id), { what: 'the other partition’s insert to run', timeoutMs: 10_000, intervalMs: 20 });
    const fence = await store.settle(topic, 2);
    expect(fence).toEqual({ waitedMs: expect.any(Number), killed: 0 });
    expect(await running(other.query_id)).toBe(true);
    await other.done;
  });
});
