// A webhook receiver that verifies signatures and deduplicates deliveries:
// `MLSTREAM_WEBHOOK_SECRET=... tsx services/sdk/examples/webhook-receiver.ts [port]` (docs/webhooks.md).
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import { SIGNATURE_HEADER, verifyWebhookSignature } from '@mlstream/sdk';

export interface ReceivedEvent {
  /** The CloudEvent id: `<source event id>:<subscription id>`, the same on every retry and redelivery. */
  id: string;
  type: string;
  subject: string;
  data: Record<string, unknown>;
  [extension: string]: unknown;
}

export interface ReceiverOptions {
  secret: string;
  port?: number;
  host?: string;
  /** Called once per CloudEvent id (a repeated id is answered 200 and dropped). */
  onEvent: (event: ReceivedEvent) => void | Promise<void>;
  /** Replay window in seconds (default 300). */
  toleranceSeconds?: number;
  /** Ids already handled, e.g. a table with a unique key in a real service; default in memory. */
  seen?: Set<string>;
}

/** Reads the raw body: the signature covers these exact bytes, not a re-serialized JSON. */
const rawBody = (req: http.IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

export function createReceiver(options: ReceiverOptions): http.Server {
  const seen = options.seen ?? new Set<string>();
  return http.createServer(async (req, res) => {
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const body = await rawBody(req);
    // 1. Authenticity and freshness: HMAC of "<t>.<body>", t within the tolerance.
    const verdict = verifyWebhookSignature(options.secret, req.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined, body, { now: Math.floor(Date.now() / 1000), toleranceSeconds: options.toleranceSeconds });
    if (!verdict.ok) return void res.writeHead(401, { 'content-type': 'text/plain' }).end(`signature ${verdict.reason}`);
    const event = JSON.parse(body.toString('utf8')) as ReceivedEvent;
    // 2. Effectively once: deliveries are at-least-once, the id is stable, so drop a repeat.
    if (seen.has(event.id)) return void res.writeHead(200).end('duplicate');
    try {
      await options.onEvent(event);
    } catch (error) {
      // Not handled: answer 5xx and the deliverer retries later, with the same id.
      return void res.writeHead(500, { 'content-type': 'text/plain' }).end(String((error as Error).message));
    }
    seen.add(event.id);
    res.writeHead(204).end();
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const secret = process.env.MLSTREAM_WEBHOOK_SECRET;
  if (!secret) throw new Error('set MLSTREAM_WEBHOOK_SECRET to the secret of the subscription');
  const port = Number(process.argv[2] ?? 9000);
  createReceiver({ secret, onEvent: (e) => console.log(`${e.type} about ${e.subject} (${e.id})`) }).listen(port, '127.0.0.1', () => console.log(`receiving webhooks on http://127.0.0.1:${port}/ (Ctrl-C stops)`));
}
