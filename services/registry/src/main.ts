// The model-registry command processor: `tsx services/registry/src/main.ts` (docs/processors.md).
import { startModelRegistry } from './service.ts';

await startModelRegistry();
