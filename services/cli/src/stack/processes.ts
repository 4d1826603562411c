import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MlstreamError } from '@mlstream/kit';

/** What we record about a process we started, so `down` never touches anything else. */
export interface PidRecord {
  part: string;
  pid: number;
  /** A string that must appear in /proc/<pid>/cmdline (our config path). */
  marker: string;
  startedAt: string;
  log: string;
  /** What it was started as (absent in records written before this field existed). */
  about?: StartedAs;
}

/** The version and JDK a part was started with, so `status` reports what really runs. */
export interface StartedAs {
  version: string;
  java?: { path: string; major: number; version: string; reason: string };
}

const pidFile = (runDir: string, part: string) => path.join(runDir, `${part}.json`);

export function readPid(runDir: string, part: string): PidRecord | undefined {
  try {
    return JSON.parse(fs.readFileSync(pidFile(runDir, part), 'utf8')) as PidRecord;
  } catch {
    return undefined;
  }
}

/** True when the recorded pid is alive *and* is still the process we started. */
export function isOurs(record: PidRecord | undefined): record is PidRecord {
  if (!record) return false;
  try {
    process.kill(record.pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = fs.readFileSync(`/proc/${record.pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return cmdline.includes(record.marker);
  } catch {
    // No /proc (macOS): trust the live pid.
    return true;
  }
}

export interface StartOptions {
  part: string;
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  runDir: string;
  log: string;
  marker: string;
  about?: StartedAs;
}

/** Starts a detached daemon with output appended to its log and records its pid. */
export function startDaemon(options: StartOptions): PidRecord {
  fs.mkdirSync(options.runDir, { recursive: true });
  fs.mkdirSync(path.dirname(options.log), { recursive: true });
  const out = fs.openSync(options.log, 'a');
  fs.writeSync(out, `\n===== ${new Date().toISOString()} starting ${options.part}: ${options.command} ${options.args.join(' ')}\n`);
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) {
    throw new MlstreamError('STACK_START_FAILED', `${options.part}: could not spawn ${options.command}`);
  }
  child.unref();
  const record: PidRecord = {
    part: options.part,
    pid: child.pid,
    marker: options.marker,
    startedAt: new Date().toISOString(),
    log: options.log,
    ...(options.about ? { about: options.about } : {}),
  };
  fs.writeFileSync(pidFile(options.runDir, options.part), JSON.stringify(record, null, 2));
  return record;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** SIGTERM, then SIGKILL after `graceMs`; removes the pid record. Only touches our own process. */
export async function stopDaemon(runDir: string, part: string, graceMs = 20_000): Promise<'stopped' | 'not-running'> {
  const record = readPid(runDir, part);
  if (!isOurs(record)) {
    fs.rmSync(pidFile(runDir, part), { force: true });
    return 'not-running';
  }
  process.kill(record.pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && isOurs(record)) await sleep(200);
  if (isOurs(record)) process.kill(record.pid, 'SIGKILL');
  while (isOurs(record)) await sleep(100);
  fs.rmSync(pidFile(runDir, part), { force: true });
  return 'stopped';
}

/** Fails with STACK_PORT_IN_USE, naming the port and its variable, if something listens there. */
export async function assertPortFree(port: number, what: string, variable: string): Promise<void> {
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
  if (!free) {
    throw new MlstreamError(
      'STACK_PORT_IN_USE',
      `port ${port} (${what}) is already in use by another process; stop it or choose another port with ${variable}=<port>`,
      { details: { port, part: what, variable } },
    );
  }
}

/** The running process's command line (Linux /proc), or undefined elsewhere. */
export function commandLine(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return undefined;
  }
}

/** The last `lines` lines of a log file, for error messages. */
export function tail(file: string, lines = 30): string {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.split('\n').slice(-lines - 1).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/** Runs a command to completion, throwing STACK_INSTALL_FAILED with its output on failure. */
export function run(command: string, args: string[], what: string, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const result = spawnSync(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error) {
    throw new MlstreamError('STACK_INSTALL_FAILED', `${what}: could not run ${command}: ${result.error.message}`, { cause: result.error });
  }
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new MlstreamError('STACK_INSTALL_FAILED', `${what}: \`${command} ${args.join(' ')}\` exited ${result.status}:\n${output}`);
  }
  return `${result.stdout ?? ''}${result.stderr ?? ''}`;
}

const stillRunning = (record: PidRecord): boolean => isOurs(record);

/** Polls `probe` until it resolves, the process dies, or the deadline passes. */
export async function waitUntilReady(options: {
  part: string;
  record: PidRecord;
  probe: () => Promise<void>;
  timeoutMs: number;
}): Promise<number> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < options.timeoutMs) {
    if (!stillRunning(options.record)) {
      throw new MlstreamError(
        'STACK_START_FAILED',
        `${options.part} exited during start-up. Last lines of ${options.record.log}:\n${tail(options.record.log)}`,
      );
    }
    try {
      await options.probe();
      return Date.now() - started;
    } catch (error) {
      lastError = error;
    }
    await sleep(500);
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError);
  throw new MlstreamError(
    'STACK_START_FAILED',
    `${options.part} not ready after ${options.timeoutMs} ms (${reason}). Last lines of ${options.record.log}:\n${tail(options.record.log)}`,
  );
}
