// The registry command processor: `tsx services/registry/src/main.ts`.
import { runProcessorService } from '@mlstream/kit';
import { modelDecider } from './domain/index.ts';
import { followRunMetrics } from './projections/index.ts';

await runProcessorService({
  name: 'registry',
  decider: modelDecider,
  commandStream: 'registry.commands',
  eventStream: 'registry',
  context: followRunMetrics,
});
