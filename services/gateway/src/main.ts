// The HTTP gateway: `tsx services/gateway/src/main.ts` (port MLSTREAM_GATEWAY_PORT, default 8080).
import { startGateway } from './service.ts';

await startGateway();
