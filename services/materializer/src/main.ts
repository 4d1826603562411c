// The materializer: `tsx services/materializer/src/main.ts` (docs/materializer.md).
import { runMaterializerService } from './service.ts';

await runMaterializerService();
