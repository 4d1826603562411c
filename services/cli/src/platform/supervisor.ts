import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../stack/index.ts';
import type { ServiceSpec } from './services.ts';

export interface SupervisedState {
  name: string;
  pid?: number;
  restarts: number;
  ready: boolean;
  lastExit?: string;
}

export interface SupervisorOptions {
  services: ServiceSpec[];
  logsDir: string;
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
  /** Backoff after a crash: min(maxMs, baseMs * 2^restarts). */
  backoff?: { baseMs: number; maxMs: number };
}

/**
 * Runs each service as a child process (node with the tsx loader), appends its
 * output to `<logs>/<name>.log`, restarts it with exponential backoff when it
 * exits on its own, and stops all of them on `stop()` (SIGTERM, then SIGKILL
 * after 15 s).
 */
export function createSupervisor(options: SupervisorOptions) {
  const { baseMs, maxMs } = options.backoff ?? { baseMs: 1_000, maxMs: 30_000 };
  const children = new Map<string, ChildProcess>();
  const states = new Map<string, SupervisedState>(options.services.map((s) => [s.name, { name: s.name, restarts: 0, ready: false }]));
  let stopping = false;
  fs.mkdirSync(options.logsDir, { recursive: true });

  const launch = (spec: ServiceSpec) => {
    const log = fs.openSync(path.join(options.logsDir, `${spec.name}.log`), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, spec.entry)], {
      cwd: repoRoot,
      env: { ...options.env, MLSTREAM_HTTP_PORT: String(spec.port), ...spec.env },
      stdio: ['ignore', log, log],
    });
    fs.closeSync(log);
    children.set(spec.name, child);
    const state = states.get(spec.name)!;
    state.pid = child.pid;
    state.ready = false;
    child.on('exit', (code, signal) => {
      children.delete(spec.name);
      state.ready = false;
      state.lastExit = signal ? `signal ${signal}` : `code ${code}`;
      if (stopping) return;
      const delay = Math.min(maxMs, baseMs * 2 ** state.restarts);
      state.restarts += 1;
      options.say(`${spec.name} exited (${state.lastExit}); restarting in ${(delay / 1000).toFixed(0)} s — see ${path.join(options.logsDir, `${spec.name}.log`)}`);
      setTimeout(() => !stopping && launch(spec), delay).unref();
    });
  };

  const probe = async (spec: ServiceSpec): Promise<boolean> => {
    try {
      const res = await fetch(`http://127.0.0.1:${spec.port}/readyz`, { signal: AbortSignal.timeout(1_500) });
      return res.ok;
    } catch {
      return false;
    }
  };

  return {
    states: () => [...states.values()],
    start() {
      for (const spec of options.services) launch(spec);
    },
    /** Waits until every service answers /readyz, or the time is up; returns the ones not ready. */
    async waitReady(timeoutMs: number): Promise<string[]> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const results = await Promise.all(options.services.map(async (s) => [s, await probe(s)] as const));
        for (const [s, ok] of results) states.get(s.name)!.ready = ok;
        const missing = results.filter(([, ok]) => !ok).map(([s]) => s.name);
        if (!missing.length || Date.now() > deadline) return missing;
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    async refresh(): Promise<void> {
      await Promise.all(options.services.map(async (s) => void (states.get(s.name)!.ready = await probe(s))));
    },
    async stop(): Promise<void> {
      stopping = true;
      await Promise.all(
        [...children.entries()].map(
          ([, child]) =>
            new Promise<void>((resolve) => {
              const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
              child.once('exit', () => {
                clearTimeout(timer);
                resolve();
              });
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}
