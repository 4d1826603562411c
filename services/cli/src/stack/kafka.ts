import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MlstreamError } from '@mlstream/kit';
import type { StackSettings } from './settings.ts';
import { checkMaven } from './prerequisites.ts';
import { repoRoot } from './settings.ts';
import { commandLine, run, startDaemon, type PidRecord } from './processes.ts';
import type { PartRun, StackPart } from './part.ts';

/** One broker of a KRaft cluster (cluster mode): its id, ports and every controller of the quorum. */
export interface KafkaNode {
  id: number;
  port: number;
  controllerPort: number;
  /** `id@host:port` of every controller, this one included. */
  voters: string;
  /** Replication of internal topics and default min ISR (3 brokers: 3 and 2). */
  replication: number;
  minInsync: number;
  /** With links (cluster-links.ts): where the broker really listens; `port`/`controllerPort` are then its proxies. */
  listen?: { port: number; controllerPort: number };
}

/**
 * Apache Kafka 4.x, one node in KRaft combined mode, from its Maven Central
 * jars (infra/kafka/pom.xml) — no tarball download needed. With `node`, one
 * broker+controller of a cluster (cluster.ts), with its own config, data and pid.
 */
export function kafkaPart(s: StackSettings, plan: PartRun, node?: KafkaNode): StackPart {
  const name = node ? `kafka-${node.id}` : 'kafka';
  const installDir = path.join(s.dirs.install, `kafka-${plan.version}`);
  const libs = path.join(installDir, 'libs');
  const configDir = path.join(s.dirs.config, name);
  const dataDir = path.join(s.dirs.data, name);
  const properties = path.join(configDir, 'server.properties');
  const classpath = `${libs}/*`;
  const port = node?.port ?? s.ports.kafka;
  const controllerPort = node?.controllerPort ?? s.ports.kafkaController;
  const bootstrap = `127.0.0.1:${port}`;
  const listenPort = node?.listen?.port ?? port;
  const listenControllerPort = node?.listen?.controllerPort ?? controllerPort;
  const replication = String(node?.replication ?? 1);
  const minInsync = String(node?.minInsync ?? 1);

  const java = () => {
    if (!plan.java) throw new Error('kafkaPart: no JDK chosen (java.ts planJava)');
    return plan.java;
  };
  /** The broker's own jar names its version: kafka_2.13-4.4.0.jar. */
  const jarVersion = (dir: string): string | undefined => {
    const jar = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => /^kafka_2\.13-.*\.jar$/.test(f)) : undefined;
    return jar?.replace(/^kafka_2\.13-/, '').replace(/\.jar$/, '');
  };

  const writeConfig = () => {
    fs.mkdirSync(configDir, { recursive: true });
    fs.writeFileSync(
      properties,
      [
        '# Written by mlstream (services/cli/src/stack/kafka.ts); edits are overwritten on start.',
        'process.roles=broker,controller',
        `node.id=${node?.id ?? 1}`,
        `controller.quorum.voters=${node?.voters ?? `1@127.0.0.1:${controllerPort}`}`,
        `listeners=PLAINTEXT://127.0.0.1:${listenPort},CONTROLLER://127.0.0.1:${listenControllerPort}`,
        // Behind links, controllers advertise their link too: peers find the active controller by its advertised endpoint.
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}${node?.listen ? `,CONTROLLER://127.0.0.1:${controllerPort}` : ''}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        'inter.broker.listener.name=PLAINTEXT',
        `log.dirs=${dataDir}`,
        // Topics come from the catalog (`topics apply`), never from a typo.
        'auto.create.topics.enable=false',
        'num.partitions=1',
        `offsets.topic.replication.factor=${replication}`,
        'offsets.topic.num.partitions=8',
        `transaction.state.log.replication.factor=${replication}`,
        `transaction.state.log.min.isr=${minInsync}`,
        'transaction.state.log.num.partitions=8',
        `share.coordinator.state.topic.replication.factor=${replication}`,
        `share.coordinator.state.topic.min.isr=${minInsync}`,
        // Topics created without an explicit factor (the registry's journal) are replicated too.
        `default.replication.factor=${replication}`,
        `min.insync.replicas=${minInsync}`,
        // A replica that was not in sync never becomes leader: acknowledged writes are never lost.
        'unclean.leader.election.enable=false',
        // A broker that stops heartbeating is fenced (its partitions led elsewhere) after 6 s, not 9.
        ...(node ? ['broker.session.timeout.ms=6000', 'broker.heartbeat.interval.ms=1000'] : []),
        'group.initial.rebalance.delay.ms=0',
        'log.retention.hours=-1',
        '',
      ].join('\n'),
    );
    fs.writeFileSync(
      path.join(configDir, 'log4j2.properties'),
      [
        'status = warn',
        'appender.file.type = RollingFile',
        'appender.file.name = file',
        `appender.file.fileName = ${path.join(s.dirs.logs, `${name}-server.log`)}`,
        `appender.file.filePattern = ${path.join(s.dirs.logs, `${name}-server.log`)}.%i`,
        'appender.file.layout.type = PatternLayout',
        'appender.file.layout.pattern = [%d] %p %m (%c)%n',
        'appender.file.policies.type = Policies',
        'appender.file.policies.size.type = SizeBasedTriggeringPolicy',
        'appender.file.policies.size.size = 50MB',
        'appender.file.strategy.type = DefaultRolloverStrategy',
        'appender.file.strategy.max = 3',
        'rootLogger.level = WARN',
        'rootLogger.appenderRef.file.ref = file',
        'logger.server.name = kafka.server.KafkaRaftServer',
        'logger.server.level = INFO',
        '',
      ].join('\n'),
    );
  };

  const formatStorage = () => {
    if (fs.existsSync(path.join(dataDir, 'meta.properties'))) return;
    // The brokers of one cluster share one id (cluster.ts writes it to the first node's folder).
    const idFile = path.join(node ? path.join(s.dirs.config, 'kafka-1') : configDir, 'cluster-id');
    fs.mkdirSync(path.dirname(idFile), { recursive: true });
    let clusterId = fs.existsSync(idFile) ? fs.readFileSync(idFile, 'utf8').trim() : '';
    if (!clusterId) {
      clusterId = run(java().runtime.java, ['-cp', classpath, 'kafka.tools.StorageTool', 'random-uuid'], 'Kafka cluster id')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^[A-Za-z0-9_-]{22}$/.test(l))[0] ?? '';
      if (!clusterId) throw new MlstreamError('STACK_INSTALL_FAILED', 'Kafka StorageTool printed no cluster id');
      fs.writeFileSync(idFile, clusterId);
    }
    run(java().runtime.java, ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties, '--ignore-formatted'], 'Kafka storage format');
  };

  return {
    name,
    title: node ? `Kafka broker ${node.id}` : 'Kafka',
    ports: [
      { port: listenPort, variable: node ? 'MLSTREAM_CLUSTER_PORT_BASE' : 'MLSTREAM_KAFKA_PORT' },
      { port: listenControllerPort, variable: node ? 'MLSTREAM_CLUSTER_PORT_BASE' : 'MLSTREAM_KAFKA_CONTROLLER_PORT' },
    ],
    endpoint: () => bootstrap,
    async install(log) {
      if (fs.existsSync(path.join(installDir, '.complete'))) return;
      checkMaven();
      log(`resolving Apache Kafka ${plan.version} jars from Maven Central (one time)…`);
      const staging = `${libs}.partial`;
      fs.rmSync(staging, { recursive: true, force: true });
      run(
        'mvn',
        ['-B', '-q', '-f', path.join(repoRoot, 'infra/kafka/pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime', `-Dkafka.version=${plan.version}`],
        'Kafka install',
      );
      fs.rmSync(libs, { recursive: true, force: true });
      fs.renameSync(staging, libs);
      fs.writeFileSync(path.join(installDir, '.complete'), new Date().toISOString());
    },
    start() {
      const { runtime, reason } = java();
      writeConfig();
      formatStorage();
      return startDaemon({
        part: name,
        command: runtime.java,
        args: [
          `-Xms256m`,
          `-Xmx${s.heap.kafka}`,
          '-XX:+UseG1GC',
          '-Djava.awt.headless=true',
          // Java 23+ warns at each start that Kafka's buffer unmapper uses sun.misc.Unsafe (JEP 471).
          ...(runtime.major >= 23 ? ['--sun-misc-unsafe-memory-access=allow'] : []),
          `-Dlog4j2.configurationFile=${path.join(configDir, 'log4j2.properties')}`,
          '-cp',
          classpath,
          'kafka.Kafka',
          properties,
        ],
        cwd: s.home,
        runDir: s.dirs.run,
        log: path.join(s.dirs.logs, `${name}.out`),
        marker: properties,
        about: { version: jarVersion(libs) ?? plan.version, java: { path: runtime.java, major: runtime.major, version: runtime.version, reason } },
      });
    },
    async probe() {
      const kafka = new Kafka({ brokers: [bootstrap], clientId: 'mlstream-stack', logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1_000 });
      const admin = kafka.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0) throw new Error('no broker in metadata yet');
        // A cluster node is ready when it is itself in the cluster's metadata (registered with the quorum).
        if (node && !cluster.brokers.some((b) => b.nodeId === node.id)) throw new Error(`broker ${node.id} not registered yet`);
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
    async version(record: PidRecord) {
      // The jars on the running process's classpath say what runs, whatever is configured now.
      const classpath = / -cp (\S+)\/\* /.exec(commandLine(record.pid) ?? '')?.[1];
      return (classpath && jarVersion(classpath)) ?? record.about?.version ?? 'unknown';
    },
  };
}
