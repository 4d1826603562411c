import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { StackSettings } from './settings.ts';
import { checkMaven } from './prerequisites.ts';
import { repoRoot } from './settings.ts';
import { run, startDaemon } from './processes.ts';
import type { PartRun, StackPart } from './part.ts';

/** The newest ZooKeeper served on Maven Central when this was written (3.9.6 is not). */
export const defaultZookeeperVersion = '3.9.5';

/** Sends a four-letter command and returns the answer (ZooKeeper's admin words: ruok, srvr, mntr). */
export function fourLetterWord(port: number, word: string, timeoutMs = 2_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let answer = '';
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`ZooKeeper ${word}: no answer in ${timeoutMs} ms`)));
    socket.on('connect', () => socket.write(word));
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}

/**
 * Apache ZooKeeper, one standalone server from its Maven Central jars
 * (infra/zookeeper/pom.xml): the coordination ClickHouse 18.16 needs for
 * Replicated tables and ON CLUSTER DDL (that version has no Keeper).
 */
export function zookeeperPart(s: StackSettings, plan: PartRun, port: number): StackPart {
  const installDir = path.join(s.dirs.install, `zookeeper-${plan.version}`);
  const libs = path.join(installDir, 'libs');
  const configDir = path.join(s.dirs.config, 'zookeeper');
  const dataDir = path.join(s.dirs.data, 'zookeeper');
  const config = path.join(configDir, 'zoo.cfg');

  return {
    name: 'zookeeper',
    title: 'ZooKeeper',
    ports: [{ port, variable: 'MLSTREAM_CLUSTER_PORT_BASE' }],
    endpoint: () => `127.0.0.1:${port}`,
    async install(log) {
      if (fs.existsSync(path.join(installDir, '.complete'))) return;
      checkMaven();
      log(`resolving Apache ZooKeeper ${plan.version} jars from Maven Central (one time)…`);
      const staging = `${libs}.partial`;
      fs.rmSync(staging, { recursive: true, force: true });
      run(
        'mvn',
        ['-B', '-q', '-f', path.join(repoRoot, 'infra/zookeeper/pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${staging}`, '-DincludeScope=runtime', `-Dzookeeper.version=${plan.version}`],
        'ZooKeeper install',
      );
      fs.rmSync(libs, { recursive: true, force: true });
      fs.renameSync(staging, libs);
      fs.writeFileSync(path.join(installDir, '.complete'), new Date().toISOString());
    },
    start() {
      if (!plan.java) throw new Error('zookeeperPart: no JDK chosen (java.ts planJava)');
      const { runtime, reason } = plan.java;
      fs.mkdirSync(configDir, { recursive: true });
      fs.mkdirSync(dataDir, { recursive: true });
      fs.writeFileSync(
        config,
        [
          '# Written by mlstream (services/cli/src/stack/zookeeper.ts); edits are overwritten on start.',
          `dataDir=${dataDir}`,
          `clientPort=${port}`,
          'clientPortAddress=127.0.0.1',
          'tickTime=2000',
          'maxClientCnxns=200',
          'admin.enableServer=false',
          '4lw.commands.whitelist=ruok,srvr,mntr',
          'autopurge.snapRetainCount=3',
          'autopurge.purgeInterval=1',
          '',
        ].join('\n'),
      );
      return startDaemon({
        part: 'zookeeper',
        command: runtime.java,
        args: ['-Xmx256m', '-XX:+UseSerialGC', '-Dorg.slf4j.simpleLogger.defaultLogLevel=warn', '-cp', `${libs}/*`, 'org.apache.zookeeper.server.ZooKeeperServerMain', config],
        cwd: s.home,
        runDir: s.dirs.run,
        log: path.join(s.dirs.logs, 'zookeeper.out'),
        marker: config,
        about: { version: plan.version, java: { path: runtime.java, major: runtime.major, version: runtime.version, reason } },
      });
    },
    async probe() {
      // `ruok` answers imok before the database is loaded; `srvr` names a mode only once it serves.
      const answer = await fourLetterWord(port, 'srvr');
      if (!/Mode: /.test(answer)) throw new Error(`srvr answered ${JSON.stringify(answer.trim().slice(0, 120))}`);
    },
    async version() {
      const srvr = await fourLetterWord(port, 'srvr');
      return /version: ([\d.]+)/.exec(srvr)?.[1] ?? plan.version;
    },
  };
}
