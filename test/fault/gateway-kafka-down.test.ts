import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import kafkajs, { type ISocketFactory } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { createSchemaRegistryClient, createSerde, resolveCatalog, retryPolicies, type RunningService } from '@mlstream/kit';
import { startTracking } from '@mlstream/tracking';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics } from '../helpers/index.ts';
import { prediction, startTestGateway, tokens, type CallResult, type TestGateway } from '../fixtures/gateway/index.ts';
import { readTopic } from '@mlstream/kit';

const { Kafka, logLevel } = kafkajs;

/** A port nothing listens on (bound, then released). */
const closedPort = async (): Promise<number> => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

/**
 * A kafkajs socket factory with a switch: `cut()` destroys every open socket
 * and makes new connections fail (ECONNREFUSED from a closed port) until
 * `restore()`. To the gateway it looks exactly like Kafka going away.
 */
function cuttableNetwork(deadPort: number) {
  const sockets = new Set<net.Socket>();
  let down = false;
  const factory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket = down ? net.connect({ host: '127.0.0.1', port: deadPort }, onConnect) : net.connect({ host, port }, onConnect);
    socket.setKeepAlive(true, 60_000);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    return socket;
  };
  return {
    factory,
    cut: () => {
      down = true;
      for (const s of sockets) s.destroy(new Error('network cut by the test'));
    },
    restore: () => {
      down = false;
    },
  };
}

