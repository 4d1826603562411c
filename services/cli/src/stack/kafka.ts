import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { MlstreamError } from '@mlstream/kit';
import type { StackSettings } from './settings.ts';
import { repoRoot } from './settings.ts';
import { run, startDaemon } from './processes.ts';
import type { StackPart } from './part.ts';

/**
 * Apache Kafka 4.x, one node in KRaft combined mode, from its Maven Central
 * jars (infra/kafka/pom.xml) — no tarball download needed.
 */
export function kafkaPart(s: StackSettings): StackPart {
  const installDir = path.join(s.dirs.install, `kafka-${s.versions.kafka}`);
  const libs = path.join(installDir, 'libs');
  const configDir = path.join(s.dirs.config, 'kafka');
  const dataDir = path.join(s.dirs.data, 'kafka');
  const properties = path.join(configDir, 'server.properties');
  const classpath = `${libs}/*`;
  const bootstrap = `127.0.0.1:${s.ports.kafka}`;

  const writeConfig = () => {
    fs.mkdirSync(configDir, { recursive: true });
    fs.writeFileSync(
      properties,
      [
        '# Written by mlstream (services/cli/src/stack/kafka.ts); edits are overwritten on start.',
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${s.ports.kafkaController}`,
        `listeners=PLAINTEXT://127.0.0.1:${s.ports.kafka},CONTROLLER://127.0.0.1:${s.ports.kafkaController}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${s.ports.kafka}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
        'inter.broker.listener.name=PLAINTEXT',
        `log.dirs=${dataDir}`,
        // Topics come from the catalog (`topics apply`), never from a typo.
        'auto.create.topics.enable=false',
        'num.partitions=1',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=8',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'transaction.state.log.num.partitions=8',
        'share.coordinator.state.topic.replication.factor=1',
        'share.coordinator.state.topic.min.isr=1',
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
        `appender.file.fileName = ${path.join(s.dirs.logs, 'kafka-server.log')}`,
        `appender.file.filePattern = ${path.join(s.dirs.logs, 'kafka-server.log')}.%i`,
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
    const idFile = path.join(configDir, 'cluster-id');
    let clusterId = fs.existsSync(idFile) ? fs.readFileSync(idFile, 'utf8').trim() : '';
    if (!clusterId) {
      clusterId = run(s.java, ['-cp', classpath, 'kafka.tools.StorageTool', 'random-uuid'], 'Kafka cluster id')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^[A-Za-z0-9_-]{22}$/.test(l))[0] ?? '';
      if (!clusterId) throw new MlstreamError('STACK_INSTALL_FAILED', 'Kafka StorageTool printed no cluster id');
      fs.writeFileSync(idFile, clusterId);
    }
    run(s.java, ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', properties, '--ignore-formatted'], 'Kafka storage format');
  };

  return {
    name: 'kafka',
    title: 'Kafka',
    ports: [
      { port: s.ports.kafka, variable: 'MLSTREAM_KAFKA_PORT' },
      { port: s.ports.kafkaController, variable: 'MLSTREAM_KAFKA_CONTROLLER_PORT' },
    ],
    endpoint: () => bootstrap,
    async install(log) {
      if (fs.existsSync(path.join(installDir, '.complete'))) return;
      log(`resolving Apache Kafka ${s.versions.kafka} jars from Maven Central (one time)…`);
      const staging = `${libs}.partial`;
      fs.rmSync(staging, { recursive: true, force: true });
      run(
        'mvn',
        ['-B', '-q', '-f', path.join(repoRoot, 'infra/kafka/pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime', `-Dkafka.version=${s.versions.kafka}`],
        'Kafka install',
      );
      fs.rmSync(libs, { recursive: true, force: true });
      fs.renameSync(staging, libs);
      fs.writeFileSync(path.join(installDir, '.complete'), new Date().toISOString());
    },
    start() {
      writeConfig();
      formatStorage();
      return startDaemon({
        part: 'kafka',
        command: s.java,
        args: [
          `-Xms256m`,
          `-Xmx${s.heap.kafka}`,
          '-XX:+UseG1GC',
          '-Djava.awt.headless=true',
          `-Dlog4j2.configurationFile=${path.join(configDir, 'log4j2.properties')}`,
          '-cp',
          classpath,
          'kafka.Kafka',
          properties,
        ],
        cwd: s.home,
        runDir: s.dirs.run,
        log: path.join(s.dirs.logs, 'kafka.out'),
        marker: properties,
      });
    },
    async probe() {
      const kafka = new Kafka({ brokers: [bootstrap], clientId: 'mlstream-stack', logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1_000 });
      const admin = kafka.admin();
      try {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.brokers.length === 0) throw new Error('no broker in metadata yet');
      } finally {
        await admin.disconnect().catch(() => {});
      }
    },
    async version() {
      // The broker runs from this folder's jars (see start()), so their version is the running one.
      const jar = fs.existsSync(libs) ? fs.readdirSync(libs).find((f) => /^kafka_2\.13-.*\.jar$/.test(f)) : undefined;
      return jar ? jar.replace(/^kafka_2\.13-/, '').replace(/\.jar$/, '') : 'unknown';
    },
  };
}
