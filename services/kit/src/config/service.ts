import { isIP } from 'node:net';
import { z } from 'zod';
import { loadConfig, portVar, type Env } from './env.ts';
import { DEFAULT_SESSION_TIMEOUT_MS } from '../kafka/consumer-preset.ts';

/** An address to listen on: an IPv4/IPv6 literal or a host name (`0.0.0.0` in a container). */
export const hostVar = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((value) => isIP(value) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(value), {
      message: 'expected an IP address or a host name to listen on, e.g. 127.0.0.1, or 0.0.0.0 in a container',
    });

/**
 * Settings every service process reads besides the connections (the service
 * bootstrap, docs/operations.md): where /healthz, /readyz, /metrics and
 * /status listen, the instance id in client ids, and the consumer timeouts.
 */
export const serviceConfigSchema = z.object({
  /** Default loopback; docker-compose sets 0.0.0.0 so Prometheus can scrape from outside the container. */
  MLSTREAM_HTTP_HOST: hostVar('127.0.0.1'),
  /** Default 0: a free port (tests, several instances on one machine). */
  MLSTREAM_HTTP_PORT: portVar(0),
  MLSTREAM_INSTANCE_ID: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected 1-64 letters, digits, . _ -').default(String(process.pid)),
  MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(6_000, 'expected at least 6000 (the broker minimum)').default(DEFAULT_SESSION_TIMEOUT_MS),
  MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS: z.coerce.number().int().min(6_000, 'expected at least 6000').default(60_000),
});

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;

export const loadServiceConfig = (env: Env = process.env): ServiceConfig => loadConfig(serviceConfigSchema, env);

/** The consumer-group timeouts every service loop takes from its config. */
export const consumerTimeouts = (config: ServiceConfig): { sessionTimeoutMs: number; rebalanceTimeoutMs: number } => ({
  sessionTimeoutMs: config.MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS,
  rebalanceTimeoutMs: config.MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS,
});
