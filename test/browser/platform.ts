// The platform the browser test looks at: every service as its own process
// (as `npm start` runs them) on a fresh topic prefix and ClickHouse database.
import { applyContracts } from '../../services/cli/src/commands/contracts.ts';
import { uniqueName, waitFor } from '../helpers/index.ts';
import { freePort, startService, type ServiceProcess } from '../helpers/processes.ts';

export const API_KEY = 'mlstream-dev-key';

const SERVICES = [
  ['tracking', 'services/tracking/src/main.ts'],
  ['registry', 'services/registry/src/main.ts'],
  ['materializer', 'services/materializer/src/main.ts'],
  ['drift-detector', 'services/drift-detector/src/main.ts'],
  ['gateway', 'services/gateway/src/main.ts'],
] as const;

export interface Platform {
  prefix: string;
  database: string;
  env: Record<string, string>;
  gatewayUrl: string;
  /** The last lines each service printed, for failure messages. */
  logs(): string;
  stop(): Promise<void>;
}

export interface PlatformOptions {
  /** Label in the topic prefix and database name. */
  label: string;
  /** Extra service environment (drift window sizes, per-model overrides). */
  env?: Record<string, string>;
}

/** Applies topics and schemas, starts the five services and waits until each answers /readyz. */
export async function startPlatform(options: PlatformOptions): Promise<Platform> {
  const prefix = `${uniqueName(options.label)}.`;
  const database = prefix.replace(/[^A-Za-z0-9]/g, '_').replace(/_+$/, '');
  const env: Record<string, string> = {
    MLSTREAM_TOPIC_PREFIX: prefix,
    MLSTREAM_CLICKHOUSE_DATABASE: database,
    MLSTREAM_LOG_LEVEL: 'warn',
    MLSTREAM_MATERIALIZER_MAX_WAIT_MS: '200',
    MLSTREAM_GATEWAY_API_KEYS: '',
    ...options.env,
  };
  // Topics and every schema first, as `npm start` does: services starting together would race to register them.
  await applyContracts({ ...process.env, ...env });
  const gatewayPort = await freePort();
  const services: Array<{ name: string; port: number; process: ServiceProcess }> = [];
  for (const [name, entry] of SERVICES) {
    const port = name === 'gateway' ? gatewayPort : await freePort();
    services.push({ name, port, process: startService(entry, { ...env, MLSTREAM_HTTP_PORT: String(port), MLSTREAM_GATEWAY_PORT: String(gatewayPort) }) });
  }
  const logs = () => services.map((s) => `--- ${s.name} ---\n${s.process.output().slice(-3000)}`).join('\n');
  const stop = async () => {
    for (const s of services) if (s.process.child.exitCode === null) s.process.child.kill('SIGTERM');
    await Promise.all(services.map((s) => Promise.race([s.process.exited, new Promise((r) => setTimeout(r, 10_000))])));
    for (const s of services) if (s.process.child.exitCode === null) s.process.child.kill('SIGKILL');
  };
  try {
    await Promise.all(
      services.map((s) =>
        waitFor(
          async () => {
            if (s.process.child.exitCode !== null) throw new Error(`${s.name} exited with ${s.process.child.exitCode}:\n${s.process.output()}`);
            return (await fetch(`http://127.0.0.1:${s.port}/readyz`)).ok;
          },
          { what: `${s.name} ready`, timeoutMs: 120_000, intervalMs: 250 },
        ),
      ),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { prefix, database, env, gatewayUrl: `http://127.0.0.1:${gatewayPort}`, logs, stop };
}
