// The tracking command processor: `tsx services/tracking/src/main.ts`.
import { runProcessorService } from '@mlstream/kit';
import { runDecider } from './domain/index.ts';

await runProcessorService({
  name: 'tracking',
  decider: runDecider,
  commandStream: 'runs.commands',
  eventStream: 'runs',
});
