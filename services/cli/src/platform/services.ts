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
