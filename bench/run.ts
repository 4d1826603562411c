// `npm run bench -- <name> [--rounds N]`: runs one benchmark N times (default 5,
// or the bench's own default), prints each figure's median beside its ceiling
// measured in the same rounds, the spread of the ratio and the goal, and writes
// bench/results/<name>.json. `npm run bench` with no name runs every benchmark,
// prints one table and writes bench/results/<date>.json as well.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stackUp } from '@mlstream/cli';
import { removeBenchTopics } from './setup.ts';
import { summarize, type BenchResult, type Bench, type FigureSummary } from './summary.ts';

export type { Figure, Goal } from './summary.ts';

const benches: Record<string, () => Promise<Bench>> = {
  serde: async () => (await import('./serde.ts')).default,
  ingest: async () => (await import('./gateway.ts')).default,
  commands: async () => (await import('./commands.ts')).default,
  materialize: async () => (await import('./materializer.ts')).default,
  drift: async () => (await import('./drift.ts')).default,
  replay: async () => (await import('./replay.ts')).default,
  'drift-quality': async () => (await import('./drift-quality.ts')).default,
  'drift-quality-pass': async () => (await import('./drift-quality-pass.ts')).default,
  'quality-evidently': async () => (await import('./quality-evidently.ts')).default,
  'drift-evidently': async () => (await import('./drift-evidently.ts')).default,
  mlflow: async () => (await import('./mlflow.ts')).default,
  features: async () => (await import('./features.ts')).default,
  'drift-memory': async () => (await import('./drift-memory.ts')).default,
  'scale-out': async () => (await import('./scale-out.ts')).default,
};
const aliases: Record<string, string> = { materializer: 'materialize', gateway: 'ingest' };

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string' } } });
const roundsOverride = values.rounds === undefined ? undefined : Number(values.rounds);
if (roundsOverride !== undefined && !(Number.isInteger(roundsOverride) && roundsOverride > 0)) {
  console.error(`bench: --rounds must be a positive integer, got ${values.rounds}`);
  process.exit(2);
}
const requested = positionals[0] ? (aliases[positionals[0]] ?? positionals[0]) : undefined;
if (requested && !benches[requested]) {
  console.error(`usage: npm run bench [-- <name>] [--rounds N]\n  available: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const names = requested ? [requested] : Object.keys(benches);

const fmt = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
const verdictText = (s: FigureSummary) => (s.verdict === 'none' ? '' : s.verdict.toUpperCase());
function printTable(title: string, rows: Array<{ bench?: string } & FigureSummary>): void {
  console.log(`\n${title}`);
  const head = [requested ? '' : 'bench'.padEnd(18), 'figure'.padEnd(46), 'median'.padStart(12), 'unit'.padEnd(8), 'ceiling'.padEnd(30), 'median'.padStart(12), '  ratio', ' spread'.padEnd(16), 'goal'.padEnd(26), 'verdict'];
  console.log(head.join(' '));
  for (const r of rows) {
    console.log([
      requested ? '' : (r.bench ?? '').padEnd(18),
      r.figure.padEnd(46),
      fmt(r.value).padStart(12),
      r.unit.padEnd(8).slice(0, 8),
      (r.ceiling?.what ?? '-').padEnd(30),
      (r.ceiling ? fmt(r.ceiling.value) : '-').padStart(12),
      (r.ratio === undefined ? '-' : r.ratio.toFixed(3)).padStart(7),
      (r.spread ? ` ${r.spread.min.toFixed(3)}..${r.spread.max.toFixed(3)}` : ' -').padEnd(16),
      (r.goal?.text ?? '-').padEnd(26),
      verdictText(r),
    ].join(' '));
  }
}

const results: BenchResult[] = [];
const failures: Array<{ name: string; error: string }> = [];
let stackStarted = false;
for (const name of names) {
  try {
    // Loading is inside: a bench whose module fails to load is one failure of a full run, not its end.
    const bench = await benches[name]!();
    const rounds = roundsOverride ?? bench.rounds ?? 5;
    if (bench.needsStack && !stackStarted) {
      await stackUp((line) => console.error(`mlstream: ${line}`));
      stackStarted = true;
    }
    const perRound = [];
    for (let round = 1; round <= rounds; round++) {
      console.error(`bench ${name}: round ${round} of ${rounds}`);
      perRound.push(await bench.run(round));
    }
    const result = summarize(name, perRound, { cpus: os.cpus().length, node: process.version, loadAverage1m: os.loadavg()[0]! });
    results.push(result);
    printTable(`${name}  (${rounds} round${rounds === 1 ? '' : 's'}; ${JSON.stringify(result.params)})`, result.figures);
    const out = path.resolve(import.meta.dirname, 'results', `${name}.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, JSON.stringify(result, null, 2));
    console.log(`wrote ${path.relative(process.cwd(), out)}`);
  } catch (error) {
    // One broken bench must not hide the others' figures in a full run.
    const message = (error as Error).stack ?? String(error);
    console.error(`bench ${name} failed: ${message}`);
    failures.push({ name, error: (error as Error).message });
    if (requested) process.exitCode = 1;
  } finally {
    const removed = await removeBenchTopics().catch((error: unknown) => console.error(`bench: could not delete its topics: ${(error as Error).message}`));
    if (removed) console.error(`bench: deleted ${removed} topics`);
  }
}

if (!requested) {
  printTable('all benchmarks (medians of each bench\'s rounds)', results.flatMap((r) => r.figures.map((f) => ({ bench: r.name, ...f }))));
  const out = path.resolve(import.meta.dirname, 'results', `${new Date().toISOString().slice(0, 10)}.json`);
  fs.writeFileSync(out, JSON.stringify({ at: new Date().toISOString(), results, failures }, null, 2));
  console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
  for (const f of failures) console.log(`FAILED ${f.name}: ${f.error}`);
  if (failures.length) process.exitCode = 1;
}
process.exit();
