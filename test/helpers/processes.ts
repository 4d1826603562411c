import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

export interface ServiceProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts a service entry point (TypeScript, through tsx) as a child process with extra environment. */
export function startService(entry: string, env: Record<string, string>): ServiceProcess {
  // One process, tsx as a loader: the tsx CLI would run the service in a
  // grandchild that survives a SIGKILL sent to the CLI.
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(entry)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}
