import fs from 'node:fs';
import path from 'node:path';
import type { StackSettings } from './settings.ts';
import { checkMaven } from './prerequisites.ts';
import { run, startDaemon } from './processes.ts';
import { apicurioJavaNeed } from './java.ts';
import type { PartRun, StackPart } from './part.ts';

/**
 * Apicurio Registry 3.x from Maven Central, serving the Confluent-compatible
 * API at /apis/ccompat/v7, with `kafkasql` storage: every schema lives in a
 * Kafka topic, so it survives restarts of the registry.
 */
export function schemaRegistryPart(s: StackSettings, plan: PartRun): StackPart {
  const installDir = path.join(s.dirs.install, `apicurio-${plan.version}`);
  const baseUrl = `http://127.0.0.1:${s.ports.registry}`;
  const marker = `-Dmlstream.home=${s.home}`;
  // 3.0.x can switch its management interface off (health on the main port);
  // from 3.1 it is fixed on at build time, so it gets a loopback port of its own.
  const managed = apicurioJavaNeed(plan.version) >= 21;
  const healthUrl = `http://127.0.0.1:${managed ? s.ports.registryManagement : s.ports.registry}/health/ready`;

  /** 3.0.x ships a legacy runner jar; 3.1+ ships quarkus-app/quarkus-run.jar. */
  const runnable = (): string => {
    const candidates = [path.join(installDir, 'quarkus-app', 'quarkus-run.jar'), path.join(installDir, 'quarkus-run.jar')];
    const runner = fs.existsSync(installDir) ? fs.readdirSync(installDir).find((f) => f.endsWith('-runner.jar')) : undefined;
    if (runner) candidates.push(path.join(installDir, runner));
    const found = candidates.find((c) => fs.existsSync(c));
    if (!found) throw new Error(`no runnable jar in ${installDir}`);
    return found;
  };

  return {
    name: 'registry',
    title: 'Schema registry (Apicurio)',
    ports: [
      { port: s.ports.registry, variable: 'MLSTREAM_REGISTRY_PORT' },
      ...(managed ? [{ port: s.ports.registryManagement, variable: 'MLSTREAM_REGISTRY_MANAGEMENT_PORT' }] : []),
    ],
    endpoint: () => `${baseUrl}/apis/ccompat/v7`,
    async install(log) {
      if (fs.existsSync(path.join(installDir, '.complete'))) return;
      checkMaven();
      log(`downloading Apicurio Registry ${plan.version} from Maven Central (one time)…`);
      const staging = `${installDir}.partial`;
      fs.rmSync(staging, { recursive: true, force: true });
      fs.mkdirSync(staging, { recursive: true });
      run(
        'mvn',
        ['-B', '-q', 'dependency:copy', `-Dartifact=io.apicurio:apicurio-registry-app:${plan.version}:tar.gz:all`, `-DoutputDirectory=${staging}`],
        'Apicurio install',
      );
      const archive = fs.readdirSync(staging).find((f) => f.endsWith('.tar.gz'));
      if (!archive) throw new Error(`Apicurio download left no tar.gz in ${staging}`);
      run('tar', ['xzf', archive], 'Apicurio unpack', { cwd: staging });
      fs.rmSync(path.join(staging, archive));
      fs.rmSync(installDir, { recursive: true, force: true });
      fs.renameSync(staging, installDir);
      fs.writeFileSync(path.join(installDir, '.complete'), new Date().toISOString());
    },
    start() {
      if (!plan.java) throw new Error('schemaRegistryPart: no JDK chosen (java.ts planJava)');
      const { runtime, reason } = plan.java;
      return startDaemon({
        part: 'registry',
        command: runtime.java,
        args: [`-Xmx${s.heap.registry}`, '-XX:+UseSerialGC', marker, '-jar', runnable()],
        cwd: installDir,
        env: {
          APICURIO_STORAGE_KIND: 'kafkasql',
          APICURIO_KAFKASQL_BOOTSTRAP_SERVERS: s.kafkaBootstrap ?? `127.0.0.1:${s.ports.kafka}`,
          QUARKUS_HTTP_HOST: '127.0.0.1',
          QUARKUS_HTTP_PORT: String(s.ports.registry),
          ...(managed
            ? { QUARKUS_MANAGEMENT_HOST: '127.0.0.1', QUARKUS_MANAGEMENT_PORT: String(s.ports.registryManagement) }
            : { QUARKUS_MANAGEMENT_ENABLED: 'false' }),
          QUARKUS_LOG_LEVEL: 'WARN',
          QUARKUS_LOG_CATEGORY__IO_QUARKUS__LEVEL: 'INFO',
          // 3.3 logs every request (access and audit lines) at INFO.
          QUARKUS_LOG_CATEGORY__IO_APICURIO__LEVEL: 'WARN',
          QUARKUS_HTTP_ACCESS_LOG_ENABLED: 'false',
        },
        runDir: s.dirs.run,
        log: path.join(s.dirs.logs, 'registry.log'),
        marker,
        about: { version: plan.version, java: { path: runtime.java, major: runtime.major, version: runtime.version, reason } },
      });
    },
    async probe() {
      const ready = await fetch(healthUrl, { signal: AbortSignal.timeout(2_000) });
      if (!ready.ok) throw new Error(`/health/ready answered ${ready.status}`);
      const subjects = await fetch(`${baseUrl}/apis/ccompat/v7/subjects`, { signal: AbortSignal.timeout(2_000) });
      if (!subjects.ok) throw new Error(`/apis/ccompat/v7/subjects answered ${subjects.status}`);
    },
    async version() {
      const res = await fetch(`${baseUrl}/apis/registry/v3/system/info`, { signal: AbortSignal.timeout(2_000) });
      const info = (await res.json()) as { name?: string; version?: string };
      return info.version ?? 'unknown';
    },
  };
}
