import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../stack/index.ts';

/** A service `npm start` supervises: its entry point and the port of its HTTP side. */
export interface ServiceSpec {
  name: string;
  entry: string;
  /** Port of /healthz, /readyz, /metrics (and the API, for the gateway). */
  port: number;
  /** Extra environment for this service. */
  env?: Record<string, string>;
  /** Shown in the URL list. */
  urls?: (port: number) => Array<[string, string]>;
}

/** Every mlstream service, in start order. Ports are fixed so URLs are stable. */
export const platformServices: ServiceSpec[] = [
  { name: 'tracking', entry: 'services/tracking/src/main.ts', port: 18201 },
  { name: 'registry', entry: 'services/registry/src/main.ts', port: 18202 },
  { name: 'materializer', entry: 'services/materializer/src/main.ts', port: 18203 },
  { name: 'drift-detector', entry: 'services/drift-detector/src/main.ts', port: 18204 },
  { name: 'webhooks', entry: 'services/webhooks/src/main.ts', port: 18205 },
  { name: 'orchestrator', entry: 'services/orchestrator/src/main.ts', port: 18206 },
  { name: 'features', entry: 'services/features/src/main.ts', port: 18207, urls: (port) => [['online features', `http://127.0.0.1:${port}/v1/features/online`]] },
  { name: 'validator', entry: 'services/validator/src/main.ts', port: 18208 },
  {
    name: 'gateway',
    entry: 'services/gateway/src/main.ts',
    port: 8080,
    env: { MLSTREAM_GATEWAY_PORT: '8080' },
    urls: (port) => [
      ['gateway', `http://127.0.0.1:${port}/v1`],
      ['API docs', `http://127.0.0.1:${port}/docs`],
      ['console', `http://127.0.0.1:${port}/ui`],
    ],
  },
];

/** The services whose entry point exists in this checkout. */
export const availableServices = (): ServiceSpec[] => platformServices.filter((s) => fs.existsSync(path.join(repoRoot, s.entry)));

/** One running copy of a service: its own name (`gateway-2`), HTTP port and environment. */
export interface ServiceInstance extends ServiceSpec {
  service: string;
  /** 1-based. */
  instance: number;
}

/**
 * N instances of each service, each on its own HTTP port. Single stack: the
 * service's port, then +10 per further instance (gateway 8080, 8090). Cluster:
 * `portBase + 10 × (index in platformServices) + instance − 1`, clear of the
 * single platform so both can run. Instances of one service share its consumer
 * group, so Kafka splits the partitions between them.
 */
export function serviceInstances(services: ServiceSpec[], count: number, portBase?: number): ServiceInstance[] {
  if (!Number.isInteger(count) || count < 1 || count > 9) throw new TypeError(`--instances: expected 1..9, got ${count}`);
  return services.flatMap((spec) =>
    Array.from({ length: count }, (_, i): ServiceInstance => {
      const index = platformServices.findIndex((s) => s.name === spec.name);
      const port = portBase === undefined ? spec.port + 10 * i : portBase + 10 * Math.max(0, index) + i;
      const env = { ...spec.env, ...(spec.env?.MLSTREAM_GATEWAY_PORT ? { MLSTREAM_GATEWAY_PORT: String(port) } : {}) };
      return { ...spec, name: count === 1 ? spec.name : `${spec.name}-${i + 1}`, service: spec.name, instance: i + 1, port, env };
    }),
  );
}
