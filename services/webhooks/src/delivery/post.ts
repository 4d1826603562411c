import { SIGNATURE_HEADER, signatureHeader } from '../domain/signature.ts';

export interface PostResult {
  outcome: 'delivered' | 'failed';
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

export interface PostRequest {
  url: string;
  body: string;
  secret: string;
  deliveryId: string;
  attempt: number;
  /** Unix seconds put in the signature. */
  timestamp: number;
  timeoutMs: number;
  /** Aborts the request (service stopping). */
  signal: AbortSignal;
}

/**
 * One signed POST. 2xx is delivered; anything else, a timeout or a network
 * error is a failure to retry. The answer body is read and dropped (at most
 * the first 200 characters are kept as the error of a non-2xx answer).
 */
export async function postDelivery(request: PostRequest): Promise<PostResult> {
  const started = performance.now();
  const timeout = AbortSignal.timeout(request.timeoutMs);
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.any([request.signal, timeout]),
      headers: {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'user-agent': 'mlstream-webhooks/1',
        [SIGNATURE_HEADER]: signatureHeader(request.secret, request.timestamp, request.body),
        'webhook-id': request.deliveryId,
        'webhook-attempt': String(request.attempt),
      },
      body: request.body,
    });
    const text = await response.text().catch(() => '');
    const ok = response.status >= 200 && response.status < 300;
    return { outcome: ok ? 'delivered' : 'failed', httpStatus: response.status, error: ok ? null : `HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ''}`, durationMs: performance.now() - started };
  } catch (error) {
    if (request.signal.aborted) throw error;
    const e = error as Error & { cause?: { code?: string; message?: string } };
    const reason = timeout.aborted ? `timed out after ${request.timeoutMs} ms` : (e.cause?.code ?? e.cause?.message ?? e.message);
    return { outcome: 'failed', httpStatus: null, error: reason, durationMs: performance.now() - started };
  }
}
