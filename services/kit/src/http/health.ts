import fp from 'fastify-plugin';
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; rejects (or times out) otherwise. */
  check: () => Promise<void>;
}

export interface HealthPluginOptions {
  checks: ReadinessCheck[];
  metrics: Registry;
  /** Per-check timeout in ms; default 2 000. */
  timeoutMs?: number;
  /** Set to false while shutting down so load balancers drain us. */
  accepting?: () => boolean;
}

const withTimeout = async (promise: Promise<void>, ms: number): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * `/healthz`: the process is alive. `/readyz`: every dependency answers (503
 * with the failing ones otherwise). `/metrics`: Prometheus text format.
 */
const healthPlugin: FastifyPluginAsync<HealthPluginOptions> = async (app, options) => {
  const timeoutMs = options.timeoutMs ?? 2_000;
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));
  app.get('/readyz', { logLevel: 'warn' }, async (_request, reply) => {
    const results = await Promise.all(
      options.checks.map(async ({ name, check }) => {
        try {
          await withTimeout(check(), timeoutMs);
          return { name, ok: true as const };
        } catch (error) {
          return { name, ok: false as const, error: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    const accepting = options.accepting?.() ?? true;
    const ready = accepting && results.every((r) => r.ok);
    return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', accepting, checks: results });
  });
  app.get('/metrics', { logLevel: 'warn' }, async (_request, reply) => {
    reply.header('content-type', options.metrics.contentType);
    return options.metrics.metrics();
  });
};

export const health = fp(healthPlugin, { name: 'mlstream-health', fastify: '5.x' });
