// The drift detector's memory over a long stream, for the service alone: it
// runs as its own process (services/drift-detector/src/main.ts), its VmRSS is
// read from /proc/<pid>/status every 200 ms, and its progress from the
// DriftMeasured it commits (one per 1 000 predictions). The stream: 1 M
// predictions of one model (25 features, unique eventIds and requestIds) and a
// label for every 4th, so the dedupe window, the pending predictions and the
// label buffers are full and turning over. State is bounded by models x
// features x window sample, so the RSS at 1 M predictions should equal that
// at 100 k.
//   MLSTREAM_BENCH_DRIFT_MEMORY_ROWS: predictions (default 1 000 000).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { defaultConfig, syntheticPredictions } from '@mlstream/drift-detector';
import { benchContext, followDriftWindows } from './setup.ts';
import { median } from './summary.ts';

const N = Number(process.env.MLSTREAM_BENCH_DRIFT_MEMORY_ROWS ?? 1_000_000);
const W = defaultConfig.windowSize;
const SLICE = 10_000;
const SHAPE = { numeric: 20, categorical: 5 };

const vmRss = (pid: number): number | undefined => {
  try {
    const line = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return line ? Number(line[1]) / 1024 : undefined;
  } catch {
    return undefined; // exited
  }
};


export default {
  needsStack: true,
  /** One round: the stream takes minutes to produce and consume on two cores. */
  rounds: 1,
  async run(round = 0) {
    const { kafka, catalog, serde, admin } = await benchContext(`drift-memory-${round}`);

    // The input, made and sent a slice at a time (the bench's own memory stays small).
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    let labels = 0;
    for (let s = 0; s < N / SLICE; s++) {
      const slice = syntheticPredictions({ seed: 1000 + s, model: 'bench', version: 1, count: SLICE, startAt: 1_764_000_000_000 + s * SLICE * 100, shape: SHAPE, idPrefix: `s${s}` });
      const encoded = await Promise.all(slice.map((p) => serde.encode('PredictionLogged', p)));
      const labelled = slice.filter((_, i) => i % 4 === 0);
      const encodedLabels = await Promise.all(
        labelled.map((p, i) => serde.encode('LabelObserved', { eventId: `label-${s}-${i}`, occurredAt: p.occurredAt + 1000, requestId: p.requestId, model: p.model, label: p.prediction })),
      );
      labels += labelled.length;
      // One record batch per send stays below the broker's 1 MB message.max.bytes.
      for (let i = 0; i < SLICE; i += 1000) await producer.send({ topic: catalog.topic('predictions'), acks: -1, messages: encoded.slice(i, i + 1000).map((e) => e.message) });
      await producer.send({ topic: catalog.topic('feedback'), acks: -1, messages: encodedLabels.map((e) => e.message) });
    }
    await producer.disconnect();

    // Progress: the detector's committed DriftMeasured.
    const windows = await followDriftWindows(kafka, catalog, N / W);

    const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(import.meta.dirname, '..', 'services/drift-detector/src/main.ts')], {
      // No MLSTREAM_HTTP_PORT: the service then listens on a free port.
      env: { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'MLSTREAM_HTTP_PORT')), MLSTREAM_TOPIC_PREFIX: catalog.prefix, MLSTREAM_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const samples: Array<{ processed: number; rss: number }> = [];
    const start = process.hrtime.bigint();
    const sampler = setInterval(() => {
      const rss = vmRss(child.pid!);
      if (rss !== undefined) samples.push({ processed: windows.measured() * W, rss });
    }, 200);
    const failed = exited.then(() => {
      throw new Error('the drift detector exited before the stream was through');
    });
    await Promise.race([windows.all, failed]);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    clearInterval(sampler);
    const hwm = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
    failed.catch(() => {});
    child.kill('SIGTERM');
    await exited;
    await windows.stop();
    await admin.disconnect();

    // "RSS at 100 k" and "at 1 M": the median VmRSS while the detector went from 50 k to 100 k predictions,
    // and from 950 k to 1 M (medians: one GC cycle or the start-up burst of the label backlog does not decide).
    const at = (from: number, to: number) => samples.filter((s) => s.processed > from && s.processed <= to).map((s) => s.rss);
    const early = at(N / 20, N / 10);
    const late = at(N - N / 20, N);
    const first = at(0, N / 10);
    const last = at(N - N / 10, N);
    return {
      params: {
        predictions: N,
        labels,
        windowSize: W,
        features: SHAPE.numeric + SHAPE.categorical,
        samples: { at100k: early.length, at1M: late.length },
        peakRssMiB: { first10pct: +Math.max(...first).toFixed(1), last10pct: +Math.max(...last).toFixed(1), process: hwm ? +(Number(hwm[1]) / 1024).toFixed(1) : null },
        note: 'detector alone, in a child process; VmRSS from /proc/<pid>/status every 200 ms; "at 100 k" = median over 50 k..100 k predictions committed, "at 1 M" = over 950 k..1 M',
      },
      figures: [
        {
          figure: 'detector RSS at 1 M / at 100 k predictions',
          value: median(late) / median(early),
          unit: 'x',
          goal: { on: 'value' as const, atLeast: 0.9, atMost: 1.1, text: 'flat (±10 %) from 100 k to 1 M predictions' },
        },
        { figure: 'detector RSS at 100 k predictions (MiB)', value: median(early), unit: 'MiB' },
        { figure: 'detector RSS at 1 M predictions (MiB)', value: median(late), unit: 'MiB' },
        { figure: 'detector predictions/s (own process, with labels)', value: N / seconds, unit: 'predictions/s' },
      ],
    };
  },
};
