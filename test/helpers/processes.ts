import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
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

/** A TCP port free on loopback right now (for a service or receiver the test starts). */
export const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
