import type { Command } from 'commander';
import { MlstreamApiError } from '@mlstream/sdk';
import { DemoError, runDemo, type DemoOptions } from '../demo/index.ts';

const int = (name: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new DemoError(`${name} must be a positive whole number, got ${JSON.stringify(text)}`);
  return n;
};

interface DemoFlags {
  fast?: boolean;
  seed?: string;
  model?: string;
  rate?: string;
  gateway?: string;
  windowSize?: string;
  consecutiveWindows?: string;
  audit?: boolean;
  loop?: boolean;
  json?: boolean;
}

/** `mlstream demo`: runs the lifecycle against the running platform; --json prints the report on stdout, progress on stderr. */
export async function demoCommand(flags: DemoFlags): Promise<void> {
  try {
    const options: DemoOptions = {
      fast: flags.fast,
      seed: int('--seed', flags.seed),
      model: flags.model,
      rate: int('--rate', flags.rate),
      gatewayUrl: flags.gateway,
      windowSize: int('--window-size', flags.windowSize),
      consecutiveWindows: int('--consecutive-windows', flags.consecutiveWindows),
      skipAudit: flags.audit === false,
      loop: flags.loop,
      print: flags.json ? (line) => void process.stderr.write(`${line}\n`) : undefined,
    };
    const report = await runDemo(options);
    if (flags.json) console.log(JSON.stringify(report, null, 2));
    if (report.audit?.drift.findings.length) process.exitCode = 1;
  } catch (error) {
    if (error instanceof MlstreamApiError) console.error(`mlstream demo: the gateway refused a request (${error.status}): ${error.message}`);
    else if (error instanceof DemoError || error instanceof TypeError) console.error(`mlstream demo: ${error.message}`);
    else throw error;
    process.exitCode = 1;
  }
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the whole lifecycle against the running platform (npm start): dataset, runs, gated promotion, predictions, a shift, drift and a retrain request, analytics, audit')
    .option('--fast', 'a shortened run (tests): fewer rows and epochs, predictions as fast as the gateway takes them')
    .option('--seed <n>', 'seed of every generated row, curve and request', '42')
    .option('--model <name>', 'model name (default demo-churn-<unique suffix>)')
    .option('--rate <n>', 'predictions per second (default 100, --fast 2000)')
    .option('--gateway <url>', 'gateway URL (default MLSTREAM_GATEWAY_URL or http://127.0.0.1:8080)')
    .option('--window-size <n>', "the drift detector's window size (default MLSTREAM_DRIFT_WINDOW_SIZE or 1000, as the detector reads it)")
    .option('--consecutive-windows <n>', "the drift detector's K (default MLSTREAM_DRIFT_CONSECUTIVE_WINDOWS or 3)")
    .option('--loop', 'close the loop: the orchestrator retrains on the drifted traffic, evaluates the challenger and promotes it; prints accuracy before the shift, after it and after the promotion')
    .option('--no-audit', 'skip re-reading the Kafka log for the lineage and the drift audit')
    .option('--json', 'print the report as JSON on stdout (progress goes to stderr)')
    .action(demoCommand);
}
