import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { boolVar } from '@mlstream/kit';
import { loadStackSettings, repoRoot, type StackSettings } from './settings.ts';
import { assertPortFree, isOurs, readPid, startDaemon, stopDaemon } from './processes.ts';
import { linksState, type LinksConfig } from './cluster-links.ts';
import { apicurioDefaults, planJava, type JavaPlan } from './java.ts';
import { kafkaPart } from './kafka.ts';
import { schemaRegistryPart } from './schema-registry.ts';
import { clickhousePart } from './clickhouse.ts';
import { defaultZookeeperVersion, fourLetterWord, zookeeperPart } from './zookeeper.ts';
import { bringUp, type PartOutcome, type PartStatus, type Say, type UpResult } from './stack.ts';
import type { StackPart } from './part.ts';

/** The ClickHouse cluster name (remote_servers) the migrations run ON CLUSTER against. */
export const clickhouseClusterName = 'mlstream';

/**
 * Ports of the local cluster, all derived from one base (MLSTREAM_CLUSTER_PORT_BASE,
 * default 29100) so a cluster runs beside the single stack (19092, 18081, 18123…).
 */
export function clusterPorts(base: number) {
  return {
    /** `listen`: with links, where the broker really listens (its links take `port` and `controllerPort`). */
    brokers: [1, 2, 3].map((id) => ({ id, port: base + id, controllerPort: base + 10 + id, listen: { port: base + 80 + id, controllerPort: base + 90 + id } })),
    /** The links' control port. */
    links: { control: base + 70 },
    zookeeper: base + 21,
    registry: base + 31,
    registryManagement: base + 32,
    clickhouse: [1, 2].map((index) => ({ index, httpPort: base + 31 + 10 * index, tcpPort: base + 32 + 10 * index, interserverPort: base + 33 + 10 * index })),
    /** First port of the supervised services (cluster mode: services.ts clusterServicePorts). */
    services: base + 200,
  };
}

export type ClusterPorts = ReturnType<typeof clusterPorts>;

export interface ClusterSettings {
  /** The stack settings of the cluster: state under <MLSTREAM_HOME>/cluster, the registry on the cluster's port. */
  stack: StackSettings;
  ports: ClusterPorts;
  zookeeperVersion: string;
  /** A TCP proxy (cluster-links.ts) in front of every broker listener, so a test can partition one; MLSTREAM_CLUSTER_LINKS=0 turns it off. */
  links: boolean;
}

export function loadClusterSettings(env: NodeJS.ProcessEnv = process.env): ClusterSettings {
  const base = Number(env.MLSTREAM_CLUSTER_PORT_BASE ?? 29100);
  if (!Number.isInteger(base) || base < 1024 || base > 65000) throw new TypeError(`MLSTREAM_CLUSTER_PORT_BASE: expected a port number 1024..65000, got ${env.MLSTREAM_CLUSTER_PORT_BASE}`);
  const ports = clusterPorts(base);
  const single = loadStackSettings(env);
  const home = path.join(single.home, 'cluster');
  const stack: StackSettings = {
    ...single,
    home,
    // Jars and tarballs are shared with the single stack; state is not.
    dirs: { install: single.dirs.install, run: path.join(home, 'run'), logs: path.join(home, 'logs'), data: path.join(home, 'data'), config: path.join(home, 'config') },
    ports: {
      kafka: ports.brokers[0]!.port,
      kafkaController: ports.brokers[0]!.controllerPort,
      registry: ports.registry,
      registryManagement: ports.registryManagement,
      clickhouseHttp: ports.clickhouse[0]!.httpPort,
      clickhouseTcp: ports.clickhouse[0]!.tcpPort,
    },
    kafkaBootstrap: ports.brokers.map((b) => `127.0.0.1:${b.port}`).join(','),
    // Three brokers, a registry and ZooKeeper share two cores with the rest.
    heap: { kafka: env.MLSTREAM_KAFKA_HEAP ?? '512m', registry: single.heap.registry },
  };
  const linksSetting = boolVar(true).safeParse(env.MLSTREAM_CLUSTER_LINKS);
  if (!linksSetting.success) throw new TypeError(`MLSTREAM_CLUSTER_LINKS: expected true or false (1/0, yes/no), got ${env.MLSTREAM_CLUSTER_LINKS}`);
  const links = linksSetting.data;
  return { stack, ports, zookeeperVersion: env.MLSTREAM_ZOOKEEPER_VERSION ?? defaultZookeeperVersion, links };
}

