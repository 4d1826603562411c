// The HTTP gateway: `tsx services/gateway/src/main.ts` (MLSTREAM_GATEWAY_HOST:MLSTREAM_GATEWAY_PORT, default 127.0.0.1:8080).
import { startGateway } from './service.ts';

await startGateway();
