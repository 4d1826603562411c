import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, resolveCatalog } from '@mlstream/kit';
import { applyTestTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { freePort, startService, type ServiceProcess } from '../helpers/processes.ts';
import { committedOffsets, waitForCaughtUp, waitForCommitted } from '../helpers/waits.ts';
import { featureFeed, featureScenario } from '../fixtures/features/scenario.ts';

// The features service killed with SIGKILL mid-stream and restarted must serve
// exactly the view computed from the input events by brute force (per entity,
// the event with the latest event time), and a restart must
// serve that view from its first answer after /readyz says ready.
describe('features service under SIGKILL', () => {
  const kafka = testKafka('features-crash');
  const schemaRegistry = createSchemaRegistryClient({ url: connections.schemaRegistryUrl });
  const running: ServiceProcess[] = [];
  const N = 12_000;
  const { events, reference, served: servedAt } = featureScenario({ entities: 300, count: N, seed: 20 });

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
    const served = () => servedAt(url);
    const { admin, group, input, send, close } = await featureFeed(kafka, serde, catalog, events);

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
    await close();
  });
});
