#!/usr/bin/env node
// Compiles every service entry point (and the CLI) to JavaScript under dist/, for the
// Docker image's build stage: one ESM file per entry, the workspace's own TypeScript
// (@mlstream/*) bundled in, npm dependencies left as imports from node_modules.
// `node dist/js/services/main/<entry>.mjs` then runs without tsx. The output sits four
// folders below the root, like every source file (services/<pkg>/src/<dir>/), so the
// paths sources resolve relative to themselves (schemas/, infra/clickhouse/, .mlstream)
// still land at the root. Usage: node scripts/build-services.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entries = {
  cli: 'services/cli/src/main.ts',
  gateway: 'services/gateway/src/main.ts',
  tracking: 'services/tracking/src/main.ts',
  registry: 'services/registry/src/main.ts',
  materializer: 'services/materializer/src/main.ts',
  'drift-detector': 'services/drift-detector/src/main.ts',
  validator: 'services/validator/src/main.ts',
  webhooks: 'services/webhooks/src/main.ts',
  orchestrator: 'services/orchestrator/src/main.ts',
  features: 'services/features/src/main.ts',
};

/** Bare imports stay external except the workspace's own packages, which are TypeScript. */
const externalDependencies = {
  name: 'external-dependencies',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@mlstream/') ? undefined : { path: args.path, external: true }));
  },
};

await build({
  absWorkingDir: root,
  entryPoints: entries,
  outdir: 'dist/js/services/main',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [externalDependencies],
  logLevel: 'warning',
});
console.log(`compiled ${Object.keys(entries).length} entry points to dist/js/services/main/`);
