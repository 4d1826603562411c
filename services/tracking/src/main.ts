// The tracking command processor: `tsx services/tracking/src/main.ts` (docs/processors.md).
import { startTracking } from './service.ts';

await startTracking();
