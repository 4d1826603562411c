import { runProcessorService, type Env, type RunningService } from '@mlstream/kit';
import { modelDecider } from './domain/index.ts';
import { followRunMetrics } from './projections/index.ts';

/** The model-registry command processor (docs/processors.md); `{ env, signals: false }` starts it in-process. */
export const startModelRegistry = (options: { env?: Env; signals?: boolean } = {}): Promise<RunningService> =>
  runProcessorService({ name: 'registry', decider: modelDecider, commandStream: 'registry.commands', eventStream: 'registry', context: followRunMetrics, ...options });
