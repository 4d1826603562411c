import { processorSpec, runProcessorService, type Env, type RunningService } from '@mlstream/kit';
import { modelDecider } from './domain/index.ts';
import { featureDefinitionsDecider } from './features/index.ts';
import { followRunMetrics } from './projections/index.ts';

/**
 * The model-registry command processor (docs/processors.md); `{ env, signals: false }` starts it in-process.
 * Feature definitions (entities and views, docs/features.md) are decided alongside, in their own consumer group.
 */
export const startModelRegistry = (options: { env?: Env; signals?: boolean } = {}): Promise<RunningService> =>
  runProcessorService({
    name: 'registry',
    decider: modelDecider,
    commandStream: 'registry.commands',
    eventStream: 'registry',
    context: followRunMetrics,
    alongside: [processorSpec({ decider: featureDefinitionsDecider, commandStream: 'feature-definitions.commands', eventStream: 'feature-definitions' })],
    ...options,
  });
