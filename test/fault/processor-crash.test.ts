import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, readTopic, resolveCatalog } from '@mlstream/kit';
import { expectAggregateStreams } from '../fixtures/processor/aggregate-streams.ts';
import { connections, testKafka, uniqueName, waitFor, applyTestTopics } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';
import { waitForGroup } from '../helpers/waits.ts';

// SIGKILL the tracking processor while commands stream in, restart it, add a
// second instance (rebalance), kill that one too: every command must get
// exactly one result and every event must exist exactly once, in order.
describe('tracking processor under SIGKILL and rebalance', () => {
  const prefix = `${uniqueName('crash')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
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
    const adminClient = kafka.admin();
    await adminClient.connect();
    const resultCount = async () => (await adminClient.fetchTopicOffsets(catalog.topic('command-results'))).reduce((n, p) => n + Number(p.high), 0);
    const group = `${prefix}mlstream-tracking`;
    const without = (gone: string[]) => (m: { memberId: string }) => !gone.includes(m.memberId);
    const started = Date.now();
    const note = (what: string) => process.env.MLSTREAM_TEST_VERBOSE && console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);

    const total = encoded.length; // 1000 commands
    const slices = 20;
    const per = total / slices;
    const killed: string[] = [];
    let victim: { process: ServiceProcess; memberId: string; resultsAtJoin: number } | undefined;
    for (let i = 0; i < slices; i++) {
      await sendSlice(i * per, (i + 1) * per);
      if (i === 4) {
        // Kill it while it works through a backlog: some commands answered, more waiting.
        await waitFor(async () => (await resultCount()) > 0, { what: 'first results', timeoutMs: 60_000 }).catch((error: Error) => {
          throw new Error(`${error.message}; processor output:\n${first.output().slice(-3_000)}`);
        });
        const [member] = await waitForGroup(adminClient, group, (m) => m.length === 1, { what: 'the first instance' });
        first.child.kill('SIGKILL');
        await first.exited;
        killed.push(member!.memberId);
        note('first instance killed');
        spawnTracking();
        // The restarted instance owns the partitions once the killed member's session has expired.
        await waitForGroup(adminClient, group, (m) => m.length === 1 && m.every(without(killed)), { what: 'the restarted instance alone', timeoutMs: 90_000 });
        note('restarted instance owns the partitions');
      }
      if (i === 10) {
        // A second instance: the group rebalances over two members; the next slices are shared.
        const before = await waitForGroup(adminClient, group, (m) => m.length === 1 && m.every(without(killed)));
        const second = spawnTracking();
        const members = await waitForGroup(adminClient, group, (m) => m.length === 2 && m.every(without(killed)), { what: 'two live instances', timeoutMs: 90_000 });
        victim = { process: second, memberId: members.find((m) => m.memberId !== before[0]!.memberId)!.memberId, resultsAtJoin: await resultCount() };
        note('second instance joined');
      }
      if (i === 15) {
        // Kill the second instance while the group is answering commands sent after it joined.
        await waitFor(async () => (await resultCount()) > victim!.resultsAtJoin, { what: 'results after the rebalance', timeoutMs: 60_000 });
        victim!.process.child.kill('SIGKILL');
        await victim!.process.exited;
        killed.push(victim!.memberId);
        note('second instance killed');
      }
    }
    await producer.disconnect();
    note('all commands sent');

    const results = await waitFor(
      async () => {
        const r = await readAll(catalog.topic('command-results'));
        return new Set(r.map((x) => (x.value as { commandId: string }).commandId)).size === total && r;
      },
      { what: `results for all ${total} commands`, timeoutMs: 120_000, intervalMs: 1_000 },
    );
    note('all results read');
    await adminClient.disconnect();

    // Exactly one result per command, all accepted.
    expect(results.length).toBe(total);
    expect(results.filter((r) => r.type !== 'CommandAccepted').map((r) => r.value)).toEqual([]);

    // Exactly the expected events, each run's in order with contiguous versions.
    const events = await readAll(catalog.topic('runs'));
    expect(events.length).toBe(RUNS * (METRICS + 1));
    // Every result names where its events are: the processor may write results in the same request as the
    // events, at offsets it predicted (kit processor runtime), so each ref must hold the event it names.
    const at = new Map(events.map((e) => [`${e.partition}@${e.offset}`, (e.value as { eventId: string }).eventId]));
    const refs = results.flatMap((r) => (r.type === 'CommandAccepted' ? r.value.events : []));
    expect(refs.length).toBe(events.length);
    expect(refs.filter((ref) => at.get(`${ref.partition}@${ref.offset}`) !== ref.eventId)).toEqual([]);
    expectAggregateStreams(events, { aggregates: RUNS, steps: METRICS, first: 'RunStarted', stepOf: (e) => (e.type === 'MetricsLogged' ? (e.value.metrics[0]!.step ?? -1) : -1) });
  }, 240_000);
});
