import Fastify from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { RegistryClient } from '../registry/index.ts';
import { health } from './health.ts';

export interface OpsServerOptions {
  kafka: Kafka;
  registry: RegistryClient;
  metrics: Registry;
  /** 0 picks a free port. */
  port: number;
  /** Served at /status. */
  status: () => unknown;
}

export interface OpsServer {
  port: number;
  /** /readyz answers 503 from now on, so load balancers drain the instance. */
  drain(): void;
  close(): Promise<void>;
}

/**
 * The operations side every consumer service shares: /healthz, /readyz
 * (Kafka and the schema registry answer), /metrics and /status on loopback.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const admin = options.kafka.admin();
  await admin.connect();
  const app = Fastify({ logger: false });
  let accepting = true;
  await app.register(health, {
    metrics: options.metrics,
    accepting: () => accepting,
    checks: [
      { name: 'kafka', check: async () => void (await admin.describeCluster()) },
      { name: 'registry', check: () => options.registry.ping() },
    ],
  });
  app.get('/status', async () => options.status());
  const address = await app.listen({ host: '127.0.0.1', port: options.port });
  return {
    port: Number(new URL(address).port),
    drain: () => void (accepting = false),
    async close() {
      await app.close();
      await admin.disconnect();
    },
  };
}
