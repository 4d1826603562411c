// The features service: `tsx services/features/src/main.ts` (docs/features.md).
import { startFeaturesService } from './service.ts';

await startFeaturesService();
