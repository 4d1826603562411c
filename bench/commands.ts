// Commands per second and command-to-result latency (p50 / p99) for ONE
// tracking processor, beside raw kafkajs transactional throughput (produce
// plus sendOffsets in batches of the same size) in the same run.
import { randomUUID } from 'node:crypto';
import { createProcessor, waitForTopics } from '@mlstream/kit';
import { runDecider } from '@mlstream/tracking';
import { benchContext } from './setup.ts';

const RUNS = 200;
const METRIC_COMMANDS_PER_RUN = 49; // + 1 StartRun = 10 000 commands
const BATCH = 500;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

export default {
  needsStack: true,
  async run() {
    const { logger, kafka, catalog, serde, admin } = await benchContext('commands');
    await serde.registerAll();

    const commands = [];
    const ids: string[] = [];
    for (let step = 0; step <= METRIC_COMMANDS_PER_RUN; step++) {
      for (let r = 0; r < RUNS; r++) {
        const base = { eventId: randomUUID(), occurredAt: Date.now(), commandId: randomUUID(), actor: 'bench', expectedVersion: null, runId: `run-${r}` };
        ids.push(base.commandId);
        commands.push(
          step === 0
            ? await serde.encode('StartRun', { ...base, experiment: 'bench', name: null, tags: {}, codeVersion: null })
            : await serde.encode('LogMetrics', { ...base, metrics: [{ key: 'loss', value: 1 / step, step, timestamp: Date.now() }] }),
        );
      }
    }
    const total = commands.length;

    // Ceiling: raw transactional produce + sendOffsets, batches of BATCH, one producer.
    const rawTopic = `${catalog.prefix}raw-ceiling`;
    await admin.createTopics({ topics: [{ topic: rawTopic, numPartitions: 6 }] });
    await waitForTopics(admin, [rawTopic]);
    const raw = kafka.producer({ transactionalId: `bench-raw-${randomUUID()}`, idempotent: true, maxInFlightRequests: 1 });
    await raw.connect();
    const rawStart = process.hrtime.bigint();
    for (let i = 0; i < total; i += BATCH) {
      const tx = await raw.transaction();
      await tx.send({ topic: rawTopic, acks: -1, messages: commands.slice(i, i + BATCH).map((c) => ({ ...c.message, partition: 0 })) });
      await tx.sendOffsets({ consumerGroupId: 'bench-raw', topics: [{ topic: catalog.topic('runs.commands'), partitions: [{ partition: 0, offset: String(i + BATCH) }] }] });
      await tx.commit();
    }
    const rawPerSecond = total / (Number(process.hrtime.bigint() - rawStart) / 1e9);
    await raw.disconnect();

    // The processor, then the commands, timing each result against its send.
    const processor = createProcessor({ kafka, serde, catalog, logger, decider: runDecider, commandStream: 'runs.commands', eventStream: 'runs', groupId: `${catalog.prefix}tracking`, maxBatch: BATCH });
    await processor.start();
    const sentAt = new Map<string, bigint>();
    const latencies: number[] = [];
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((r) => (resolveDone = r));
    const results = kafka.consumer({ groupId: `bench-results-${randomUUID()}`, maxWaitTimeInMs: 10 });
    await results.connect();
    await results.subscribe({ topic: catalog.topic('command-results'), fromBeginning: true });
    await results.run({
      eachMessage: async ({ message }) => {
        const id = message.key!.toString();
        const t = sentAt.get(id);
        if (t !== undefined) latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        if (latencies.length === total) resolveDone();
      },
    });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const start = process.hrtime.bigint();
    for (let i = 0; i < total; i += BATCH) {
      const slice = commands.slice(i, i + BATCH);
      const now = process.hrtime.bigint();
      for (const id of ids.slice(i, i + BATCH)) sentAt.set(id, now);
      await producer.send({ topic: catalog.topic('runs.commands'), acks: -1, messages: slice.map((c) => c.message) });
    }
    await done;
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    await Promise.all([producer.disconnect(), results.disconnect(), processor.stop()]);
    await admin.disconnect();
    const sorted = latencies.sort((a, b) => a - b);
    const perSecond = total / seconds;
    return {
      params: { commands: total, runs: RUNS, batch: BATCH, partitions: catalog.byTopic(catalog.topic('runs.commands'))!.partitions },
      figures: [
        { figure: 'commands/s (one processor)', value: perSecond, unit: 'commands/s', ceiling: { what: 'raw kafkajs tx produce+sendOffsets', value: rawPerSecond } },
        { figure: 'command-to-result p50', value: percentile(sorted, 0.5), unit: 'ms', ceiling: { what: 'whole run (ms)', value: seconds * 1000 } },
        { figure: 'command-to-result p99', value: percentile(sorted, 0.99), unit: 'ms', ceiling: { what: 'whole run (ms)', value: seconds * 1000 } },
      ],
    };
  },
};