/** remote_servers + zookeeper + macros + distributed_ddl for one replica: one shard, two replicas. */
export function clickhouseClusterXml(ports: ClusterPorts, index: number): string {
  const replicas = ports.clickhouse.map((r) => `        <replica><host>127.0.0.1</host><port>${r.tcpPort}</port></replica>`).join('\n');
  return `  <remote_servers>
    <${clickhouseClusterName}>
      <shard>
        <internal_replication>true</internal_replication>
${replicas}
      </shard>
    </${clickhouseClusterName}>
  </remote_servers>
  <zookeeper>
    <node><host>127.0.0.1</host><port>${ports.zookeeper}</port></node>
    <session_timeout_ms>10000</session_timeout_ms>
  </zookeeper>
  <macros>
    <shard>01</shard>
    <replica>replica-${index}</replica>
  </macros>
  <distributed_ddl>
    <path>/clickhouse/task_queue/ddl</path>
  </distributed_ddl>`;
}

/** The links (cluster-links.ts): one per broker listener and one per controller listener. */
export function clusterLinks(ports: ClusterPorts): LinksConfig {
  return {
    control: ports.links.control,
    links: ports.brokers.flatMap((b) => [
      { name: `kafka-${b.id}`, node: b.id, listen: b.port, target: b.listen.port },
      { name: `controller-${b.id}`, node: b.id, listen: b.controllerPort, target: b.listen.controllerPort },
    ]),
  };
}

/** The links daemon as a stack part: `node --import tsx cluster-links-main.ts <config>`. */
export function linksPart(s: StackSettings, ports: ClusterPorts): StackPart {
  const config = path.join(s.dirs.config, 'links.json');
  const links = clusterLinks(ports);
  return {
    name: 'links',
    title: 'Network links (TCP proxies)',
    ports: [...links.links.map((l) => l.listen), links.control].map((port) => ({ port, variable: 'MLSTREAM_CLUSTER_PORT_BASE' })),
    endpoint: () => `http://127.0.0.1:${links.control}/state`,
    async install() {},
    start() {
      fs.mkdirSync(s.dirs.config, { recursive: true });
      fs.writeFileSync(config, JSON.stringify(links, null, 2));
      return startDaemon({
        part: 'links',
        command: process.execPath,
        args: ['--import', 'tsx', path.join(repoRoot, 'services/cli/src/stack/cluster-links-main.ts'), config],
        cwd: repoRoot,
        runDir: s.dirs.run,
        log: path.join(s.dirs.logs, 'links.out'),
        marker: config,
      });
    },
    async probe() {
      await linksState(links.control);
    },
    async version() {
      return 'mlstream';
    },
  };
}

/** Every part of the cluster, in start order: ZooKeeper, links, brokers, ClickHouse replicas, registry. */
export function clusterParts(settings: ClusterSettings = loadClusterSettings(), plan?: JavaPlan) {
  const s = settings.stack;
  const voters = settings.ports.brokers.map((b) => `${b.id}@127.0.0.1:${b.controllerPort}`).join(',');
  const registryVersion = readPid(s.dirs.run, 'registry')?.about?.version ?? plan?.registry.version ?? s.versions.apicurio ?? apicurioDefaults.withJava21;
  return {
    zookeeper: zookeeperPart(s, { version: settings.zookeeperVersion, ...(plan ? { java: plan.kafka } : {}) }, settings.ports.zookeeper),
    ...(settings.links ? { links: linksPart(s, settings.ports) } : {}),
    brokers: settings.ports.brokers.map(({ listen, ...b }) =>
      kafkaPart(s, { version: s.versions.kafka, ...(plan ? { java: plan.kafka } : {}) }, {
        ...b,
        voters,
        replication: 3,
        minInsync: 2,
        ...(settings.links ? { listen } : {}),
      }),
    ),
    clickhouse: settings.ports.clickhouse.map((r) => clickhousePart(s, { ...r, clusterXml: clickhouseClusterXml(settings.ports, r.index) })),
    registry: schemaRegistryPart(s, { version: registryVersion, ...(plan ? { java: plan.registry } : {}) }),
  };
}

