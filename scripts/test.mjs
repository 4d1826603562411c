#!/usr/bin/env node
// `npm test`: everything, on a fresh clone of a fresh machine.
//   1. install npm dependencies if missing or stale (scripts/ensure-deps.mjs)
//   2. typecheck, lint, unit tests (no I/O)
//   3. build the console if its sources changed (services/console/build.mjs)
//   4. provision and start the local stack if it is not running
//   5. integration, end-to-end and fault tests against it
//   6. the console in a real browser (test/browser; Debian's chromium, installed with apt when missing)
//   7. stop exactly the parts of the stack this run started
//   8. the cluster's faults (test/cluster: 3 brokers behind links, ZooKeeper, 2 ClickHouse replicas),
//      which start and stop the cluster themselves, bounded by MLSTREAM_CLUSTER_TEST_TIMEOUT_MS
// Extra arguments go to vitest (e.g. `npm test -- test/integration/kafka.test.ts`).
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDeps } from './ensure-deps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const sh = (command, args, options = {}) => {
  console.log(`\n$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    cwd: root,
    stdio: options.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    ...(options.timeoutMs ? { timeout: options.timeoutMs, killSignal: 'SIGTERM' } : {}),
  });
  if (result.error && result.error.code !== 'ETIMEDOUT') throw result.error;
  return result;
};
/**
 * SIGKILLs every process whose environment carries `name=value`: what a run
 * killed on a timeout leaves behind (the services its tests spawned are
 * re-parented when vitest dies, so they are found by the mark they inherit).
 */
const killMarked = (name, value) => {
  const mark = `${name}=${value}`;
  let killed = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(mark)) continue;
      process.kill(Number(pid), 'SIGKILL');
      killed += 1;
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return killed;
};
const must = (result, what) => {
  if (result.status !== 0) {
    console.error(`\nnpm test: ${what} failed (exit ${result.status})`);
    process.exit(result.status || 1);
  }
  return result;
};

ensureDeps({ dir: root });

const extra = process.argv.slice(2);
if (extra.length === 0) {
  must(sh(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']), 'typecheck');
  must(sh(bin('eslint'), ['.']), 'lint');
  must(sh(bin('vitest'), ['run', '--project', 'unit']), 'unit tests');
}

// The gateway serves the console at /ui; integration and browser tests need it built.
must(sh(process.execPath, ['services/console/build.mjs', '--if-stale']), 'console build');

const up = must(sh(bin('tsx'), ['services/cli/src/main.ts', 'stack', 'up', '--json'], { capture: true }), 'stack up');
const started = JSON.parse(up.stdout).started;
console.log(started.length ? `npm test: started ${started.join(', ')} (will stop them afterwards)` : 'npm test: the stack was already running (will leave it running)');

let status = 1;
try {
  const runs = extra.length ? [['run', ...extra]] : [['run', '--project', 'integration'], ['run', '--project', 'browser']];
  status = 0;
  for (const args of runs) {
    const code = sh(bin('vitest'), args).status ?? 1;
    if (status === 0) status = code;
  }
} finally {
  if (started.length) sh(bin('tsx'), ['services/cli/src/main.ts', 'stack', 'down', '--only', started.join(',')]);
}

if (extra.length === 0) {
  // The cluster's faults (docs/testing.md): the project's globalSetup starts the cluster and stops what it
  // started. A run that overstays its bound is stopped, and so is a cluster that was not running before it.
  const clusterStatus = sh(bin('tsx'), ['services/cli/src/main.ts', 'stack', 'status', '--cluster', '--json'], { capture: true });
  let clusterWasUp = true; // when unsure, never stop it
  try {
    clusterWasUp = JSON.parse(clusterStatus.stdout).parts.some((p) => p.running);
  } catch {
    console.error('npm test: could not read `stack status --cluster --json`; a cluster left behind by a stuck run will not be stopped');
  }
  const timeoutMs = Number(process.env.MLSTREAM_CLUSTER_TEST_TIMEOUT_MS ?? 15 * 60_000);
  const runId = randomUUID();
  const cluster = sh(bin('vitest'), ['run', '--project', 'cluster'], { timeoutMs, env: { MLSTREAM_TEST_RUN_ID: runId } });
  if (cluster.error?.code === 'ETIMEDOUT' || cluster.signal) {
    console.error(`\nnpm test: the cluster fault suite did not finish within ${timeoutMs / 1000} s (MLSTREAM_CLUSTER_TEST_TIMEOUT_MS); its last progress lines above say where it was`);
    console.error(`npm test: stopped ${killMarked('MLSTREAM_TEST_RUN_ID', runId)} processes the suite left behind`);
    if (!clusterWasUp) sh(bin('tsx'), ['services/cli/src/main.ts', 'stack', 'down', '--cluster']);
  }
  if (status === 0) status = cluster.status ?? 1;
}
process.exit(status);
