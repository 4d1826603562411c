import { afterAll, describe, expect, it } from 'vitest';
import { createSchemaRegistryClient, createSerde, readTopic, resolveCatalog } from '@mlstream/kit';
import { expectAggregateStreams } from '../fixtures/processor/aggregate-streams.ts';
import { applyTestTopics, connections, testKafka, uniqueName, waitFor } from '../helpers/index.ts';
import { startService, type ServiceProcess } from '../helpers/processes.ts';
import { waitForLiveMembers } from '../helpers/waits.ts';

// Two tracking and two registry processors; run and model commands stream in,
// some sent twice (a client retry: same record, same commandId). One instance
// of each is SIGKILLed three times while it owns partitions, and restarted.
// Every command record gets exactly one result, a repeated commandId gets the
// first outcome again and no second event, and every aggregate's events are
// there once, in order, with contiguous versions (every command carries the
// expectedVersion its sender saw, so a lost or doubled event also rejects).
// Mutations that make it fail: the transaction's offset commit moved out of it
// (tx.sendOffsets removed in services/kit/src/exactly-once/exactly-once.ts:
// redelivered commands are answered twice), and the outcome restore skipped
// (PartitionState.restoreOutcome a no-op: a retry that reaches a new owner is
// decided again).
describe('two tracking and two registry processors under SIGKILL', () => {
  const prefix = `${uniqueName('two-cmd')}.`;
  const catalog = resolveCatalog(prefix);
  const serde = createSerde({ schemaRegistry: createSchemaRegistryClient({ url: connections.schemaRegistryUrl }), catalog, source: 'mlstream/test' });
  const kafka = testKafka('two-instances-commands');
  const running: ServiceProcess[] = [];
  const spawn = (service: 'tracking' | 'registry') => {
    const p = startService(`services/${service}/src/main.ts`, { MLSTREAM_TOPIC_PREFIX: prefix, MLSTREAM_LOG_LEVEL: 'warn' });
    running.push(p);
    return p;
  };

  afterAll(async () => {
    for (const p of running) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
  });

  it('answers every command once and writes every event once', async () => {
    await applyTestTopics(kafka, catalog);
    const RUNS = 24;
    const MODELS = 12;
    const STEPS = 20; // commands per aggregate after the one that creates it
    const RESEND_EVERY = 23;
    const base = (kind: string, a: number, step: number) => ({ eventId: crypto.randomUUID(), occurredAt: 1_000 + step, commandId: `${kind}-${a}-${step}`, actor: 'two-instances', expectedVersion: step === 0 ? null : step });
    // In the order each aggregate needs them; aggregates interleave.
    const commands: Array<{ commandId: string; record: Promise<{ topic: string; message: { key?: unknown; value: unknown } }> }> = [];
    for (let step = 0; step <= STEPS; step++) {
      for (let r = 0; r < RUNS; r++) {
        const b = { ...base('run', r, step), runId: `run-${r}` };
        commands.push({ commandId: b.commandId, record: step === 0 ? serde.encode('StartRun', { ...b, experiment: 'two', name: null, tags: {}, codeVersion: null }) : serde.encode('LogMetrics', { ...b, metrics: [{ key: 'loss', value: 1 / step, step, timestamp: 1_000 + step }] }) });
      }
      for (let m = 0; m < MODELS; m++) {
        const b = { ...base('model', m, step), model: `model-${m}` };
        commands.push({ commandId: b.commandId, record: step === 0 ? serde.encode('CreateRegisteredModel', { ...b, description: null, tags: {} }) : serde.encode('SetModelTags', { ...b, version: null, tags: { step: String(step) } }) });
      }
    }
    const encoded = await Promise.all(commands.map(async (c) => ({ commandId: c.commandId, ...(await c.record) })));
    const TOTAL = encoded.length; // 756 commands
    const SLICES = 16;
    const per = Math.ceil(TOTAL / SLICES);
    const sendCount = new Map<string, number>();
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    const resultCount = async () => (await admin.fetchTopicOffsets(catalog.topic('command-results'))).reduce((n, p) => n + Number(p.high), 0);
    const send = async (records: typeof encoded) => {
      const topics = new Map<string, Array<(typeof encoded)[number]['message']>>();
      for (const r of records) {
        topics.set(r.topic, [...(topics.get(r.topic) ?? []), r.message]);
        sendCount.set(r.commandId, (sendCount.get(r.commandId) ?? 0) + 1);
      }
      if (topics.size) await producer.sendBatch({ acks: -1, topicMessages: [...topics].map(([topic, messages]) => ({ topic, messages: messages as never })) });
    };

    const groups = { tracking: `${prefix}mlstream-tracking`, registry: `${prefix}mlstream-registry` } as const;
    const instances = { tracking: [spawn('tracking'), spawn('tracking')], registry: [spawn('registry'), spawn('registry')] };
    const bothServing = () => Promise.all((['tracking', 'registry'] as const).map((s) => waitForLiveMembers(admin, groups[s], instances[s], `two live ${s} instances`)));
    await bothServing();

    const started = Date.now();
    const note = (what: string) => process.env.MLSTREAM_TEST_VERBOSE && console.log(`${((Date.now() - started) / 1000).toFixed(1)} s: ${what}`);
    let resends: typeof encoded = [];
    let kills = 0;
    for (let i = 0; i < SLICES; i++) {
      const slice = encoded.slice(i * per, (i + 1) * per);
      // The previous slice's retries go after their originals (same key, same partition: the original is decided first).
      await send([...slice, ...resends]);
      resends = slice.filter((_, j) => (i * per + j) % RESEND_EVERY === 0);
      if (i === 3 || i === 7 || i === 11) {
        // Kill one of each while they work through what was just sent: some answered, more waiting.
        const before = await resultCount();
        await waitFor(async () => (await resultCount()) > before, { what: `results after slice ${i}`, timeoutMs: 60_000, intervalMs: 20 });
        const slot = kills++ % 2;
        for (const s of ['tracking', 'registry'] as const) instances[s][slot]!.child.kill('SIGKILL');
        await Promise.all((['tracking', 'registry'] as const).map((s) => instances[s][slot]!.exited));
        note(`killed tracking ${slot} and registry ${slot} after slice ${i}`);
        for (const s of ['tracking', 'registry'] as const) instances[s][slot] = spawn(s);
        // The next kill hits an instance that owns partitions again.
        await bothServing();
        note('both groups have two live members again');
      }
    }
    await send(resends);
    await producer.disconnect();
    const RECORDS = [...sendCount.values()].reduce((a, b) => a + b, 0);
    expect(sendCount.size).toBe(TOTAL);
    expect(RECORDS).toBeGreaterThan(TOTAL);

    const results = await waitFor(
      async () => {
        const r = await readTopic(kafka, serde, catalog.topic('command-results'));
        return r.length >= RECORDS && r;
      },
      { what: `results for all ${RECORDS} command records`, timeoutMs: 120_000, intervalMs: 1_000 },
    );
    await admin.disconnect();
    note('all results read');

    // One result per command record, all accepted; a repeated commandId answered with its first outcome.
    expect(results.length).toBe(RECORDS);
    expect(results.filter((r) => r.type !== 'CommandAccepted').map((r) => r.value)).toEqual([]);
    const byCommand = new Map<string, Array<Record<string, unknown>>>();
    for (const r of results) {
      const { eventId: _e, sourceOffset: _s, occurredAt: _o, ...outcome } = r.value as unknown as Record<string, unknown>;
      byCommand.set(outcome.commandId as string, [...(byCommand.get(outcome.commandId as string) ?? []), outcome]);
    }
    expect(byCommand.size).toBe(TOTAL);
    for (const [commandId, outcomes] of byCommand) {
      expect(outcomes.length, commandId).toBe(sendCount.get(commandId));
      for (const o of outcomes.slice(1)) expect(o, commandId).toEqual(outcomes[0]);
    }

    // Every aggregate's events once, in order, versions 1..STEPS+1.
    expectAggregateStreams(await readTopic(kafka, serde, catalog.topic('runs')), { aggregates: RUNS, steps: STEPS, first: 'RunStarted', stepOf: (e) => (e.type === 'MetricsLogged' ? (e.value.metrics[0]!.step ?? -1) : -1) });
    expectAggregateStreams(await readTopic(kafka, serde, catalog.topic('registry')), { aggregates: MODELS, steps: STEPS, first: 'RegisteredModelCreated', stepOf: (e) => (e.type === 'ModelTagsSet' ? Number(e.value.tags?.step) : -1) });
    expect(kills).toBe(3);
  }, 300_000);
});
