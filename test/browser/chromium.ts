// The browser the console test drives: Debian's `chromium`, never a download.
// playwright-core ships no browser; it is pointed at the system one with
// `executablePath`. When chromium is missing and we are root (or have
// passwordless sudo), it is installed with apt, and the time it took is logged.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Names Debian and Ubuntu give the browser binary, in the order tried. */
const NAMES = ['chromium', 'chromium-browser'];
const INSTALL = 'apt-get install -y --no-install-recommends chromium';

export class ChromiumMissingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChromiumMissingError';
  }
}

/** The first executable named `chromium` or `chromium-browser` on PATH (or `MLSTREAM_CHROMIUM`), if any. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.MLSTREAM_CHROMIUM) return env.MLSTREAM_CHROMIUM;
  const dirs = (env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const name of NAMES) {
    for (const dir of dirs) {
      const file = path.join(dir, name);
      try {
        accessSync(file, constants.X_OK);
        return file;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

const run = (command: string, args: string[]) =>
  spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });

/** How apt can be run here: directly as root, through passwordless sudo, or not at all. */
function aptRunner(): ((args: string[]) => ReturnType<typeof run>) | undefined {
  if (process.getuid?.() === 0) return (args) => run('apt-get', args);
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  if (sudo.status === 0) return (args) => run('sudo', ['-n', 'apt-get', ...args]);
  return undefined;
}

/**
 * The path of a chromium binary, installing Debian's package first when none is on PATH.
 * Throws ChromiumMissingError naming the command to run when it cannot install.
 */
export function ensureChromium(log: (line: string) => void = (line) => console.log(line)): string {
  const found = findChromium();
  if (found) return found;
  const apt = aptRunner();
  if (!apt) {
    throw new ChromiumMissingError(`the browser test needs Debian's chromium and it is not on PATH; install it with \`sudo ${INSTALL}\` (or point MLSTREAM_CHROMIUM at a chromium binary)`);
  }
  log(`browser test: chromium not on PATH, installing it: ${INSTALL}`);
  const started = Date.now();
  // A fresh machine may have no package lists yet; an install without them finds nothing.
  const update = apt(['update']);
  if (update.status !== 0) log(`browser test: apt-get update exited ${update.status}; trying the install anyway`);
  const install = apt(['install', '-y', '--no-install-recommends', 'chromium']);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const installed = findChromium();
  if (install.status !== 0 || !installed) {
    throw new ChromiumMissingError(`installing chromium failed (apt-get exited ${install.status ?? install.error?.message}); run \`${INSTALL}\` and retry`, { cause: install.error });
  }
  log(`browser test: installed chromium in ${seconds} s (${installed})`);
  return installed;
}

/** A headless chromium driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = ensureChromium();
  // --no-sandbox: the test runs as root in CI, where chromium refuses its sandbox.
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
}
