import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const repoRoot = path.resolve(import.meta.dirname, '../..');

/** The pinned requirements of the Python-using tests. */
export const testRequirements = path.join(repoRoot, 'test/python/requirements.txt');

export interface PythonEnv {
  /** The venv's interpreter: run scripts with it. */
  python: string;
  venv: string;
  /** True when this call created or re-created the venv. */
  installed: boolean;
  ms: number;
}

export interface PythonEnvOptions {
  /** Requirements file (pinned); default test/python/requirements.txt. */
  requirements?: string;
  /** State folder; default $MLSTREAM_HOME, else <repo>/.mlstream. The venv is <home>/python/<name>. */
  home?: string;
  /** Folder name of the venv under <home>/python; default `venv`. One per requirements file. */
  name?: string;
  /** Interpreter that creates the venv; default $MLSTREAM_PYTHON, else python3. */
  basePython?: string;
  /** Where the "installing" line goes; default stderr. */
  log?: (line: string) => void;
}

/**
 * A Python virtual environment with the pinned test requirements, created on
 * first use under the state folder and reused while its stamp (sha256 of the
 * requirements and the interpreter version) matches. It is built beside the
 * old one and renamed into place, so a crash or a concurrent test never
 * leaves a half-installed venv behind the stamp.
 */
export function ensurePythonEnv(options: PythonEnvOptions = {}): PythonEnv {
  const started = Date.now();
  const requirements = options.requirements ?? testRequirements;
  const home = path.resolve(options.home ?? process.env.MLSTREAM_HOME ?? path.join(repoRoot, '.mlstream'));
  const basePython = options.basePython ?? process.env.MLSTREAM_PYTHON ?? 'python3';
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const name = options.name ?? 'venv';
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new TypeError(`ensurePythonEnv: name must be a plain folder name, got ${JSON.stringify(name)}`);
  const venv = path.join(home, 'python', name);
  const python = path.join(venv, 'bin', 'python');
  const baseVersion = run(basePython, ['-c', 'import sys; print(sys.version)'], `${basePython} not found: install Python 3.9+ or point MLSTREAM_PYTHON at one`).trim();
  const stamp = createHash('sha256').update(fs.readFileSync(requirements)).update(baseVersion).digest('hex');
  const stampFile = path.join(venv, '.mlstream-stamp');
  if (fs.existsSync(python) && readOr(stampFile) === stamp) return { python, venv, installed: false, ms: Date.now() - started };

  log(`python: installing ${path.relative(repoRoot, requirements)} into ${venv} (first run or changed pins: 30 s to 2 min, about 1 GB)`);
  const building = `${venv}.building-${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(venv), { recursive: true });
  run(basePython, ['-m', 'venv', building], `${basePython} -m venv failed (Debian: apt-get install python3-venv)`);
  // Invoked through `python -m pip`: pip's own launcher scripts keep the build path and break after the rename.
  run(path.join(building, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--quiet', '--only-binary=:all:', '-r', requirements], 'pip install failed');
  fs.writeFileSync(path.join(building, '.mlstream-stamp'), stamp);
  const stale = `${venv}.stale-${process.pid}`;
  if (fs.existsSync(venv)) fs.renameSync(venv, stale);
  fs.renameSync(building, venv);
  fs.rmSync(stale, { recursive: true, force: true });
  const ms = Date.now() - started;
  log(`python: venv ready in ${(ms / 1000).toFixed(1)} s`);
  return { python, venv, installed: true, ms };
}

function readOr(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function run(command: string, args: string[], what: string): string {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`${what}: ${(e.stderr || e.message).slice(-2000)}`, { cause: error });
  }
}

export interface PythonServer {
  child: ChildProcess;
  /** The first line the script printed, split on spaces (e.g. `READY <port> <version>`). */
  ready: string[];
  output: () => string;
  /** Closes the script's stdin and waits for it to exit; SIGKILL after `graceMs`. */
  stop: (graceMs?: number) => Promise<void>;
}

/**
 * Starts a long-running Python script and resolves with its first stdout
 * line once it starts with `READY`. Scripts are expected to exit when their
 * stdin closes, so a test process that dies takes them along.
 */
export async function startPythonServer(python: string, script: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<PythonServer> {
  const child = spawn(python, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let out = '';
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout! });
  const ready = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${path.basename(script)} not ready after ${options.timeoutMs ?? 30_000} ms: ${out.slice(-2000)}`)), options.timeoutMs ?? 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(script)} exited with ${code} before it was ready: ${out.slice(-2000)}`));
    });
    lines.on('line', (line) => {
      out += `${line}\n`;
      if (line.startsWith('READY')) {
        clearTimeout(timer);
        resolve(line.split(' '));
      }
    });
  });
  return {
    child,
    ready,
    output: () => out,
    stop: async (graceMs = 5_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin!.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
