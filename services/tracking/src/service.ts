import { runProcessorService, type Env, type RunningService } from '@mlstream/kit';
import { runDecider } from './domain/index.ts';

/** The tracking command processor (docs/processors.md); `{ env, signals: false }` starts it in-process. */
export const startTracking = (options: { env?: Env; signals?: boolean } = {}): Promise<RunningService> =>
  runProcessorService({ name: 'tracking', decider: runDecider, commandStream: 'runs.commands', eventStream: 'runs', ...options });
