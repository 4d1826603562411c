import { spawn } from 'node:child_process';
import path from 'node:path';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createClickHouse, createKafka, createMetrics, createSchemaRegistryClient, health } from '@mlstream/kit';
import { createTopics, connections, testKafka, testLogger, uniqueName, waitFor } from '../helpers/index.ts';

describe('kit runtime against the local stack', () => {
  it('serves /healthz, /readyz with real dependency checks, and Prometheus /metrics', async () => {
    const metrics = createMetrics('kit-test');
    const admin = testKafka('kit-health').admin();
    await admin.connect();
    const clickhouse = createClickHouse({ url: connections.clickhouse.url });
    const schemaRegistry = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
    const app = Fastify({ logger: false });
    await app.register(health, {
      metrics: metrics.prometheus,
      checks: [
        { name: 'kafka', check: async () => void (await admin.describeCluster()) },
        { name: 'registry', check: () => schemaRegistry.ping() },
        {
          name: 'clickhouse',
          check: async () => {
            const ping = await clickhouse.ping();
            if (!ping.success) throw ping.error;
          },
        },
        { name: 'nowhere', check: () => createSchemaRegistryClient({ url: 'http://127.0.0.1:9/apis/ccompat/v7', timeoutMs: 500 }).ping() },
      ],
    });
    try {
      expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      const ready = await app.inject('/readyz');
      expect(ready.statusCode).toBe(503);
      const checks = Object.fromEntries(ready.json().checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok]));
      expect(checks).toEqual({ kafka: true, registry: true, clickhouse: true, nowhere: false });
      metrics.messagesConsumed.inc({ topic: 'mlops.predictions.v1' }, 3);
      const text = (await app.inject('/metrics')).body;
      expect(text).toMatch(/mlstream_messages_consumed_total\{topic="mlops.predictions.v1",service="kit-test"\} 3/);
      expect(text).toContain('process_cpu_seconds_total');
    } finally {
      await app.close();
      await admin.disconnect();
      await clickhouse.close();
    }
  });

  it('a consumer service stops cleanly on SIGTERM after handling what it consumed', async () => {
    const topic = uniqueName('runner');
    const kafka = createKafka({ brokers: connections.kafkaBrokers, clientId: 'kit-test', logger: testLogger() });
    const admin = kafka.admin();
    await admin.connect();
    await createTopics(admin, [{ topic }]);
    await admin.disconnect();

    const tsx = path.resolve('node_modules/.bin/tsx');
    const child = spawn(tsx, ['test/fixtures/runner-service.ts'], { env: { ...process.env, MLSTREAM_TEST_TOPIC: topic }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    await waitFor(() => out.includes('consumer.started'), { what: 'consumer.started', timeoutMs: 60_000 });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'hello-runner' }] });
    await producer.disconnect();
    await waitFor(() => out.includes('hello-runner'), { what: 'the message to be handled', timeoutMs: 60_000 });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; service: string });
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutdown.started', 'consumer.stopped', 'shutdown.completed']));
    expect(lines.every((l) => l.service === 'runner-fixture')).toBe(true);
  });
});
