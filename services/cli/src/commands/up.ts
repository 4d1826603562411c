import { stackDown, stackStatus, stackUp } from '../stack/index.ts';
import { printStatus, printUp } from './stack.ts';
import { applyContracts, printTopicsReport } from './contracts.ts';

const say = (line: string) => console.error(`mlstream: ${line}`);

/**
 * `npm start` / `mlstream up`: brings the platform up and stays in the
 * foreground; Ctrl-C (or SIGTERM) stops what this command started.
 * With --detach it leaves everything running and exits.
 */
export async function upCommand(options: { detach?: boolean }): Promise<void> {
  const result = await stackUp(say);
  printUp(result);
  const contracts = await applyContracts();
  printTopicsReport(contracts.topics);
  console.log(`${Object.keys(contracts.subjects).length} schemas registered`);
  if (options.detach) return;
  console.log('\nmlstream is up. Ctrl-C stops what this command started; `npm run stack:status` shows the parts.');
  const timer = setInterval(async () => {
    const parts = await stackStatus();
    const bad = parts.filter((p) => !p.ready);
    if (bad.length) {
      console.error(`mlstream: not ready: ${bad.map((p) => p.title).join(', ')}`);
      printStatus(bad);
    }
  }, 15_000);
  await new Promise<void>((resolve) => {
    const onSignal = () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  clearInterval(timer);
  say('stopping…');
  await stackDown(say, undefined, result.started);
}
