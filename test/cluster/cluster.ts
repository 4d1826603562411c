import { createClickHouse } from '@mlstream/kit';
import { readPid } from '../../services/cli/src/stack/processes.ts';
import { clusterParts, clusterUp, loadClusterSettings, clickhouseClusterName } from '../../services/cli/src/stack/index.ts';

/** Handles on the running local cluster for fault tests: pids, restarts, one client per ClickHouse replica. */
export const cluster = loadClusterSettings();

export const pidOf = (part: string): number => {
  const record = readPid(cluster.stack.dirs.run, part);
  if (!record) throw new Error(`${part} is not running (no pid record in ${cluster.stack.dirs.run})`);
  return record.pid;
};

/** Starts whatever part of the cluster is not running (the one a test killed) and waits until it is ready. */
export const restartMissing = () => clusterUp(() => {}, cluster);

export const replicas = cluster.ports.clickhouse.map((r) => createClickHouse({ url: `http://127.0.0.1:${r.httpPort}` }));

export async function scalarOn(replica: number, query: string): Promise<number> {
  const rows = await (await replicas[replica]!.query({ query, format: 'JSONEachRow' })).json<{ n: string | number }>();
  return Number(rows[0]?.n ?? NaN);
}

export async function dropOnCluster(database: string): Promise<void> {
  await replicas[0]!.command({ query: `DROP DATABASE IF EXISTS ${database} ON CLUSTER ${clickhouseClusterName}`, clickhouse_settings: { wait_end_of_query: 1 } }).catch(() => {});
}

export { clusterParts };
