// The demo trainer: `tsx services/orchestrator/src/trainer/main.ts --snapshot <file.jsonl> --out <model.json>`.
// Trains a logistic regression on the snapshot rows not kept for the hold-out.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseSnapshot } from '../domain/snapshot.ts';
import { trainLogistic } from './logistic.ts';

const { values } = parseArgs({ options: { snapshot: { type: 'string' }, out: { type: 'string' }, iterations: { type: 'string' }, 'delay-ms': { type: 'string' } } });
if (!values.snapshot || !values.out) {
  console.error('usage: trainer --snapshot <file.jsonl> --out <model.json> [--iterations N]');
  process.exit(2);
}
// A slow trainer on request: the fault test kills the orchestrator while a job trains.
if (values['delay-ms']) await new Promise((resolve) => setTimeout(resolve, Number(values['delay-ms'])));
const rows = parseSnapshot(readFileSync(values.snapshot)).filter((r) => !r.holdout);
const model = trainLogistic(rows, { iterations: values.iterations ? Number(values.iterations) : undefined });
writeFileSync(values.out, JSON.stringify(model));
