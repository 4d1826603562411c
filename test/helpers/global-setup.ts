import { readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { removeTestData } from './cleanup.ts';
import { TEST_NAMES_FILE } from './index.ts';

// vitest globalSetup of the integration project: nothing to set up (npm test starts the stack)
// but the file where uniqueName() records the names this run's tests use (test workers inherit
// the variable); at the end, the topics and databases of those names are removed.
export default function setup() {
  const file = path.join(os.tmpdir(), `mlstream-test-names-${process.pid}-${Date.now()}.txt`);
  process.env[TEST_NAMES_FILE] = file;
  return async () => {
    let names: string[] = [];
    try {
      names = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    } catch {
      // no test asked for a name
    }
    rmSync(file, { force: true });
    if (process.env.MLSTREAM_TEST_KEEP_DATA === '1') return;
    await removeTestData({ names, log: (line) => console.log(`test cleanup: ${line}`) }).catch((error: unknown) => console.warn(`test cleanup failed: ${(error as Error).message}`));
  };
}
