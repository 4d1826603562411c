import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { MlstreamError } from '@mlstream/kit';

const missing = (thing: string, fix: string) =>
  new MlstreamError('STACK_PREREQUISITE_MISSING', `${thing} is missing: ${fix}`, { details: { thing } });

/** Maven resolves Kafka's jars and the Apicurio distribution from Maven Central. */
export function checkMaven(): void {
  const result = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) throw missing('Maven (mvn)', 'install Maven 3.8+ (Debian: apt-get install maven)');
}

export const clickhouseCandidates = ['/usr/bin/clickhouse-server', '/usr/sbin/clickhouse-server', '/usr/bin/clickhouse'];

export function findClickhouse(): { command: string; args: string[] } | undefined {
  for (const candidate of clickhouseCandidates) {
    if (fs.existsSync(candidate)) {
      // The single-binary layout (`clickhouse server`) needs the sub-command.
      return candidate.endsWith('/clickhouse') ? { command: candidate, args: ['server'] } : { command: candidate, args: [] };
    }
  }
  return undefined;
}

/** Installs Debian's clickhouse-server if absent (needs root and apt-get). */
export function ensureClickhouseInstalled(log: (line: string) => void): { command: string; args: string[] } {
  const found = findClickhouse();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const hasApt = spawnSync('apt-get', ['--version']).status === 0;
  if (!hasApt) throw missing('clickhouse-server', 'install ClickHouse yourself (it must be on PATH as clickhouse-server) or use Docker Compose');
  if (!isRoot) throw missing('clickhouse-server', 'run `sudo apt-get install -y clickhouse-server clickhouse-client` once, then retry');
  log('installing clickhouse-server from apt (one time)…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update'], { encoding: 'utf8', env });
  if (update.status !== 0) throw missing('clickhouse-server', `apt-get update failed:\n${update.stderr}`);
  const install = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'clickhouse-server', 'clickhouse-client'], { encoding: 'utf8', env });
  if (install.status !== 0) throw missing('clickhouse-server', `apt-get install failed:\n${install.stderr.split('\n').slice(-15).join('\n')}`);
  const installed = findClickhouse();
  if (!installed) throw missing('clickhouse-server', 'apt-get install succeeded but no server binary was found');
  return installed;
}
