// Our per-window data-quality figures beside Evidently's (its legacy metrics
// ColumnSummaryMetric, ColumnValueRangeMetric, ColumnValueListMetric, run in a
// pinned venv) on the same windows: missing share, out-of-range share and
// new-category share per feature must agree exactly; and the time per window.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DataQualityMeasured, PredictionLogged } from '@mlstream/kit';
import { profileDataset } from '@mlstream/kit/profile';
import { apply, defaultConfig, emptyDetectorState, emptyQualityAcc, injectQualityIssues, measureQuality, observeNumeric, referenceFromProfile, schemaFromProfile, syntheticPredictions } from '@mlstream/drift-detector';
import { ensurePythonEnv } from '../test/helpers/python.ts';

const W = defaultConfig.windowSize;
const WINDOWS = 10;
const shape = { numeric: 4, categorical: 2 };
const root = path.resolve(import.meta.dirname, '..');

export default {
  needsStack: false,
  rounds: 1, // repeats inside its own run (or too slow for five)
  async run() {
    const training = syntheticPredictions({ seed: 70, model: 'train', version: 1, count: 5000, shape });
    const profile = referenceFromProfile('train', '1', training.length, profileDataset(training).profile);
    // Window i: nulls in n0 and c1 (5 % steps), values above and below the training range in n1 and n2 (2 % steps),
    // unseen categories in c0 (3 % steps); window 0 is clean.
    const windows: PredictionLogged[][] = [];
    for (let i = 0; i < WINDOWS; i++) {
      let rows = syntheticPredictions({ seed: 100 + i, model: 'm', version: 1, count: W, startAt: 1_764_000_000_000 + i * W * 100, shape, idPrefix: `w${i}` });
      rows = injectQualityIssues(rows, { nulls: { n0: (i % 4) * 0.05, c1: (i % 3) * 0.05 }, outOfRange: { n1: i * 0.02 }, unseen: { c0: i * 0.03 } }, 1000 + i);
      rows = injectQualityIssues(rows, { outOfRange: { n2: i * 0.02 }, outOfRangeValue: -1000, unseenCategory: 'zz-other' }, 2000 + i);
      windows.push(rows);
    }

    // Ours: the detector with the training profile as reference.
    const state = emptyDetectorState();
    const measured: DataQualityMeasured[] = [];
    windows.flat().forEach((value, offset) => {
      for (const o of apply(state, { kind: 'prediction', value, topic: 't', partition: 0, offset }, () => defaultConfig, () => profile)) if (o.type === 'DataQualityMeasured') measured.push(o.value);
    });
    // Time of the quality pass alone per window (what the detector adds to drift).
    const schema = schemaFromProfile(profile);
    const started = process.hrtime.bigint();
    for (const rows of windows) {
      const acc = emptyQualityAcc();
      const categorical: Record<string, Record<string, number>> = {};
      for (const p of rows) {
        for (const name in p.numericFeatures) observeNumeric(acc, schema, name, p.numericFeatures[name]!);
        for (const name in p.categoricalFeatures) {
          const c = (categorical[name] ??= {});
          c[p.categoricalFeatures[name]!] = (c[p.categoricalFeatures[name]!] ?? 0) + 1;
        }
      }
      measureQuality(acc, categorical, rows.length, schema, defaultConfig);
    }
    const oursSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    // Evidently on the same windows, the training rows as its reference.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstream-evidently-quality-'));
    const asRow = (p: PredictionLogged) => ({ n: p.numericFeatures, c: p.categoricalFeatures });
    const numeric = Array.from({ length: shape.numeric }, (_, i) => `n${i}`);
    const categorical = Array.from({ length: shape.categorical }, (_, i) => `c${i}`);
    fs.writeFileSync(path.join(dir, 'windows.json'), JSON.stringify({ numeric, categorical, reference: training.map(asRow), windows: windows.map((w) => w.map(asRow)) }));
    const { python } = ensurePythonEnv({ requirements: path.join(root, 'test/python/requirements-evidently.txt'), name: 'evidently' });
    const py = spawnSync(python, [path.join(import.meta.dirname, 'evidently_quality.py'), path.join(dir, 'windows.json'), path.join(dir, 'out.json')], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    if (py.status !== 0) throw new Error(`Evidently run failed:\n${py.stderr.slice(-2000)}`);
    type Theirs = { rows: number; missing: number; notInRange?: number; values?: number; shareNotInRange?: number; notInList?: number; listRows?: number; shareNotInList?: number };
    const evidently = JSON.parse(fs.readFileSync(path.join(dir, 'out.json'), 'utf8')) as { windows: Array<Record<string, Theirs>>; seconds: number };

    // Compare, window by window, feature by feature. Evidently's value-list metric counts a missing value as "not in
    // the list" over all rows; ours counts unseen categories over the values present: the same figure once its
    // missing values are taken out of both counts, (notInList − missing) / (rows − missing).
    let compared = 0;
    const agree = { missing: 0, range: 0, unseen: 0 };
    const total = { missing: 0, range: 0, unseen: 0 };
    const table: string[] = [];
    measured.forEach((m, w) => {
      for (const f of m.features) {
        const t = evidently.windows[w]![f.feature]!;
        compared += 1;
        total.missing += 1;
        agree.missing += Number(f.missingShare === t.missing / t.rows);
        let line = `w${w} ${f.feature.padEnd(3)} missing ${f.missingShare.toFixed(3)} vs ${(t.missing / t.rows).toFixed(3)}`;
        if (f.kind === 'numeric') {
          total.range += 1;
          agree.range += Number(f.outOfRangeShare === t.shareNotInRange);
          line += `  out-of-range ${f.outOfRangeShare?.toFixed(3)} vs ${t.shareNotInRange!.toFixed(3)}`;
        } else {
          const theirs = (t.notInList! - t.missing) / (t.listRows! - t.missing);
          total.unseen += 1;
          agree.unseen += Number(f.unseenShare === theirs);
          line += `  new-category ${f.unseenShare?.toFixed(3)} vs ${theirs.toFixed(3)} (Evidently share_not_in_list ${t.shareNotInList!.toFixed(3)})`;
        }
        table.push(line);
      }
    });
    console.error(['ours vs Evidently, per window and feature:', ...table].join('\n'));
    return {
      params: { windows: WINDOWS, windowSize: W, features: shape.numeric + shape.categorical, compared, evidently: '0.7.23 (legacy metrics)', reference: '5 000 training rows (ours: their profile)' },
      figures: [
        { figure: 'missing shares equal to Evidently', value: agree.missing, unit: 'features x windows', ceiling: { what: 'compared', value: total.missing } },
        { figure: 'out-of-range shares equal', value: agree.range, unit: 'features x windows', ceiling: { what: 'compared', value: total.range } },
        { figure: 'new-category shares equal', value: agree.unseen, unit: 'features x windows', ceiling: { what: 'compared', value: total.unseen } },
        { figure: 'our quality pass per window (ms)', value: (1000 * oursSeconds) / WINDOWS, unit: 'ms', ceiling: { what: 'Evidently per window (ms)', value: (1000 * evidently.seconds) / WINDOWS } },
      ],
    };
  },
};
