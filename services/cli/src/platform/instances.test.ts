import { describe, expect, it } from 'vitest';
import { parseGroupLag } from './instances.ts';
import { platformServices, serviceInstances } from './services.ts';
import { clickhouseClusterXml, clusterPorts } from '../stack/cluster.ts';

describe('serviceInstances', () => {
  const gateway = platformServices.find((s) => s.name === 'gateway')!;
  const tracking = platformServices.find((s) => s.name === 'tracking')!;

  it('one instance keeps the name and port', () => {
    expect(serviceInstances([tracking], 1)).toMatchObject([{ name: 'tracking', service: 'tracking', instance: 1, port: 18201 }]);
  });

  it('N instances get distinct names and ports; the gateway listens where its port says', () => {
    const two = serviceInstances([tracking, gateway], 2);
    expect(two.map((i) => [i.name, i.port])).toEqual([
      ['tracking-1', 18201],
      ['tracking-2', 18211],
      ['gateway-1', 8080],
      ['gateway-2', 8090],
    ]);
    expect(two.find((i) => i.name === 'gateway-2')!.env).toMatchObject({ MLSTREAM_GATEWAY_PORT: '8090' });
  });

  it('cluster mode places every instance from the port base, clear of the single platform', () => {
    const all = serviceInstances(platformServices, 2, clusterPorts(29100).services);
    const ports = all.map((i) => i.port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(Math.min(...ports)).toBe(29300);
    expect(() => serviceInstances([tracking], 0)).toThrow(/--instances/);
  });
});

describe('parseGroupLag', () => {
  it('reads the lag series of a Prometheus page, ignoring the rest', () => {
    const page = [
      '# HELP mlstream_consumer_group_lag …',
      'mlstream_consumer_group_lag{group="mlstream-materializer",topic="mlops.predictions.v1",partition="0",service="materializer"} 12',
      'mlstream_consumer_group_lag{group="mlstream-materializer",topic="mlops.predictions.v1",partition="1",service="materializer"} 0',
      'mlstream_consumer_lag{topic="x",partition="0"} 5',
    ].join('\n');
    expect(parseGroupLag(page)).toEqual([
      { group: 'mlstream-materializer', topic: 'mlops.predictions.v1', partition: 0, lag: 12 },
      { group: 'mlstream-materializer', topic: 'mlops.predictions.v1', partition: 1, lag: 0 },
    ]);
  });
});

describe('cluster ports and ClickHouse config', () => {
  it('every port of the cluster is distinct', () => {
    const p = clusterPorts(29100);
    const all = [...p.brokers.flatMap((b) => [b.port, b.controllerPort]), p.zookeeper, p.registry, p.registryManagement, ...p.clickhouse.flatMap((r) => [r.httpPort, r.tcpPort, r.interserverPort])];
    expect(new Set(all).size).toBe(all.length);
  });

  it('one shard with both replicas, ZooKeeper and the replica macro', () => {
    const xml = clickhouseClusterXml(clusterPorts(29100), 2);
    expect(xml).toContain('<port>29142</port>');
    expect(xml).toContain('<port>29152</port>');
    expect(xml).toContain('<port>29121</port>');
    expect(xml).toContain('<replica>replica-2</replica>');
    expect(xml.match(/<shard>\n/g)).toHaveLength(1); // the macro <shard>01</shard> aside
  });
});
