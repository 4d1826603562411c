// The webhook deliverer: `tsx services/webhooks/src/main.ts` (docs/webhooks.md).
import { startWebhooks } from './service.ts';

await startWebhooks();
