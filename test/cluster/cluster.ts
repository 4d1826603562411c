import { createClickHouse } from '@mlstream/kit';
import { readPid } from '../../services/cli/src/stack/processes.ts';
import { linksState, setLink } from '../../services/cli/src/stack/cluster-links.ts';
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

/** Cuts or heals every link of one broker (cluster-links.ts): a network partition on loopback. */
export async function partition(broker: number, action: 'cut' | 'heal'): Promise<void> {
  if (!cluster.links) throw new Error('the partition test needs the cluster started with links (unset MLSTREAM_CLUSTER_LINKS or set it to 1)');
  await setLink(cluster.ports.links.control, action, broker);
}

/** Heals whatever a failed test left cut. */
export async function healAll(): Promise<void> {
  if (!cluster.links) return;
  for (const node of (await linksState(cluster.ports.links.control)).cut) await setLink(cluster.ports.links.control, 'heal', node);
}
