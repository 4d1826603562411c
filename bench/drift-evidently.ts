// Our per-feature drift tests beside Evidently's (run with python3 on the same
// windows): verdict agreement, p-value differences, and time per window.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultConfig, evaluate, syntheticPredictions, type Sample } from '@mlstream/drift-detector';
import type { PredictionLogged } from '@mlstream/kit';

const W = defaultConfig.windowSize;
const toSample = (ps: PredictionLogged[]): Sample => {
  const s: Sample = { count: 0, numeric: {}, categorical: {}, predictionNumeric: [], predictionCategorical: {} };
  for (const p of ps) {
    s.count += 1;
    for (const [k, v] of Object.entries(p.numericFeatures ?? {})) (s.numeric[k] ??= []).push(v);
    for (const [k, v] of Object.entries(p.categoricalFeatures ?? {})) (s.categorical[k] ??= {})[v] = ((s.categorical[k] ??= {})[v] ?? 0) + 1;
  }
  return s;
};

export default {
  needsStack: false,
  rounds: 1, // repeats inside its own run (or too slow for five)
  async run() {
    const shape = { numeric: 20, categorical: 5 };
    const reference = toSample(syntheticPredictions({ seed: 41, model: 'm', version: 1, count: W, shape }));
    const windows = [
      ...Array.from({ length: 10 }, (_, i) => syntheticPredictions({ seed: 100 + i, model: 'm', version: 1, count: W, shape })),
      ...Array.from({ length: 10 }, (_, i) => syntheticPredictions({ seed: 200 + i, model: 'm', version: 1, count: W, shape: { ...shape, shift: { 0: 0.25, 1: 0.5, 2: 1 }, categoryShift: [0] } })),
    ].map(toSample);

    const started = process.hrtime.bigint();
    const ours = windows.map((current) => evaluate(reference, current, defaultConfig));
    const oursSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstream-evidently-'));
    fs.writeFileSync(path.join(dir, 'windows.json'), JSON.stringify(windows.map((current) => ({ reference, current }))));
    const py = spawnSync('python3', [path.join(import.meta.dirname, 'evidently_compare.py'), path.join(dir, 'windows.json'), path.join(dir, 'out.json')], { encoding: 'utf8' });
    if (py.status !== 0) throw new Error(`Evidently run failed (pip install evidently 'pandas<2.2'):\n${py.stderr.slice(-2000)}`);
    const evidently = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as { windows: Array<Record<string, { score: number; drifted: boolean }>>; seconds: number };

    let agreeNumeric = 0;
    let numeric = 0;
    let agreeCategorical = 0;
    let categorical = 0;
    let maxKsDiff = 0;
    ours.forEach((verdict, w) => {
      for (const f of verdict.features) {
        const theirs = evidently.windows[w]![f.feature]!;
        if (f.kind === 'numeric') {
          numeric += 1;
          agreeNumeric += Number(theirs.drifted === f.drifted);
          maxKsDiff = Math.max(maxKsDiff, Math.abs((f.pValue ?? 0) - theirs.score));
        } else {
          categorical += 1;
          agreeCategorical += Number(theirs.drifted === f.drifted);
        }
      }
    });
    return {
      params: { windows: windows.length, windowSize: W, features: 25, shifted: 'windows 11-20: n0 +0.25σ, n1 +0.5σ, n2 +1σ, c0 frequencies' },
      figures: [
        { figure: 'numeric verdicts equal to Evidently (%)', value: (100 * agreeNumeric) / numeric, unit: '%', ceiling: { what: 'full agreement', value: 100 } },
        { figure: 'categorical verdicts equal (%)', value: (100 * agreeCategorical) / categorical, unit: '%', ceiling: { what: 'full agreement', value: 100 } },
        { figure: 'max |KS p ours - Evidently|', value: maxKsDiff, unit: 'p-value', ceiling: { what: 'p-value threshold', value: 0.05 } },
        { figure: 'our time per window (ms)', value: (1000 * oursSeconds) / windows.length, unit: 'ms', ceiling: { what: 'Evidently time per window (ms)', value: (1000 * evidently.seconds) / windows.length } },
      ],
    };
  },
};
