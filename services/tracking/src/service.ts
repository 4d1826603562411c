import { processorSpec, runProcessorService, type Env, type RunningService } from '@mlstream/kit';
import { experimentDecider, runDecider } from './domain/index.ts';

/** The tracking command processor: runs, and experiments beside them (docs/processors.md); `{ env, signals: false }` starts it in-process. */
export const startTracking = (options: { env?: Env; signals?: boolean } = {}): Promise<RunningService> =>
  runProcessorService({
    name: 'tracking',
    decider: runDecider,
    commandStream: 'runs.commands',
    eventStream: 'runs',
    alongside: [processorSpec({ decider: experimentDecider, commandStream: 'experiments.commands', eventStream: 'experiments' })],
    ...options,
  });
