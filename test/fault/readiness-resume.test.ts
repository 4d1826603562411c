import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, readTopic, resolveCatalog } from '@mlstream/kit';
import { syntheticPredictions } from '@mlstream/drift-detector';
import { applyTestTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { freePort, startService, type ServiceProcess } from '../helpers/processes.ts';

// Readiness means the instance can do its work, and a SIGKILLed instance's
// work resumes in time, measured on real processes of an exactly-once service
// (the drift detector: restore = fence + committed offsets + snapshot):
// - /readyz is 200 only when the group assigned this instance its partitions
//   and every one is restored: 503 while a restarted instance waits for the
//   group (the dead member holds the rebalance until its session expires);
// - two instances split the partitions; after a SIGKILL of one, the
//   survivor owns them all and windows of every partition are published
//   within 10 s of the kill; alone, a restarted instance within 20 s.
// Mutation that makes it fail: MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS=30000
// (the old default: the group waits ~30 s for the dead member).
describe('readiness and resume after SIGKILL', () => {
  const prefix = `${uniqueName('resume')}.`;
  const catalog = resolveCatalog(prefix);
  const kafka = testKafka('readiness-resume');
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const running: ServiceProcess[] = [];
  const WINDOW = 10;
  const PARTITIONS = catalog.byTopic(catalog.topic('predictions'))!.partitions;

  type Instance = { process: ServiceProcess; url: string };
  const spawn = async (): Promise<Instance> => {
    const port = await freePort();
    const process = startService('services/drift-detector/src/main.ts', {
      MLSTREAM_TOPIC_PREFIX: prefix,
      MLSTREAM_LOG_LEVEL: 'warn',
      MLSTREAM_HTTP_PORT: String(port),
      MLSTREAM_DRIFT_WINDOW_SIZE: String(WINDOW),
    });
    running.push(process);
    return { process, url: `http://127.0.0.1:${port}` };
  };
  const readyz = async (i: Instance): Promise<number | undefined> => fetch(`${i.url}/readyz`).then((r) => r.status, () => undefined);
  const owned = async (i: Instance): Promise<number[]> => {
    const status = (await (await fetch(`${i.url}/status`)).json()) as { partitions?: Array<{ partition: number }> };
    return (status.partitions ?? []).map((p) => p.partition).sort((a, b) => a - b);
  };
  /** Polls /readyz from now until 200: the statuses seen, in order, without repeats. */
  const readiness = async (i: Instance, timeoutMs: number) => {
    const seen: Array<number | undefined> = [];
    await waitFor(
      async () => {
        const status = await readyz(i);
        if (seen.at(-1) !== status) seen.push(status);
        return status === 200;
      },
      { what: `${i.url}/readyz 200`, timeoutMs, intervalMs: 100 },
    ).catch((error: Error) => {
      throw new Error(`${error.message}; statuses ${seen.join(' → ')}; output:\n${i.process.output().slice(-2_000)}`);
    });
    return seen;
  };

  // One model per input partition, sent to that partition: a window of each proves every partition is worked on.
  const models = Array.from({ length: PARTITIONS }, (_, p) => `m${p}`);
  let windowsSent = 0;
  const producer = kafka.producer({ idempotent: true });
  const sendWindowEach = async () => {
    const round = windowsSent++;
    for (const [partition, model] of models.entries()) {
      const values = syntheticPredictions({ seed: 100 * round + partition, model, version: 1, count: WINDOW, startAt: 1_764_300_000_000 + round * 60_000, shape: { numeric: 2, categorical: 1 } });
      const encoded = await Promise.all(values.map((v) => serde.encode('PredictionLogged', v)));
      await producer.send({ topic: catalog.topic('predictions'), acks: -1, messages: encoded.map((e) => ({ ...e.message, partition })) });
    }
  };
  /** Waits until every model's window `round` is measured (committed, read_committed). */
  const measured = (round: number, timeoutMs: number) =>
    waitFor(
      async () => {
        const drift = await readTopic(kafka, serde, catalog.topic('drift'));
        const done = new Set(drift.flatMap((e) => (e.type === 'DriftMeasured' && e.value.window.index === round ? [e.value.model] : [])));
        return done.size === models.length;
      },
      { what: `window ${round} of every partition`, timeoutMs, intervalMs: 100 },
    );

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await producer.disconnect();
  });

  it('is ready only with its partitions restored, and resumes a killed instance’s work within 10 s (two) and 20 s (alone)', async () => {
    await applyTestTopics(kafka, catalog);
    await producer.connect();
    const all = Array.from({ length: PARTITIONS }, (_, p) => p);

    // Two instances: each ready with its share restored, the shares disjoint and complete.
    const a = await spawn();
    await readiness(a, 60_000);
    expect(await owned(a)).toEqual(all);
    const b = await spawn();
    await readiness(b, 60_000);
    await waitFor(async () => (await readyz(a)) === 200 && (await owned(a)).length + (await owned(b)).length === PARTITIONS && (await owned(b)).length > 0, { what: 'the partitions split between two ready instances', timeoutMs: 60_000 });
    expect([...(await owned(a)), ...(await owned(b))].sort((x, y) => x - y)).toEqual(all);
    await sendWindowEach();
    await measured(0, 60_000);

    // SIGKILL one of two: the survivor owns every partition and every partition's next window is out within 10 s.
    a.process.child.kill('SIGKILL');
    const killedAt = Date.now();
    await a.process.exited;
    await sendWindowEach();
    await measured(1, 30_000);
    const withSecond = Date.now() - killedAt;
    expect(await readyz(b)).toBe(200);
    expect(await owned(b)).toEqual(all);

    // SIGKILL the one left, restart at once: 503 until the group (held by the dead member's session) assigns and
    // restores, then 200 with every partition owned; the work resumes within 20 s of the kill.
    b.process.child.kill('SIGKILL');
    const aloneKilledAt = Date.now();
    await b.process.exited;
    const c = await spawn();
    await sendWindowEach();
    const statuses = await readiness(c, 30_000);
    const readyAfter = Date.now() - aloneKilledAt;
    expect(statuses).toContain(503);
    expect(await owned(c)).toEqual(all);
    await measured(2, 30_000);
    const alone = Date.now() - aloneKilledAt;

    console.log(`resume after SIGKILL: ${withSecond} ms with a second instance, ${alone} ms alone (ready after ${readyAfter} ms; /readyz ${statuses.join(' → ')})`);
    expect(withSecond).toBeLessThan(10_000);
    expect(alone).toBeLessThan(20_000);
  }, 360_000); // above the sum of its named waits, so a stall reports which wait, not vitest's timeout
});