const allParts = (parts: ReturnType<typeof clusterParts>): StackPart[] => [parts.zookeeper, ...(parts.links ? [parts.links] : []), ...parts.brokers, ...parts.clickhouse, parts.registry];

/** What services need to reach the cluster (kit's connection variables). */
export function clusterConnectionEnv(settings: ClusterSettings = loadClusterSettings()): Record<string, string> {
  return {
    MLSTREAM_KAFKA_BROKERS: settings.stack.kafkaBootstrap!,
    MLSTREAM_SCHEMA_REGISTRY_URL: `http://127.0.0.1:${settings.ports.registry}/apis/ccompat/v7`,
    MLSTREAM_CLICKHOUSE_URL: `http://127.0.0.1:${settings.ports.clickhouse[0]!.httpPort}`,
    MLSTREAM_CLICKHOUSE_CLUSTER: clickhouseClusterName,
  };
}

/**
 * Starts the cluster: ZooKeeper, three KRaft brokers (all at once: the
 * controller quorum needs two of three voters), the two ClickHouse replicas,
 * then the registry on the brokers. A second call confirms readiness only.
 */
export async function clusterUp(say: Say = () => {}, settings: ClusterSettings = loadClusterSettings()): Promise<UpResult> {
  const begun = Date.now();
  const s = settings.stack;
  const plan = planJava({ javaHome: s.javaHome, apicurioVersion: s.versions.apicurio });
  for (const dir of Object.values(s.dirs)) fs.mkdirSync(dir, { recursive: true });
  const parts = clusterParts(settings, plan);
  const toStart = allParts(parts).filter((part) => !isOurs(readPid(s.dirs.run, part.name)));
  for (const part of toStart) for (const { port, variable } of part.ports) await assertPortFree(port, part.title, variable);
  // Brokers share one install; install each distinct thing once.
  const installed = new Set<string>();
  for (const part of toStart) {
    const key = part.name.replace(/-\d+$/, '');
    if (installed.has(key)) continue;
    installed.add(key);
    await part.install(say);
  }
  const zookeeper = await bringUp(parts.zookeeper, s, say);
  // The links first: brokers reach each other's controllers through them.
  const links = parts.links ? [await bringUp(parts.links, s, say)] : [];
  const [brokers, clickhouse] = await Promise.all([
    Promise.all(parts.brokers.map((b) => bringUp(b, s, say, s.versions.kafka))),
    Promise.all(parts.clickhouse.map((c) => bringUp(c, s, say))),
  ]);
  const registry = await bringUp(parts.registry, s, say, plan.registry.version);
  const outcomes: PartOutcome[] = [zookeeper, ...links, ...brokers, ...clickhouse, registry];
  return { parts: outcomes, totalMs: Date.now() - begun, started: outcomes.filter((o) => o.state === 'started').map((o) => o.part) };
}

/** Stops the cluster's processes (only those this project started): registry, ClickHouse, brokers, ZooKeeper last. */
export async function clusterDown(say: Say = () => {}, settings: ClusterSettings = loadClusterSettings(), only?: string[]): Promise<Record<string, 'stopped' | 'not-running'>> {
  const parts = clusterParts(settings);
  // The links stop with the brokers' neighbours gone; a links record left by a run with links on is stopped too.
  const order = [parts.registry, ...parts.clickhouse, ...parts.brokers, 'links', parts.zookeeper].map((p) => (typeof p === 'string' ? p : p.name));
  const result: Record<string, 'stopped' | 'not-running'> = {};
  for (const name of order) {
    if (only && !only.includes(name)) continue;
    result[name] = await stopDaemon(settings.stack.dirs.run, name);
    say(`${name}: ${result[name]}`);
  }
  return result;
}

