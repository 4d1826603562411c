// Test data left behind by integration tests: every test works under a
// unique prefix (`uniqueName()`), so a run leaves topics and ClickHouse
// databases behind. Hundreds of runs mean thousands of partitions, and a
// KRaft broker then takes minutes to load them at start. The integration
// project's global teardown removes what tests created (names only
// `uniqueName()` produces), never anything else. Several runs may share one
// stack (agents, a developer and CI on one machine): a run removes only the
// names its own tests recorded, plus test data older than STALE_MS that a
// crashed run left behind, never the topics of a run still in progress.
import { createClickHouse, createKafka, createLogger, loadConnections } from '@mlstream/kit';

/** `t` + base-36 time (8) + 6 hex + `-` (topics) or `_` (databases): what uniqueName() yields. */
export const TEST_TOPIC = /^t[0-9a-z]{8}[0-9a-f]{6}-/;
export const TEST_DATABASE = /^t[0-9a-z]{8}[0-9a-f]{6}_/;

/** Test data older than this is left over from a run that died; no test runs that long. */
export const STALE_MS = 6 * 60 * 60 * 1000;

/** When uniqueName() made `name` (its base-36 time), or NaN for another name. */
const createdAt = (name: string): number => parseInt(name.slice(1, 9), 36);

export interface RemoveOptions {
  /** Names uniqueName() returned in this run: topics and databases starting with them are removed. */
  names: readonly string[];
  log?: (line: string) => void;
  now?: number;
}

/** Whether a test topic or database belongs to `names`, or is stale. */
export function removable(name: string, options: RemoveOptions): boolean {
  if (!TEST_TOPIC.test(name) && !TEST_DATABASE.test(name)) return false;
  if ((options.now ?? Date.now()) - createdAt(name) > STALE_MS) return true;
  return options.names.some((n) => name.startsWith(n) || name.startsWith(n.replace(/-/g, '_')));
}

export async function removeTestData(options: RemoveOptions): Promise<{ topics: number; databases: number }> {
  const log = options.log ?? (() => {});
  const connections = loadConnections();
  const kafka = createKafka({ brokers: connections.kafkaBrokers, clientId: 'mlstream-test-cleanup', logger: createLogger({ service: 'test-cleanup', level: 'silent' }) });
  const admin = kafka.admin();
  await admin.connect();
  let topics: string[] = [];
  try {
    topics = (await admin.listTopics()).filter((t) => TEST_TOPIC.test(t) && removable(t, options));
    for (let i = 0; i < topics.length; i += 200) await admin.deleteTopics({ topics: topics.slice(i, i + 200), timeout: 60_000 });
  } finally {
    await admin.disconnect();
  }
  const clickhouse = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
  let databases: string[] = [];
  try {
    const rows = await (await clickhouse.query({ query: 'SELECT name FROM system.databases', format: 'JSONEachRow' })).json<{ name: string }>();
    databases = rows.map((r) => r.name).filter((n) => TEST_DATABASE.test(n) && removable(n, options));
    for (const db of databases) await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${db}` });
  } finally {
    await clickhouse.close();
  }
  log(`removed ${topics.length} test topics and ${databases.length} test databases`);
  return { topics: topics.length, databases: databases.length };
}