describe('gateway with Kafka unreachable', () => {
  const prefix = `${uniqueName('gwdown')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('gateway-fault');

  beforeAll(async () => {
    await applyTestTopics(kafka, catalog);
  });

  describe('pointed at a closed port', () => {
    let gw: TestGateway;
    beforeAll(async () => {
      gw = await startTestGateway({ prefix, env: { MLSTREAM_KAFKA_BROKERS: `127.0.0.1:${await closedPort()}`, MLSTREAM_GATEWAY_SEND_TIMEOUT_MS: '3000', MLSTREAM_GATEWAY_RETRY_AFTER_S: '7' } });
    });
    afterAll(async () => {
      await gw?.stop();
    });

    it('answers writes 503 KAFKA_UNAVAILABLE with Retry-After within the send timeout, commands too, and is not ready', async () => {
      const facts = await gw.call('POST', '/v1/predictions', { body: { predictions: [prediction(1)] }, token: tokens.writer });
      expect(facts).toMatchObject({ status: 503, body: { code: 'KAFKA_UNAVAILABLE', retriable: true } });
      expect(facts.headers.get('retry-after')).toBe('7');
      expect(facts.ms).toBeLessThan(4_500);
      const command = await gw.call('POST', '/v1/runs', { body: { experiment: 'e' }, token: tokens.trainer });
      expect(command).toMatchObject({ status: 503, body: { code: 'KAFKA_UNAVAILABLE' } });
      expect(command.headers.get('retry-after')).toBe('7');
      const ready = await gw.call('GET', '/readyz', { token: null });
      expect(ready.status).toBe(503);
      expect((ready.body.checks as Array<{ name: string; ok: boolean }>).filter((c) => !c.ok).map((c) => c.name)).toEqual(expect.arrayContaining(['kafka', 'command-results']));
      // Nothing reached the real topic.
      expect(await readTopic(kafka, serde, catalog.topic('predictions'))).toEqual([]);
    });
  });

  describe('cut and restored while clients write', () => {
    let gw: TestGateway;
    let network: ReturnType<typeof cuttableNetwork>;
    let tracking: RunningService | undefined;
    beforeAll(async () => {
      // The tracking processor talks to Kafka directly: only the gateway's network is cut.
      tracking = await startTracking({ env: { ...process.env, MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_LOG_LEVEL: 'warn' }, signals: false });
      network = cuttableNetwork(await closedPort());
      const faulty = new Kafka({ clientId: 'gateway-faulty', brokers: connections.kafkaBrokers, socketFactory: network.factory, retry: retryPolicies.fast, connectionTimeout: 1_000, requestTimeout: 3_000, logLevel: logLevel.NOTHING });
      gw = await startTestGateway({ prefix, kafka: faulty, env: { MLSTREAM_GATEWAY_SEND_TIMEOUT_MS: '3000' } });
    });
    afterAll(async () => {
      network?.restore();
      await gw?.stop();
      await tracking?.stop();
    });

    it('every request that got 202 is in Kafka exactly once; the others got 503 with Retry-After, quickly', async () => {
      const results: Array<{ res: CallResult; phase: 'before' | 'down' | 'after'; ids: string[] }> = [];
      let phase: 'before' | 'down' | 'after' = 'before';
      let stop = false;
      let n = 0;
      const client = async (c: number) => {
        while (!stop) {
          const batch = Array.from({ length: 20 }, (_, i) => prediction(0, { requestId: `c${c}-${n}-${i}` }));
          n += 1;
          const at = phase;
          const res = await gw.call('POST', '/v1/predictions', { body: { predictions: batch }, token: tokens.writer });
          results.push({ res, phase: at === phase ? at : 'down', ids: batch.map((p) => p.requestId) });
          // A client's backoff after a refusal (not synchronisation): keeps the 503s from spinning the CPU.
          if (res.status !== 202) await new Promise((r) => setTimeout(r, 200));
        }
      };
      const clients = [0, 1, 2].map(client);
      await waitFor(() => results.filter((r) => r.res.status === 202).length >= 10, { what: 'writes before the cut' });
      phase = 'down';
      network.cut();
      // Down until the clients have seen it: several writes refused with 503.
      await waitFor(() => results.filter((r) => r.phase === 'down' && r.res.status === 503).length >= 6, { what: 'writes refused while Kafka is cut', timeoutMs: 60_000 });
      network.restore();
      phase = 'after';
      await waitFor(() => results.filter((r) => r.phase === 'after' && r.res.status === 202).length >= 10, { what: 'writes after Kafka is back', timeoutMs: 60_000 });
      stop = true;
      await Promise.all(clients);

      const down = results.filter((r) => r.phase === 'down');
      expect(down.some((r) => r.res.status === 503)).toBe(true);
      for (const r of results.filter((x) => x.res.status !== 202)) {
        expect(r.res.status).toBe(503);
        expect(r.res.body.code).toBe('KAFKA_UNAVAILABLE');
        expect(r.res.headers.get('retry-after')).toBe('5');
        expect(r.res.ms).toBeLessThan(4_500);
      }
      const stored = await readTopic(kafka, serde, catalog.topic('predictions'));
      const counts = new Map<string, number>();
      for (const e of stored) {
        const id = (e.value as { requestId: string }).requestId;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const acknowledged = results.filter((r) => r.res.status === 202).flatMap((r) => r.ids);
      expect(acknowledged.length).toBeGreaterThan(0);
      for (const id of acknowledged) expect(counts.get(id), id).toBe(1);
      // A 503 acknowledged nothing; a write in flight when the network died may still have landed, but never twice.
      for (const [id, c] of counts) expect(c, id).toBe(1);

      // Commands work again too: the result reader came back and repositioned itself.
      const key = randomUUID();
      const started = await waitFor(
        async () => {
          const r = await gw.call('POST', '/v1/runs', { body: { experiment: 'after-outage' }, token: tokens.trainer, headers: { 'idempotency-key': key } });
          return r.status === 503 || r.status === 504 ? undefined : r;
        },
        { what: 'a command answered after the outage', timeoutMs: 60_000, intervalMs: 500 },
      );
      expect(started.status).toBe(201);
      const fresh = await gw.call('POST', '/v1/runs', { body: { experiment: 'after-outage' }, token: tokens.trainer });
      expect(fresh.status).toBe(201);
      expect(fresh.ms).toBeLessThan(5_000);
    });
  });
});
