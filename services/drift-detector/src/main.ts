// The drift detector: `tsx services/drift-detector/src/main.ts` (docs/drift.md).
import { startDriftDetector } from './service.ts';

await startDriftDetector();
