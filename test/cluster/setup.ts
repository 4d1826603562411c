import { clusterConnectionEnv, clusterDown, clusterUp, loadClusterSettings } from '../../services/cli/src/stack/index.ts';

// vitest globalSetup of the `cluster` project: starts the local cluster (3 KRaft brokers, ZooKeeper,
// 2 ClickHouse replicas, the registry) unless it runs, points every client of the tests at it, and
// afterwards stops exactly the parts it started.
export default async function setup() {
  const settings = loadClusterSettings();
  const result = await clusterUp((line) => console.log(`cluster: ${line}`), settings);
  if (result.started.length) console.log(`cluster: started ${result.started.join(', ')} in ${(result.totalMs / 1000).toFixed(1)} s`);
  Object.assign(process.env, clusterConnectionEnv(settings));
  return async () => {
    if (result.started.length && process.env.MLSTREAM_CLUSTER_KEEP !== '1') await clusterDown((line) => console.log(`cluster: ${line}`), settings, result.started);
  };
}
