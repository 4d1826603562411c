import fs from 'node:fs';
import path from 'node:path';
import type { StackSettings } from './settings.ts';
import { startDaemon } from './processes.ts';
import { ensureClickhouseInstalled, findClickhouse } from './prerequisites.ts';
import type { StackPart } from './part.ts';

/** One replica of a replicated ClickHouse cluster (cluster mode, cluster.ts). */
export interface ClickhouseReplica {
  index: number;
  httpPort: number;
  tcpPort: number;
  interserverPort: number;
  /** remote_servers, zookeeper, macros and distributed_ddl sections, written verbatim into config.xml. */
  clusterXml: string;
}

/**
 * ClickHouse from Debian's clickhouse-server package (18.16), run with a
 * project-local config so data and logs stay under the state folder. With
 * `replica`, one server of the local cluster (own ports, data, logs, pid).
 */
export function clickhousePart(s: StackSettings, replica?: ClickhouseReplica): StackPart {
  const name = replica ? `clickhouse-${replica.index}` : 'clickhouse';
  const configDir = path.join(s.dirs.config, name);
  const dataDir = path.join(s.dirs.data, name);
  const config = path.join(configDir, 'config.xml');
  const httpPort = replica?.httpPort ?? s.ports.clickhouseHttp;
  const tcpPort = replica?.tcpPort ?? s.ports.clickhouseTcp;
  const baseUrl = `http://127.0.0.1:${httpPort}`;

  const writeConfig = () => {
    for (const dir of [configDir, dataDir, path.join(dataDir, 'tmp'), path.join(dataDir, 'user_files'), path.join(dataDir, 'format_schemas')]) {
      fs.mkdirSync(dir, { recursive: true });
    }
    fs.writeFileSync(
      config,
      `<?xml version="1.0"?>
<!-- Written by mlstream (services/cli/src/stack/clickhouse.ts); edits are overwritten on start. -->
<yandex>
  <logger>
    <level>warning</level>
    <log>${path.join(s.dirs.logs, `${name}-server.log`)}</log>
    <errorlog>${path.join(s.dirs.logs, `${name}-server.err.log`)}</errorlog>
    <size>50M</size>
    <count>3</count>
  </logger>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>${replica ? `
  <interserver_http_port>${replica.interserverPort}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
${replica.clusterXml}` : ''}
  <listen_host>127.0.0.1</listen_host>
  <path>${dataDir}/</path>
  <tmp_path>${path.join(dataDir, 'tmp')}/</tmp_path>
  <user_files_path>${path.join(dataDir, 'user_files')}/</user_files_path>
  <format_schema_path>${path.join(dataDir, 'format_schemas')}/</format_schema_path>
  <users_config>${path.join(configDir, 'users.xml')}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>268435456</mark_cache_size>
  <uncompressed_cache_size>268435456</uncompressed_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
</yandex>
`,
    );
    fs.writeFileSync(
      path.join(configDir, 'users.xml'),
      `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>4000000000</max_memory_usage>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
    </default>
  </quotas>
</yandex>
`,
    );
  };

  const query = async (sql: string): Promise<string> => {
    const res = await fetch(`${baseUrl}/?query=${encodeURIComponent(sql)}`, { signal: AbortSignal.timeout(2_000) });
    const body = await res.text();
    if (!res.ok) throw new Error(`ClickHouse answered ${res.status}: ${body.slice(0, 200)}`);
    return body.trim();
  };

  return {
    name,
    title: replica ? `ClickHouse replica ${replica.index}` : 'ClickHouse',
    ports: replica
      ? [httpPort, tcpPort, replica.interserverPort].map((port) => ({ port, variable: 'MLSTREAM_CLUSTER_PORT_BASE' }))
      : [
          { port: s.ports.clickhouseHttp, variable: 'MLSTREAM_CLICKHOUSE_HTTP_PORT' },
          { port: s.ports.clickhouseTcp, variable: 'MLSTREAM_CLICKHOUSE_TCP_PORT' },
        ],
    endpoint: () => baseUrl,
    async install(log) {
      ensureClickhouseInstalled(log);
    },
    start() {
      writeConfig();
      const binary = findClickhouse() ?? ensureClickhouseInstalled(() => {});
      return startDaemon({
        part: name,
        command: binary.command,
        args: [...binary.args, `--config-file=${config}`, `--pid-file=${path.join(s.dirs.run, `${name}.pid`)}`],
        cwd: dataDir,
        runDir: s.dirs.run,
        log: path.join(s.dirs.logs, `${name}.out`),
        marker: config,
      });
    },
    async probe() {
      const one = await query('SELECT 1');
      if (one !== '1') throw new Error(`SELECT 1 answered ${one}`);
    },
    version: () => query('SELECT version()'),
  };
}
