import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, resolveCatalog, type FeatureValuesLogged } from '@mlstream/kit';
import { applyTestTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { freePort, startService, type ServiceProcess } from '../helpers/processes.ts';
import { committedOffsets, waitForCaughtUp, waitForCommitted } from '../helpers/waits.ts';

// The features service killed with SIGKILL mid-stream and restarted must serve
// exactly the view computed from the input events by brute force (per entity,
// the event with the latest event time), and a restart must
// serve that view from its first answer after /readyz says ready.
/** A seeded generator (mulberry32): the same events every run. */
const random = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

describe('features service under SIGKILL', () => {
  const kafka = testKafka('features-crash');
  const schemaRegistry = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
  const running: ServiceProcess[] = [];
  const ENTITIES = 300;
  const N = 12_000;
  const numeric = ['trips', 'rating', 'earnings'];
  const categorical = ['city', 'tier'];
  const base = 1_764_000_000_000;

  // Unique event times in a shuffled order: most events arrive out of event-time order, many late.
  const rnd = random(20);
  const times = Array.from({ length: N }, (_, i) => base + i * 7);
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [times[i], times[j]] = [times[j]!, times[i]!];
  }
  const events: FeatureValuesLogged[] = times.map((occurredAt, i) => {
    const pick = <T>(names: T[]) => names.filter(() => rnd() < 0.6);
    return {
      eventId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      occurredAt,
      view: 'driver_stats',
      viewVersion: 1,
      entityKey: `driver-${Math.floor(rnd() * ENTITIES)}`,
      numericValues: Object.fromEntries(pick(numeric).map((f) => [f, Math.round(rnd() * 1e6) / 100])),
      categoricalValues: Object.fromEntries(pick(categorical).map((f) => [f, `c${Math.floor(rnd() * 20)}`])),
    };
  });
  const entityKeys = Array.from({ length: ENTITIES }, (_, i) => `driver-${i}`);
  const features = [...numeric, ...categorical];

  /** Brute force, the offline rule: per entity the event with the greatest event time; features it lacks are missing. */
  const reference = () => {
    const best = new Map<string, FeatureValuesLogged>();
    for (const e of events) if ((best.get(e.entityKey)?.occurredAt ?? -1) < e.occurredAt) best.set(e.entityKey, e);
    return entityKeys.map((entityKey) => {
      const e = best.get(entityKey);
      const valueOf = (f: string) => e?.numericValues?.[f] ?? e?.categoricalValues?.[f];
      return {
        entityKey,
        values: Object.fromEntries(features.map((f) => [f, valueOf(f) ?? null])),
        eventTimes: Object.fromEntries(features.map((f) => [f, valueOf(f) === undefined ? null : e!.occurredAt])),
        statuses: Object.fromEntries(features.map((f) => [f, valueOf(f) === undefined ? 'missing' : 'present'])),
      };
    });
  };

  afterAll(() => {
    for (const p of running) p.child.kill('SIGKILL');
  });

  it('serves exactly the brute-force view after a SIGKILL mid-stream, and from the first answer after a restart', async () => {
    const catalog = resolveCatalog(`${uniqueName('features-crash')}.`);
    await applyTestTopics(kafka, catalog);
    const serde = createSerde({ schemaRegistry, catalog, source: 'mlstream/test' });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = () => {
      const p = startService('services/features/src/main.ts', {
        MLSTREAM_TOPIC_PREFIX: catalog.prefix,
        MLSTREAM_LOG_LEVEL: 'warn',
        MLSTREAM_HTTP_PORT: String(port),
        MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: '6000',
        MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS: '8000',
      });
      running.push(p);
      return p;
    };
    const ready = () => waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { what: 'features /readyz', timeoutMs: 90_000, intervalMs: 50 });
    const served = async () => {
      const response = await fetch(`${url}/v1/features/online`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ view: 'driver_stats', features, entityKeys }) });
      expect(response.status).toBe(200);
      return ((await response.json()) as { results: unknown[] }).results;
    };

    const encoded = await Promise.all(events.map((e) => serde.encode('FeatureValuesLogged', e)));
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    const group = `${catalog.prefix}mlstream-features`;
    const input = catalog.topic('features');
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i += 250) await producer.send({ topic: input, acks: -1, messages: encoded.slice(i, Math.min(to, i + 250)).map((e) => e.message) });
    };

    // 1. Half the events, the service running; killed once it has committed part of them, while the rest is being produced.
    await send(0, N / 2);
    let process = service();
    await waitForCommitted(admin, group, input, 500, { timeoutMs: 90_000, intervalMs: 20 });
    const producing = send(N / 2, N);
    process.child.kill('SIGKILL');
    await process.exited;
    const committedAtKill = [...(await committedOffsets(admin, group, input)).values()].reduce((a, b) => a + b, 0);
    await producing;
    expect(committedAtKill).toBeLessThan(N);

    // 2. Restarted: it resumes from the committed offsets with the state restored from the changelog.
    process = service();
    await ready();
    await waitForCaughtUp(admin, group, input, { timeoutMs: 90_000 });
    const expected = reference();
    await waitFor(async () => JSON.stringify(await served()) === JSON.stringify(expected), { what: 'the served view to equal the reference', timeoutMs: 30_000 });
    expect(await served()).toEqual(expected);

    // 3. Restarted once more with nothing new: the first answer after /readyz is already the whole view.
    process.child.kill('SIGTERM');
    expect(await process.exited).toBe(0);
    process = service();
    await ready();
    expect(await served()).toEqual(expected);
    process.child.kill('SIGTERM');
    await process.exited;
    await producer.disconnect();
    await admin.disconnect();
  });
});
