import { defineConfig } from 'vitest/config';

// Three projects: `unit` (pure logic beside the code, no I/O), `integration`
// (real Kafka, schema registry and ClickHouse; `npm test` starts them first)
// and `browser` (the console in a real chromium against the whole platform;
// `npm test` runs it after integration).
export default defineConfig({
  test: {
    // Integration files share one local stack; running them one at a time
    // keeps a 2-core machine responsive and the logs readable.
    fileParallelism: false,
    projects: [
      {
        test: {
          name: 'unit',
          include: ['services/*/src/**/*.test.ts', 'test/unit/**/*.test.ts', 'bench/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/mlflow/**/*.test.ts', 'test/e2e/**/*.test.ts', 'test/fault/**/*.test.ts'],
          // Removes the topics and databases the tests created (test/helpers/cleanup.ts).
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // Faults of a real cluster (3 brokers behind links, ZooKeeper, 2 ClickHouse replicas): `npm test` runs it last.
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: ['test/cluster/setup.ts'],
          // Above the sum of each test's and hook's own named bounds (test/cluster/progress.ts), so those speak first.
          testTimeout: 540_000,
          hookTimeout: 480_000,
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
        },
      },
    ],
  },
});
