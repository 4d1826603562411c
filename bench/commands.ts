// Commands per second and command-to-result latency (p50 / p99) for ONE
// tracking processor, beside raw kafkajs transactional throughput (produce
// plus sendOffsets in batches of the same size) in the same round, and the
// result latency under a paced load (MLSTREAM_BENCH_COMMANDS_RATE commands/s
// for MLSTREAM_BENCH_COMMANDS_SECONDS) after the backlog.
//
// Knobs: MLSTREAM_BENCH_COMMANDS (backlog size, default 10 000),
// MLSTREAM_BENCH_COMMANDS_RATE (default 1 000), MLSTREAM_BENCH_COMMANDS_SECONDS (default 10).
import { randomUUID } from 'node:crypto';
import type { Kafka, Message } from 'kafkajs';
import { createProcessor, transactionalProducerSettings, waitForTopics, type Serde } from '@mlstream/kit';
import { runDecider } from '@mlstream/tracking';
import type { Figure } from './run.ts';
import { benchContext } from './setup.ts';

const BACKLOG = Number(process.env.MLSTREAM_BENCH_COMMANDS ?? 10_000);
const RATE = Number(process.env.MLSTREAM_BENCH_COMMANDS_RATE ?? 1_000);
const SECONDS = Number(process.env.MLSTREAM_BENCH_COMMANDS_SECONDS ?? 10);
const COMMANDS_PER_RUN = 50; // 1 StartRun + 49 LogMetrics
const BATCH = 500;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const since = (t: bigint) => Number(process.hrtime.bigint() - t) / 1e6;

/** `total` tracking commands in send order: each run's StartRun, then its LogMetrics, runs interleaved. */
async function trackingCommands(serde: Serde, total: number, runPrefix: string) {
  const runs = Math.max(1, Math.ceil(total / COMMANDS_PER_RUN));
  const commands: Array<{ id: string; message: Message }> = [];
  for (let step = 0; commands.length < total; step++) {
    for (let r = 0; r < runs && commands.length < total; r++) {
      const base = { eventId: randomUUID(), occurredAt: Date.now(), commandId: randomUUID(), actor: 'bench', expectedVersion: null, runId: `${runPrefix}-${r}` };
      const encoded =
        step === 0
          ? await serde.encode('StartRun', { ...base, experiment: 'bench', name: null, tags: {}, codeVersion: null })
          : await serde.encode('LogMetrics', { ...base, metrics: [{ key: 'loss', value: 1 / step, step, timestamp: Date.now() }] });
      commands.push({ id: base.commandId, message: encoded.message });
    }
  }
  return commands;
}

/**
 * The ceiling: one transactional producer, batches of BATCH to one partition,
 * each with sendOffsets, one after another. Retries start at 20 ms (the Java
 * client's backoff for CONCURRENT_TRANSACTIONS): the broker refuses the next
 * transaction's AddPartitionsToTxn until the previous commit's markers are
 * written, and kafkajs' default first retry of 300 ms made this loop swing
 * between 5k and 10k/s (docs/performance.md "Commands").
 */
async function rawTransactional(kafka: Kafka, topic: string, inputTopic: string, messages: Message[]): Promise<number> {
  const raw = kafka.producer({ ...transactionalProducerSettings, retry: { ...transactionalProducerSettings.retry }, transactionalId: `bench-raw-${randomUUID()}` });
  await raw.connect();
  try {
    const started = process.hrtime.bigint();
    for (let i = 0; i < messages.length; i += BATCH) {
      const tx = await raw.transaction();
      await tx.send({ topic, acks: -1, messages: messages.slice(i, i + BATCH).map((m) => ({ ...m, partition: 0 })) });
      await tx.sendOffsets({ consumerGroupId: `bench-raw-${randomUUID()}`, topics: [{ topic: inputTopic, partitions: [{ partition: 0, offset: String(i + BATCH) }] }] });
      await tx.commit();
    }
    return messages.length / (since(started) / 1000);
  } finally {
    await raw.disconnect();
  }
}

