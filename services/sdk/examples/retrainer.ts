// A retraining system: `tsx services/sdk/examples/retrainer.ts [kafka|sse]`.
import { subscribeRetrain, subscribeRetrainSse } from '@mlstream/sdk';

const mode = process.argv[2] ?? 'kafka';
const handle = async (request: { model: string; version: number; idempotencyKey: string; reason: string }) => {
  // Requests arrive at least once: key the retraining job by idempotencyKey.
  console.log(`retrain ${request.model} v${request.version} (${request.idempotencyKey}): ${request.reason}`);
};

const subscription =
  mode === 'sse'
    ? subscribeRetrainSse({ baseUrl: process.env.MLSTREAM_GATEWAY_URL ?? 'http://127.0.0.1:8080', apiKey: process.env.MLSTREAM_API_KEY ?? 'mlstream-dev-key', handler: handle, onError: (e) => console.error(e) })
    : await subscribeRetrain({ groupId: 'example-retrainer', handler: handle });
process.once('SIGINT', () => void subscription.stop().then(() => process.exit(0)));
console.log(`waiting for retrain requests over ${mode} (Ctrl-C stops)`);
