import fs from 'node:fs';
import path from 'node:path';
import type { StackSettings } from './settings.ts';
import { run, startDaemon } from './processes.ts';
import type { StackPart } from './part.ts';

/**
 * Apicurio Registry 3.x from Maven Central, serving the Confluent-compatible
 * API at /apis/ccompat/v7, with `kafkasql` storage: every schema lives in a
 * Kafka topic, so it survives restarts of the registry.
 */
export function registryPart(s: StackSettings): StackPart {
  const installDir = path.join(s.dirs.install, `apicurio-${s.versions.apicurio}`);
  const baseUrl = `http://127.0.0.1:${s.ports.registry}`;
  const marker = `-Dmlstream.home=${s.home}`;

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
    ports: [{ port: s.ports.registry, variable: 'MLSTREAM_REGISTRY_PORT' }],
    endpoint: () => `${baseUrl}/apis/ccompat/v7`,
    async install(log) {
      if (fs.existsSync(path.join(installDir, '.complete'))) return;
      log(`downloading Apicurio Registry ${s.versions.apicurio} from Maven Central (one time)…`);
      const staging = `${installDir}.partial`;
      fs.rmSync(staging, { recursive: true, force: true });
      fs.mkdirSync(staging, { recursive: true });
      run(
        'mvn',
        ['-B', '-q', 'dependency:copy', `-Dartifact=io.apicurio:apicurio-registry-app:${s.versions.apicurio}:tar.gz:all`, `-DoutputDirectory=${staging}`],
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
      return startDaemon({
        part: 'registry',
        command: s.java,
        args: [`-Xmx${s.heap.registry}`, '-XX:+UseSerialGC', marker, '-jar', runnable()],
        cwd: installDir,
        env: {
          APICURIO_STORAGE_KIND: 'kafkasql',
          APICURIO_KAFKASQL_BOOTSTRAP_SERVERS: `127.0.0.1:${s.ports.kafka}`,
          QUARKUS_HTTP_HOST: '127.0.0.1',
          QUARKUS_HTTP_PORT: String(s.ports.registry),
          // Health lives on the main port; no second (management) port to collide.
          QUARKUS_MANAGEMENT_ENABLED: 'false',
          QUARKUS_LOG_LEVEL: 'WARN',
          QUARKUS_LOG_CATEGORY__IO_QUARKUS__LEVEL: 'INFO',
        },
        runDir: s.dirs.run,
        log: path.join(s.dirs.logs, 'registry.log'),
        marker,
      });
    },
    async probe() {
      const ready = await fetch(`${baseUrl}/health/ready`, { signal: AbortSignal.timeout(2_000) });
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
