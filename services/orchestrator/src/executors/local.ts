import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Executor } from './executor.ts';

export interface LocalExecutorOptions {
  /**
   * The command, split on spaces; placeholders `{node}` (this Node with its
   * loader flags, so a .ts trainer runs), `{snapshot}` (snapshot file path),
   * `{output}` (where the model file must be written), `{job}`, `{model}`.
   */
  template: string;
  cwd: string;
  /** The command is killed after this long and the job fails; keep it under the 30 s transaction timeout. */
  timeoutMs: number;
}

export class ExecutorError extends Error {}

/** Runs a local command template on the snapshot file; the model is the file it wrote at `{output}`. */
export function localExecutor(options: LocalExecutorOptions): Executor {
  if (!options.template.includes('{output}')) throw new TypeError('localExecutor: the command template must name {output}, where the trainer writes the model file');
  return {
    name: 'local',
    async run({ job, snapshot }) {
      if (!snapshot.path) throw new ExecutorError(`the local executor reads snapshots from a file, and ${snapshot.uri} is not one`);
      const dir = await mkdtemp(path.join(os.tmpdir(), 'mlstream-train-'));
      const output = path.join(dir, 'model.json');
      try {
        const words = options.template.split(/\s+/).filter(Boolean);
        const argv = words.flatMap((w) =>
          w === '{node}' ? [process.execPath, ...process.execArgv] : [w.replace('{snapshot}', snapshot.path!).replace('{output}', output).replace('{job}', job.jobId).replace('{model}', job.model)],
        );
        const [cmd, ...args] = argv;
        const stderr: Buffer[] = [];
        await new Promise<void>((resolve, reject) => {
          const child = spawn(cmd!, args, { cwd: options.cwd, stdio: ['ignore', 'ignore', 'pipe'] });
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new ExecutorError(`the training command ran over ${options.timeoutMs} ms and was killed`));
          }, options.timeoutMs);
          child.stderr.on('data', (d: Buffer) => stderr.push(d));
          child.on('error', (e) => {
            clearTimeout(timer);
            reject(new ExecutorError(`the training command did not start: ${e.message}`, { cause: e }));
          });
          child.on('exit', (code, signal) => {
            clearTimeout(timer);
            if (code === 0) resolve();
            else reject(new ExecutorError(`the training command exited with ${code ?? signal}: ${Buffer.concat(stderr).toString().trim().slice(-500)}`));
          });
        });
        const model = await readFile(output).catch((e: unknown) => {
          throw new ExecutorError(`the training command exited 0 but wrote no model at {output}`, { cause: e });
        });
        return { kind: 'trained', model, params: { executor: 'local', command: options.template } };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
