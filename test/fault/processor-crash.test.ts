import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createRegistryClient, createSerde, readTopic, resolveCatalog, type DecodedEvent } from '@mlstream/kit';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';

// SIGKILL the tracking processor while commands stream in, restart it, add a
// second instance (rebalance), kill that one too: every command must get
// exactly one result and every event must exist exactly once, in order.
describe('tracking processor under SIGKILL and rebalance', () => {
  const prefix = `${uniqueName('crash')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ registry: createRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('processor-crash');
  const running: ServiceProcess[] = [];
  const env = {
    MLSTREAM_TOPIC_PREFIX: prefix,
    MLSTREAM_LOG_LEVEL: 'warn',
    MLSTREAM_CONSUMER_SESSION_TIMEOUT_MS: '6000',
    MLSTREAM_CONSUMER_REBALANCE_TIMEOUT_MS: '8000',
  };
  const spawnTracking = () => {
    const p = startService('services/tracking/src/main.ts', env);
    running.push(p);
    return p;
  };
  const readAll = (topic: string) => readTopic(kafka, serde, topic);

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
  });

  it('loses and duplicates nothing', async () => {
    await applyTestTopics(kafka, catalog);
    const RUNS = 40;
    const METRICS = 24;
    // Commands in the order each run needs them; runs interleave.
    const commands: Array<Promise<{ topic: string; message: object }>> = [];
    for (let step = 0; step <= METRICS; step++) {
      for (let r = 0; r < RUNS; r++) {
        const base = { eventId: randomUUID(), occurredAt: 1_000 + step, commandId: `cmd-${r}-${step}`, actor: 'crash-test', expectedVersion: null, runId: `run-${r}` };
        commands.push(
          step === 0
            ? serde.encode('StartRun', { ...base, experiment: 'crash', name: null, tags: {}, codeVersion: null })
            : serde.encode('LogMetrics', { ...base, metrics: [{ key: 'loss', value: 1 / step, step, timestamp: 1_000 + step }] }),
        );
      }
    }
    const encoded = await Promise.all(commands);
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const first = spawnTracking();
    const sendSlice = async (from: number, to: number) => {
      await producer.send({ topic: catalog.topic('runs.commands'), acks: -1, messages: encoded.slice(from, to).map((e) => e.message as never) });
    };
    const resultCount = async () => (await admin2().fetchTopicOffsets(catalog.topic('command-results'))).reduce((n, p) => n + Number(p.high), 0);
    const adminClient = kafka.admin();
    await adminClient.connect();
    const admin2 = () => adminClient;

    const total = encoded.length; // 1000 commands
    const slices = 20;
    const per = total / slices;
    for (let i = 0; i < slices; i++) {
      await sendSlice(i * per, (i + 1) * per);
      await new Promise((r) => setTimeout(r, 250));
      if (i === 4) {
        await waitFor(async () => (await resultCount()) > 0, { what: 'first results', timeoutMs: 60_000 });
        first.child.kill('SIGKILL');
        await first.exited;
        spawnTracking();
      }
      if (i === 10) spawnTracking(); // a second instance: the group rebalances
      if (i === 15) {
        const victim = running[running.length - 1]!;
        victim.child.kill('SIGKILL');
        await victim.exited;
      }
    }
    await producer.disconnect();

    const results = await waitFor(
      async () => {
        const r = await readAll(catalog.topic('command-results'));
        return new Set(r.map((x) => (x.value as { commandId: string }).commandId)).size === total && r;
      },
      { what: `results for all ${total} commands`, timeoutMs: 120_000, intervalMs: 1_000 },
    );
    await adminClient.disconnect();

    // Exactly one result per command, all accepted.
    expect(results.length).toBe(total);
    expect(results.filter((r) => r.type !== 'CommandAccepted').map((r) => r.value)).toEqual([]);

    // Exactly the expected events, each run's in order with contiguous versions.
    const events = await readAll(catalog.topic('runs'));
    expect(events.length).toBe(RUNS * (METRICS + 1));
    const byRun = new Map<string, DecodedEvent[]>();
    for (const e of events) byRun.set(e.key!, [...(byRun.get(e.key!) ?? []), e]);
    expect(byRun.size).toBe(RUNS);
    for (const [run, list] of byRun) {
      const ordered = list.sort((a, b) => Number(a.offset) - Number(b.offset));
      expect(ordered.map((e) => (e.value as { aggregateVersion: number }).aggregateVersion), run).toEqual(Array.from({ length: METRICS + 1 }, (_, i) => i + 1));
      expect(ordered[0]!.type, run).toBe('RunStarted');
      expect(ordered.slice(1).map((e) => (e.type === 'MetricsLogged' ? e.value.metrics[0]!.step : -1)), run).toEqual(Array.from({ length: METRICS }, (_, i) => i + 1));
    }
  });
});
