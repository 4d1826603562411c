import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, resolveCatalog, startService, type RunningService } from '@mlstream/kit';
import { startTracking } from '@mlstream/tracking';
import { startModelRegistry } from '@mlstream/registry';
import { runMaterializerService } from '@mlstream/materializer';
import { startDriftDetector } from '@mlstream/drift-detector';
import { startGateway } from '@mlstream/gateway';
import { freePort } from '../helpers/processes.ts';
import { applyTestTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';

// Every service starts in-process through the one bootstrap (signals off),
// listening on a configured host that is not the default: 127.0.0.2, still
// loopback. /healthz, /readyz (503 until ready, then 200), /metrics, and a
// stop() that is safe to call twice.
const HOST = '127.0.0.2';

/** A port nobody listens on at HOST right now. */

const get = async (host: string, port: number, path: string) => {
  const res = await fetch(`http://${host}:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
  const text = await res.text();
  return { status: res.status, text, json: () => JSON.parse(text) as Record<string, unknown> };
};

/** True when nothing listens at host:port (a fresh TCP connection is refused). */
const refused = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });

interface Started {
  port: number;
  stop(): Promise<void>;
}

describe('service bootstrap: every service in-process on a configured host', () => {
  const prefix = `${uniqueName('boot')}.`;
  const db = uniqueName('boot').replace(/-/g, '_');
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('bootstrap');
  const env = {
    ...process.env,
    MLSTREAM_TOPIC_PREFIX: prefix,
    MLSTREAM_CLICKHOUSE_DATABASE: db,
    MLSTREAM_HTTP_HOST: HOST,
    MLSTREAM_GATEWAY_HOST: HOST,
    MLSTREAM_LOG_LEVEL: process.env.MLSTREAM_TEST_LOG_LEVEL ?? 'silent',
    MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: '6000',
  };

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
  });

  afterAll(async () => {
    const clickhouse = createClickHouse({ url: connections.clickhouse.url, username: connections.clickhouse.username, password: connections.clickhouse.password });
    await clickhouse.command({ query: `DROP DATABASE IF EXISTS ${db}` }).finally(() => clickhouse.close());
  });

  const services: Array<{ name: string; portVariable: string; readiness: string[]; start: (env: NodeJS.ProcessEnv) => Promise<Started> }> = [
    { name: 'tracking', portVariable: 'MLSTREAM_HTTP_PORT', readiness: ['consumer-group', 'service'], start: (e) => startTracking({ env: e, signals: false }) },
    { name: 'registry', portVariable: 'MLSTREAM_HTTP_PORT', readiness: ['consumer-group', 'service'], start: (e) => startModelRegistry({ env: e, signals: false }) },
    { name: 'materializer', portVariable: 'MLSTREAM_HTTP_PORT', readiness: ['consumer-group', 'service'], start: (e) => runMaterializerService({ env: e, signals: false }) },
    { name: 'drift-detector', portVariable: 'MLSTREAM_HTTP_PORT', readiness: ['consumer-group', 'service'], start: (e) => startDriftDetector({ env: e, signals: false }) },
    { name: 'gateway', portVariable: 'MLSTREAM_GATEWAY_PORT', readiness: ['command-results', 'read-view'], start: (e) => startGateway({ env: e, signals: false }) },
  ];

  it.each(services)('$name: health, readiness (503 until ready, then 200), metrics, stop twice', async ({ name, portVariable, readiness, start }) => {
    const port = await freePort();
    const starting = start({ ...env, [portVariable]: String(port) });
    // /readyz from the moment the port answers: 503 (naming only the service's own
    // readiness checks) until the service is ready, then 200, never back.
    const seen: number[] = [];
    const notReady = new Set<string>();
    let service: Started | undefined;
    let failed: unknown;
    starting.then((s) => (service = s)).catch((error: unknown) => (failed = error));
    await waitFor(
      async () => {
        if (failed) return true;
        const ready = await get(HOST, port, '/readyz').catch(() => undefined);
        if (!ready) return false;
        seen.push(ready.status);
        if (ready.status === 503) for (const check of ready.json().checks as Array<{ name: string; ok: boolean }>) if (!check.ok) notReady.add(check.name);
        return ready.status === 200 && service !== undefined;
      },
      { what: `${name} ready`, timeoutMs: 90_000, intervalMs: 20 },
    );
    if (failed) throw failed;
    expect(seen.join(',')).toMatch(/^(503,)*(200,)*200$/);
    expect(readiness).toEqual(expect.arrayContaining([...notReady]));
    const running = await starting;
    expect(running.port).toBe(port);

    expect((await get(HOST, port, '/healthz')).status).toBe(200);
    const metrics = await get(HOST, port, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toContain(`service="${name}"`);
    expect(metrics.text).toMatch(/^process_cpu_user_seconds_total/m);
    if (name !== 'gateway') {
      const status = (await get(HOST, port, '/status')).json();
      expect(status).toMatchObject({ service: name, accepting: true, phase: 'joined' });
    }
    // Bound to the configured host only.
    expect(await refused('127.0.0.1', port)).toBe(true);

    const first = running.stop();
    const second = running.stop();
    await Promise.all([first, second]);
    await running.stop();
    expect(await refused(HOST, port)).toBe(true);
  });

  it('answers /readyz 503 until the runtime says ready, and 503 again while it drains', async () => {
    let ready = false;
    let finishStop: () => void = () => {};
    let stops = 0;
    const service: RunningService = await startService({
      name: 'probe',
      env,
      signals: false,
      setup: async () => ({
        ready: () => ready,
        status: () => ({ ready }),
        stop: () => {
          stops += 1;
          return new Promise<void>((resolve) => (finishStop = resolve));
        },
      }),
    });
    expect(service.host).toBe(HOST);
    const notReady = await get(HOST, service.port, '/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.json()).toMatchObject({ accepting: true, checks: expect.arrayContaining([expect.objectContaining({ name: 'service', ok: false }), expect.objectContaining({ name: 'kafka', ok: true }), expect.objectContaining({ name: 'schema-registry', ok: true })]) });
    ready = true;
    expect((await get(HOST, service.port, '/readyz')).status).toBe(200);
    expect(service.ready()).toBe(true);

    // Draining: the runtime's stop (the transaction in flight) has not finished yet.
    const stopping = service.stop();
    const draining = await get(HOST, service.port, '/readyz');
    expect(draining.status).toBe(503);
    expect(draining.json()).toMatchObject({ status: 'not_ready', accepting: false });
    expect(service.ready()).toBe(false);
    const again = service.stop();
    finishStop();
    await Promise.all([stopping, again]);
    expect(stops).toBe(1);
    expect(await refused(HOST, service.port)).toBe(true);
  });

  it('refuses an address it cannot listen on, naming the variable', async () => {
    await expect(startService({ name: 'probe', env: { ...env, MLSTREAM_HTTP_HOST: '0.0.0.0:80' }, signals: false, setup: async () => ({ stop: async () => {} }) })).rejects.toThrow(/MLSTREAM_HTTP_HOST \("0\.0\.0\.0:80"\): expected an IP address or a host name/);
  });
});
