import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

// StrykerJS runs vitest without a project filter: this config is the `unit`
// project of vitest.config.ts alone (pure logic, no stack), so a mutation run
// never reaches Kafka, the schema registry or ClickHouse.
const projects = (base.test?.projects ?? []) as Array<{ test: { name?: string; include?: string[]; testTimeout?: number } }>;
const unit = projects.find((p) => p.test.name === 'unit');
if (!unit) throw new Error('vitest.config.ts has no `unit` project');

export default defineConfig({
  // Instrumented code runs several times slower: the long detector runs need more than the usual limit.
  test: { include: unit.test.include, testTimeout: 5 * (unit.test.testTimeout ?? 20_000) },
});
