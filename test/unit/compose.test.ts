import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { connectionSchema, serviceConfigSchema } from '@mlstream/kit';
import { gatewayConfigSchema } from '@mlstream/gateway';

const driftVariables = ['MLSTREAM_HTTP_HOST', 'MLSTREAM_DRIFT_WINDOW_SIZE', 'MLSTREAM_DRIFT_CONSECUTIVE_WINDOWS', 'MLSTREAM_DRIFT_COOLDOWN_MS', 'MLSTREAM_DRIFT_SHARE', 'MLSTREAM_DRIFT_LABEL_HORIZON', 'MLSTREAM_DRIFT_MODELS'];

type Service = { image?: string; build?: unknown; depends_on?: Record<string, unknown>; environment?: Record<string, unknown> };
const compose = parse(fs.readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };

/** The compose client of this machine, if any: the v2 plugin or the v1 binary. */
const composeClient = (): string[] | undefined => {
  if (spawnSync('docker', ['compose', 'version']).status === 0) return ['docker', 'compose'];
  if (spawnSync('docker-compose', ['version']).status === 0) return ['docker-compose'];
  return undefined;
};

describe('docker-compose.yml', () => {
  it('is valid for the compose client where one is installed, and well-formed in any case', () => {
    const client = composeClient();
    if (client) {
      const [command, ...args] = client;
      const result = spawnSync(command!, [...args, 'config', '-q'], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    }
    // Without a client, check what `config` would: every service runs something
    // and every dependency exists.
    const names = Object.keys(compose.services);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image ?? service.build, `${name} has an image or a build`).toBeDefined();
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(names, `${name} depends on ${dependency}`).toContain(dependency);
    }
  });

  it('runs Kafka 4.x, Apicurio 3.x and a current ClickHouse', () => {
    expect(compose.services.kafka?.image).toMatch(/^apache\/kafka:4\./);
    expect(compose.services.registry?.image).toMatch(/^apicurio\/apicurio-registry:3\./);
    expect(compose.services.clickhouse?.image).toMatch(/^clickhouse\/clickhouse-server:2\d\./);
  });

  it('configures mlstream services only with variables the services understand', () => {
    const known = [...Object.keys(connectionSchema({}).shape), ...Object.keys(serviceConfigSchema.shape), ...Object.keys(gatewayConfigSchema.shape)];
    for (const [name, service] of Object.entries(compose.services)) {
      if (!service.build) continue;
      for (const variable of Object.keys(service.environment ?? {})) expect([...known, ...driftVariables], `${name}: ${variable}`).toContain(variable);
    }
  });
});
