import { describe, expect, it } from 'vitest';
import { clusterLinks, clusterPorts, loadClusterSettings } from './cluster.ts';

const env = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ MLSTREAM_HOME: '/tmp/mlstream-cluster-spec', ...extra });

describe('cluster settings', () => {
  it('runs links unless MLSTREAM_CLUSTER_LINKS says false, and refuses a value it does not know', () => {
    expect(loadClusterSettings(env({})).links).toBe(true);
    for (const off of ['0', 'false', 'no']) expect(loadClusterSettings(env({ MLSTREAM_CLUSTER_LINKS: off })).links).toBe(false);
    for (const on of ['1', 'true', 'yes']) expect(loadClusterSettings(env({ MLSTREAM_CLUSTER_LINKS: on })).links).toBe(true);
    expect(() => loadClusterSettings(env({ MLSTREAM_CLUSTER_LINKS: 'of' }))).toThrow(/MLSTREAM_CLUSTER_LINKS: expected true or false .* got of/);
  });

  it('puts one link in front of each broker and controller listener, towards where that broker really listens', () => {
    const ports = clusterPorts(29100);
    expect(clusterLinks(ports).links).toEqual(
      [1, 2, 3].flatMap((id) => [
        { name: `kafka-${id}`, node: id, listen: 29100 + id, target: 29180 + id },
        { name: `controller-${id}`, node: id, listen: 29110 + id, target: 29190 + id },
      ]),
    );
    expect(clusterLinks(ports).control).toBe(29170);
  });
});
