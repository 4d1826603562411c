// @ts-check
/**
 * Mutation testing of the pure cores (docs/testing.md): `npm run mutate`.
 * Not in CI: on 2 cores a full run takes long. Narrow it with
 * `npm run mutate -- --mutate 'services/materializer/src/sql/**\/*.ts'`.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'stryker.vitest.config.ts' },
  mutate: [
    'services/*/src/domain/**/*.ts',
    'services/kit/src/profile/**/*.ts',
    'services/materializer/src/sql/**/*.ts',
    'services/kit/src/processor/decide-command.ts',
    'services/gateway/src/idempotency/**/*.ts',
    'services/gateway/src/auth/**/*.ts',
    '!**/*.test.ts',
    '!**/*.fixture.ts',
    '!**/*.fixtures.ts',
    '!**/index.ts',
  ],
  coverageAnalysis: 'perTest',
  // Module-level constants would need the whole suite per mutant; the defaults have their own tests.
  ignoreStatic: true,
  concurrency: 1,
  timeoutMS: 30_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
