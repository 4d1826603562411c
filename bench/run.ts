// `npm run bench -- <name>`: runs one benchmark, prints a table of each figure
// beside its ceiling measured in the same run, and writes bench/results/<name>.json.
import fs from 'node:fs';
import path from 'node:path';
import { stackUp } from '@mlstream/cli';
import { removeBenchTopics } from './setup.ts';

export interface Figure {
  figure: string;
  value: number;
  unit: string;
  ceiling: { what: string; value: number };
}

export interface BenchResult {
  name: string;
  at: string;
  machine: { cpus: number; node: string };
  params: Record<string, unknown>;
  figures: Array<Figure & { ratio: number }>;
}

type Bench = { needsStack: boolean; run: () => Promise<{ params: Record<string, unknown>; figures: Figure[] }> };

const benches: Record<string, () => Promise<Bench>> = {
  serde: async () => (await import('./serde.ts')).default,
  commands: async () => (await import('./commands.ts')).default,
  materializer: async () => (await import('./materializer.ts')).default,
  materialize: async () => (await import('./materializer.ts')).default, // the name
  'drift-quality': async () => (await import('./drift-quality.ts')).default,
  'drift-quality-pass': async () => (await import('./drift-quality-pass.ts')).default,
  'quality-evidently': async () => (await import('./quality-evidently.ts')).default,
  drift: async () => (await import('./drift.ts')).default,
  ingest: async () => (await import('./gateway.ts')).default,
  'drift-evidently': async () => (await import('./drift-evidently.ts')).default,
  replay: async () => (await import('./replay.ts')).default,
  mlflow: async () => (await import('./mlflow.ts')).default,
  features: async () => (await import('./features.ts')).default,
  'scale-out': async () => (await import('./scale-out.ts')).default,
};

const name = process.argv[2];
if (!name || !benches[name]) {
  console.error(`usage: npm run bench -- <name>\n  available: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
const bench = await benches[name]!();
if (bench.needsStack) await stackUp((line) => console.error(`mlstream: ${line}`));
const { params, figures } = await bench.run().finally(async () => {
  const removed = await removeBenchTopics().catch((error: unknown) => console.error(`bench: could not delete its topics: ${(error as Error).message}`));
  if (removed) console.error(`bench: deleted its ${removed} topics`);
});
const os = await import('node:os');
const result: BenchResult = {
  name,
  at: new Date().toISOString(),
  machine: { cpus: os.cpus().length, node: process.version },
  params,
  figures: figures.map((f) => ({ ...f, ratio: f.value / f.ceiling.value })),
};
const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(2));
console.log(`\n${name}  (${JSON.stringify(params)})`);
console.log(`${'figure'.padEnd(48)} ${'value'.padStart(14)}  ${'ceiling'.padEnd(30)} ${'ceiling value'.padStart(14)}  ratio`);
for (const f of result.figures) {
  console.log(`${f.figure.padEnd(48)} ${fmt(f.value).padStart(14)}  ${f.ceiling.what.padEnd(30)} ${fmt(f.ceiling.value).padStart(14)}  ${f.ratio.toFixed(3)}`);
}
const out = path.resolve(import.meta.dirname, 'results', `${name}.json`);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(result, null, 2));
console.log(`\nwrote ${path.relative(process.cwd(), out)}`);
process.exit(0);
