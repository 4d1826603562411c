import { SIGNATURE_HEADER, signatureHeader } from '@mlstream/webhooks/signature';
import type { Executor } from './executor.ts';

export interface WebhookExecutorOptions {
  url: string;
  secret: string;
  timeoutMs: number;
  now?: () => number;
}

/**
 * Dispatches the job to CI, repository-dispatch style: `{event_type, client_payload}`
 * with the snapshot URI, the request's evidence and the tag CI must put on the
 * version it registers. Signed as webhook deliveries are (the webhooks service's
 * signature module): `Webhook-Signature: t=<unix>,v1=<hex>`. A non-2xx
 * answer fails the job (the dispatch is retried only by redelivering the request).
 */
export function webhookExecutor(options: WebhookExecutorOptions): Executor {
  return {
    name: 'webhook',
    async run({ job, snapshot }) {
      const r = job.request;
      const body = JSON.stringify({
        event_type: 'mlstream.retrain',
        client_payload: {
          jobId: job.jobId,
          model: job.model,
          idempotencyKey: job.idempotencyKey,
          version: r.version,
          snapshot: { uri: snapshot.uri, sha256: snapshot.sha256, datasetId: snapshot.datasetId, datasetVersion: snapshot.datasetVersion, rowCount: snapshot.rowCount, format: 'jsonl' },
          evidence: { requestEventId: r.requestEventId, windowIds: r.evidenceWindowIds, eventIds: r.evidenceEventIds, reason: r.reason },
          register: { tags: { 'mlstream.retrain.job': job.jobId } },
        },
      });
      const t = Math.floor((options.now ?? Date.now)() / 1000);
      const response = await fetch(options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'webhook-id': job.jobId, [SIGNATURE_HEADER]: signatureHeader(options.secret, t, body) },
        body,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
      if (!response.ok) throw new Error(`the CI webhook answered ${response.status} ${response.statusText}`);
      return { kind: 'dispatched' };
    },
  };
}
