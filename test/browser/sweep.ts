// A hyper-parameter sweep of 10 000 runs, written fast: the tracking events
// (RunStarted, ParamsLogged, MetricsLogged, RunFinished) go straight to the
// runs topic with the serde, as the tracking processor would write them, in
// large batches. Through the gateway (POST /v1/runs, /batch, /finish: three
// commands a run, each a Kafka transaction of the tracking processor) the same
// sweep takes minutes on this machine (see the report in seed.ts's header).
import { randomUUID } from 'node:crypto';
import type { Kafka, Message } from 'kafkajs';
import { experimentIdOf, type Serde } from '@mlstream/kit';
import { prng } from '@mlstream/drift-detector';

export const OPTIMIZERS = ['adam', 'sgd', 'rmsprop', 'adagrad'] as const;
const RATES = ['0.001', '0.003', '0.01', '0.03', '0.1'];
const BATCHES = ['32', '64', '128', '256'];
export const SWEEP_STEPS = 3;

export interface SweepRun {
  runId: string;
  name: string;
  params: { optimizer: string; learning_rate: string; max_depth: string; batch_size: string };
  /** Latest value of each metric (the last step). */
  metrics: { val_auc: number; val_loss: number; train_loss: number };
  startTime: number;
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

/** The sweep's runs: a pure function of the seed (names, params, final metrics). */
export function sweepRuns(options: { seed: number; count: number; tag: string; startAt: number }): SweepRun[] {
  const rnd = prng(options.seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  return Array.from({ length: options.count }, (_, i) => {
    const optimizer = pick(OPTIMIZERS);
    const lr = pick(RATES);
    const depth = 2 + Math.floor(rnd() * 11);
    // A plausible response surface: adam and mid learning rates do best, plus noise.
    const auc = 0.62 + (optimizer === 'adam' ? 0.12 : optimizer === 'rmsprop' ? 0.08 : 0.04) + 0.05 * (1 - Math.abs(Math.log10(Number(lr)) + 2)) + 0.01 * Math.min(depth, 8) + 0.08 * rnd();
    const valAuc = round(Math.min(0.999, auc));
    return {
      runId: `${options.tag}${i.toString(36).padStart(4, '0')}`,
      name: `sweep-${String(i).padStart(5, '0')}`,
      params: { optimizer, learning_rate: lr, max_depth: String(depth), batch_size: pick(BATCHES) },
      metrics: { val_auc: valAuc, val_loss: round(1.2 - valAuc + 0.05 * rnd()), train_loss: round(1.1 - valAuc + 0.03 * rnd()) },
      startTime: options.startAt + i * 1000,
    };
  });
}

/** The run's metric points by step: curves ending at its latest values. */
export const sweepCurve = (run: SweepRun) =>
  Array.from({ length: SWEEP_STEPS }, (_, step) => {
    const left = SWEEP_STEPS - 1 - step;
    return { step, val_auc: round(run.metrics.val_auc - 0.03 * left), val_loss: round(run.metrics.val_loss + 0.05 * left), train_loss: round(run.metrics.train_loss + 0.06 * left) };
  });

/** The four events of one finished run, as the tracking processor decides them. */
async function encodeRun(serde: Serde, experiment: string, run: SweepRun): Promise<Message[]> {
  const base = (version: number, at: number) => ({ eventId: randomUUID(), occurredAt: at, commandId: `seed-${run.runId}-${version}`, actor: 'browser-test-seed', aggregateVersion: version, runId: run.runId });
  const t = run.startTime;
  const metrics = sweepCurve(run).flatMap((p) => (['val_auc', 'val_loss', 'train_loss'] as const).map((key) => ({ key, value: p[key], step: p.step, timestamp: t + 100 + p.step })));
  const records = [
    await serde.encode('RunStarted', { ...base(1, t), experiment, experimentId: experimentIdOf(experiment), name: run.name, tags: { team: 'growth', sweep: 'grid' }, codeVersion: 'sweep@1', status: 'RUNNING' }),
    await serde.encode('ParamsLogged', { ...base(2, t + 50), params: run.params }),
    await serde.encode('MetricsLogged', { ...base(3, t + 200), metrics }),
    await serde.encode('RunFinished', { ...base(4, t + 300), status: 'FINISHED' }),
  ];
  return records.map((r) => r.message);
}

/**
 * Writes the runs to the runs topic in batches of whole runs (a run's events
 * share a key, so its partition keeps them in order), several batches in flight.
 */
export async function writeSweep(options: { kafka: Kafka; serde: Serde; experiment: string; runs: SweepRun[]; runsPerBatch?: number; inFlight?: number }): Promise<{ records: number; ms: number }> {
  const { kafka, serde, experiment, runs } = options;
  const started = Date.now();
  const topic = (await serde.encode('RunFinished', { eventId: randomUUID(), occurredAt: 0, commandId: 'x', actor: 'x', aggregateVersion: 1, runId: 'x', status: 'FINISHED' })).topic;
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  let records = 0;
  try {
    const per = options.runsPerBatch ?? 500;
    const batches: SweepRun[][] = [];
    for (let i = 0; i < runs.length; i += per) batches.push(runs.slice(i, i + per));
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const messages = (await Promise.all(batch.map((run) => encodeRun(serde, experiment, run)))).flat();
        await producer.send({ topic, acks: -1, messages });
        records += messages.length;
      }
    };
    await Promise.all(Array.from({ length: options.inFlight ?? 4 }, worker));
  } finally {
    await producer.disconnect();
  }
  return { records, ms: Date.now() - started };
}

/**
 * A filter in MLflow's grammar that keeps about `wanted` runs of the sweep
 * (the best of one optimizer), and the runs it keeps, computed here without the platform.
 */
export function narrowFilter(runs: SweepRun[], optimizer: string, wanted: number): { filter: string; expected: SweepRun[] } {
  const mine = runs.filter((r) => r.params.optimizer === optimizer).sort((a, b) => b.metrics.val_auc - a.metrics.val_auc);
  // A threshold between two distinct AUCs, so rounding on screen cannot move a run across it.
  let i = Math.min(wanted, mine.length - 1);
  while (i < mine.length - 1 && mine[i]!.metrics.val_auc === mine[i - 1]!.metrics.val_auc) i++;
  const threshold = Math.round(((mine[i - 1]!.metrics.val_auc + mine[i]!.metrics.val_auc) / 2) * 1e5) / 1e5;
  const filter = `params.optimizer = '${optimizer}' and metrics.val_auc > ${threshold}`;
  return { filter, expected: runs.filter((r) => r.params.optimizer === optimizer && r.metrics.val_auc > threshold) };
}
