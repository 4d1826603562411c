#!/usr/bin/env node
// Installs the npm dependencies when they are missing or stale, so that
// `npm start`, `npm test` and `npm run demo` work as the first command after
// `git clone`. Plain Node, no dependencies (it runs before there are any).
//
// "Stale" means package-lock.json no longer describes what is installed: npm
// records the installed tree in node_modules/.package-lock.json, whose entries
// are copies of package-lock.json's, so the two are compared entry by entry
// (mtimes are useless after a clone or checkout). Silent when nothing is to do.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Why an install is needed, or undefined when the installed tree matches the
 * lock. `lock` is package-lock.json, `installed` node_modules/.package-lock.json
 * (undefined when absent). Entries the lock marks optional may be missing
 * (platform-specific binaries that npm skips here).
 */
export function staleness(lock, installed) {
  if (!installed) return 'node_modules missing';
  const want = lock.packages ?? {};
  const have = installed.packages ?? {};
  for (const [key, entry] of Object.entries(have)) {
    if (JSON.stringify(entry) !== JSON.stringify(want[key])) return 'package-lock changed';
  }
  for (const [key, entry] of Object.entries(want)) {
    if (key !== '' && !(key in have) && !entry.optional) return 'package-lock changed';
  }
  return undefined;
}

const readJson = (file) => {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

/** Checks Node's version and installs the dependencies if needed; exits the process on failure. */
export function ensureDeps({ dir = root, log = (line) => console.error(line) } = {}) {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 12)) {
    log(`mlstream needs Node.js 20.12 or newer (crypto.hash); this is ${process.version}. Install a current Node.js LTS and retry.`);
    process.exit(1);
  }
  const lock = readJson(path.join(dir, 'package-lock.json'));
  if (!lock) {
    log(`mlstream: no readable package-lock.json in ${dir}`);
    process.exit(1);
  }
  const reasonNow = () =>
    staleness(lock, fs.existsSync(path.join(dir, 'node_modules')) ? readJson(path.join(dir, 'node_modules', '.package-lock.json')) : undefined);
  if (!reasonNow()) return false;
  // `npm start` in one terminal and `npm run demo` in another on a fresh clone:
  // one installs, the other waits for it instead of running a second `npm ci`.
  const release = acquireInstallLock(dir, log);
  try {
    const reason = reasonNow();
    if (!reason) return false;
    log(`mlstream: installing npm dependencies (${reason})…`);
    const began = Date.now();
    // stdout goes to stderr too, so `npm run -s demo -- --json > report.json` stays clean.
    const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 2, 2], env: process.env });
    if (result.error || result.status !== 0) {
      release();
      log(`mlstream: npm ci failed (${result.error?.message ?? `exit ${result.status}`}); fix the error above and retry.`);
      process.exit(result.status || 1);
    }
    log(`mlstream: npm dependencies installed in ${((Date.now() - began) / 1000).toFixed(1)} s`);
    return true;
  } finally {
    release();
  }
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
};

/** A lock file under the git-ignored .mlstream/ holding the installer's pid; a dead holder's lock is taken over. */
function acquireInstallLock(dir, log) {
  const file = path.join(dir, '.mlstream', 'npm-install.lock');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const pause = new Int32Array(new SharedArrayBuffer(4));
  let said = false;
  let blank = 0;
  for (;;) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(file, { force: true });
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
    }
    let holder = 0;
    try {
      holder = Number(fs.readFileSync(file, 'utf8').trim());
    } catch {
      continue; // released meanwhile
    }
    if ((holder > 0 && !alive(holder)) || (!(holder > 0) && ++blank > 100)) {
      fs.rmSync(file, { force: true }); // its installer died (or never wrote its pid)
      continue;
    }
    if (holder > 0 && !said) {
      log(`mlstream: waiting for another npm install (pid ${holder}) to finish…`);
      said = true;
    }
    Atomics.wait(pause, 0, 0, holder > 0 ? 500 : 50); // 0: the holder is still writing its pid
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) ensureDeps();
