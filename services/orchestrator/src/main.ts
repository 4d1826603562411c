// The retrain orchestrator: `tsx services/orchestrator/src/main.ts` (docs/retrain-loop.md).
import { startOrchestrator } from './service.ts';

await startOrchestrator();
