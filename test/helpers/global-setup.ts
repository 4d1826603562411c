import { removeTestData } from './cleanup.ts';

// vitest globalSetup of the integration project: nothing to set up (npm test starts the stack);
// at the end, the topics and databases the tests created are removed.
export default function setup() {
  return async () => {
    if (process.env.MLSTREAM_TEST_KEEP_DATA === '1') return;
    await removeTestData((line) => console.log(`test cleanup: ${line}`)).catch((error: unknown) => console.warn(`test cleanup failed: ${(error as Error).message}`));
  };
}