export default {
  needsStack: true,
  rounds: 5,
  async run(round: number): Promise<{ params: Record<string, unknown>; figures: Figure[] }> {
    const { logger, kafka, catalog, serde, admin } = await benchContext('commands');
    try {
      await serde.registerAll();
      const commandTopic = catalog.topic('runs.commands');
      const backlog = await trackingCommands(serde, BACKLOG, 'run');
      const paced = await trackingCommands(serde, RATE * SECONDS, 'paced');

      const rawTopic = `${catalog.prefix}raw-ceiling`;
      // kafkajs' own wait for leaders gives up on Kafka 4's UNKNOWN_TOPIC_OR_PARTITION; waitForTopics retries it.
      await admin.createTopics({ waitForLeaders: false, topics: [{ topic: rawTopic, numPartitions: 6 }] });
      await waitForTopics(admin, [rawTopic]);
      const ceiling = () => rawTransactional(kafka, rawTopic, commandTopic, backlog.map((c) => c.message));
      // Alternate which goes first, so a machine getting busier favours neither.
      const rawFirst = round % 2 === 1 ? await ceiling() : undefined;

      const processor = createProcessor({ kafka, serde, catalog, logger, decider: runDecider, commandStream: 'runs.commands', eventStream: 'runs', groupId: `${catalog.prefix}tracking`, maxBatch: BATCH });
      const sentAt = new Map<string, bigint>();
      const latency = new Map<string, number>();
      let waiting: { until: number; resolve: () => void } | undefined;
      const results = kafka.consumer({ groupId: `bench-results-${randomUUID()}`, maxWaitTimeInMs: 10 });
      const producer = kafka.producer();
      try {
        await processor.start();
        await results.connect();
        await results.subscribe({ topic: catalog.topic('command-results'), fromBeginning: true });
        await results.run({
          eachMessage: async ({ message }) => {
            const id = message.key!.toString();
            const t = sentAt.get(id);
            if (t !== undefined && !latency.has(id)) latency.set(id, since(t));
            if (waiting && latency.size >= waiting.until) waiting.resolve();
          },
        });
        const resultsFor = (until: number) => new Promise<void>((resolve) => (latency.size >= until ? resolve() : (waiting = { until, resolve })));
        await producer.connect();
        while (!processor.ready()) await new Promise((r) => setTimeout(r, 20));

        // Backlog: as fast as the producer goes, the processor behind it.
        const started = process.hrtime.bigint();
        for (let i = 0; i < backlog.length; i += BATCH) {
          const slice = backlog.slice(i, i + BATCH);
          const now = process.hrtime.bigint();
          for (const c of slice) sentAt.set(c.id, now);
          await producer.send({ topic: commandTopic, acks: -1, messages: slice.map((c) => c.message) });
        }
        await resultsFor(backlog.length);
        const backlogMs = since(started);
        const backlogLatencies = backlog.map((c) => latency.get(c.id)!).sort((a, b) => a - b);

        // Paced: RATE commands/s, each tick sends what is due (a late tick catches up).
        const pacedStart = process.hrtime.bigint();
        for (let sent = 0; sent < paced.length; ) {
          const due = Math.min(paced.length, Math.floor((since(pacedStart) / 1000) * RATE) + 1);
          if (due > sent) {
            const slice = paced.slice(sent, due);
            const now = process.hrtime.bigint();
            for (const c of slice) sentAt.set(c.id, now);
            await producer.send({ topic: commandTopic, acks: -1, messages: slice.map((c) => c.message) });
            sent = due;
          } else {
            await new Promise((r) => setTimeout(r, 2));
          }
        }
        const sendingMs = since(pacedStart);
        await resultsFor(backlog.length + paced.length);
        const pacedLatencies = paced.map((c) => latency.get(c.id)!).sort((a, b) => a - b);

        const rawPerSecond = rawFirst ?? (await (async () => {
          await processor.stop();
          return ceiling();
        })());
        const ceilingWhat = 'raw kafkajs tx produce+sendOffsets';
        return {
          params: { backlog: backlog.length, pacedRate: RATE, pacedSeconds: SECONDS, batch: BATCH, partitions: catalog.byTopic(commandTopic)!.partitions },
          figures: [
            { figure: 'commands/s (one processor, backlog)', value: backlog.length / (backlogMs / 1000), unit: 'cmd/s', ceiling: { what: ceilingWhat, value: rawPerSecond }, goal: { on: 'ratio', atLeast: 0.6, text: '>= 0.60 of raw transactional' } },
            { figure: 'command-to-result p50 (backlog)', value: percentile(backlogLatencies, 0.5), unit: 'ms' },
            { figure: 'command-to-result p99 (backlog)', value: percentile(backlogLatencies, 0.99), unit: 'ms' },
            { figure: `paced send rate (asked ${RATE}/s)`, value: paced.length / (sendingMs / 1000), unit: 'cmd/s' },
            { figure: `command-to-result p50 at ${RATE}/s`, value: percentile(pacedLatencies, 0.5), unit: 'ms' },
            { figure: `command-to-result p99 at ${RATE}/s`, value: percentile(pacedLatencies, 0.99), unit: 'ms', goal: { on: 'value', atMost: 100, text: '< 100 ms' } },
          ],
        };
      } finally {
        await Promise.all([producer.disconnect(), results.disconnect(), processor.stop()]);
      }
    } finally {
      await admin.disconnect();
    }
  },
};