export interface ClusterHealth {
  /** Brokers in the metadata, the controller, partitions whose ISR is smaller than their replicas. */
  kafka?: { brokers: number[]; controller: number | null; underReplicated: number; error?: string };
  /** Per replica: the rows of system.replicas that are read-only or behind (queue, absolute delay). */
  clickhouse: Array<{ replica: number; tables: number; readonly: number; queue: number; absoluteDelay: number; error?: string }>;
  zookeeper?: { mode?: string; connections?: number; error?: string };
}

/** Cluster-level health beside each process's state: who is in the metadata, replication lag. */
export async function clusterHealth(settings: ClusterSettings = loadClusterSettings()): Promise<ClusterHealth> {
  const kafkaHealth = async (): Promise<ClusterHealth['kafka']> => {
    const kafka = new Kafka({ brokers: settings.stack.kafkaBootstrap!.split(','), clientId: 'mlstream-status', logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1_000 });
    const admin = kafka.admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      const topics = await admin.listTopics();
      const meta = topics.length ? await admin.fetchTopicMetadata({ topics }) : { topics: [] };
      const underReplicated = meta.topics.flatMap((t) => t.partitions).filter((p) => p.isr.length < p.replicas.length).length;
      return { brokers: cluster.brokers.map((b) => b.nodeId).sort(), controller: cluster.controller, underReplicated };
    } catch (error) {
      return { brokers: [], controller: null, underReplicated: 0, error: (error as Error).message };
    } finally {
      await admin.disconnect().catch(() => {});
    }
  };
  const replicaHealth = async (r: ClusterPorts['clickhouse'][number]) => {
    try {
      const sql = 'SELECT count() AS tables, sum(is_readonly) AS readonly, sum(queue_size) AS queue, max(absolute_delay) AS absoluteDelay FROM system.replicas FORMAT JSONEachRow';
      const res = await fetch(`http://127.0.0.1:${r.httpPort}/?query=${encodeURIComponent(sql)}`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) throw new Error(`${res.status} ${(await res.text()).slice(0, 120)}`);
      const row = JSON.parse((await res.text()).trim() || '{}') as Record<string, string | number>;
      return { replica: r.index, tables: Number(row.tables ?? 0), readonly: Number(row.readonly ?? 0), queue: Number(row.queue ?? 0), absoluteDelay: Number(row.absoluteDelay ?? 0) };
    } catch (error) {
      return { replica: r.index, tables: 0, readonly: 0, queue: 0, absoluteDelay: 0, error: (error as Error).message };
    }
  };
  const zookeeperHealth = async (): Promise<ClusterHealth['zookeeper']> => {
    try {
      const srvr = await fourLetterWord(settings.ports.zookeeper, 'srvr');
      const mode = /Mode: (\S+)/.exec(srvr)?.[1];
      const connections = Number(/Connections: (\d+)/.exec(srvr)?.[1] ?? NaN);
      return { ...(mode ? { mode } : {}), ...(Number.isFinite(connections) ? { connections } : {}) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const [kafka, clickhouse, zookeeper] = await Promise.all([kafkaHealth(), Promise.all(settings.ports.clickhouse.map(replicaHealth)), zookeeperHealth()]);
  return { ...(kafka ? { kafka } : {}), clickhouse, ...(zookeeper ? { zookeeper } : {}) };
}

/** State of every cluster process, as `stackStatus` reports the single stack's. */
export async function clusterStatus(settings: ClusterSettings = loadClusterSettings()): Promise<PartStatus[]> {
  const parts = allParts(clusterParts(settings));
  return Promise.all(
    parts.map(async (part): Promise<PartStatus> => {
      const record = readPid(settings.stack.dirs.run, part.name);
      const running = isOurs(record);
      const base = { part: part.name, title: part.title, running, endpoint: part.endpoint(), ports: part.ports.map((p) => p.port) };
      if (!running) return { ...base, ready: false };
      try {
        await part.probe();
        const version = await part.version(record).catch(() => record.about?.version);
        return { ...base, ready: true, pid: record.pid, ...(version ? { version } : {}), log: record.log };
      } catch (error) {
        return { ...base, ready: false, pid: record.pid, log: record.log, error: error instanceof Error ? error.message : String(error) };
      }
    }),
  );
}
