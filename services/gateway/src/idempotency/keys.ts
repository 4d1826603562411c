import { randomUUID } from 'node:crypto';
import { MlstreamError, deterministicUuid } from '@mlstream/kit';

/**
 * The ids of one request. With an Idempotency-Key they are a function of
 * (API key name, Idempotency-Key), so a retry, even to another gateway
 * instance or after a restart, carries the same command id and event ids:
 * the processors answer a repeated command id with its first outcome, and
 * fact consumers can drop a repeated eventId. Without one they are random.
 */
export interface RequestIds {
  /** The Idempotency-Key as sent, if any. */
  key: string | undefined;
  /** Cache key of the answer (scoped by API key, so two clients' keys never meet). */
  scope: string | undefined;
  /** Id of the n-th derived thing (`event:3`, `command`, `run`). */
  derive(what: string): string;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

export function requestIds(actor: string, header: string | string[] | undefined): RequestIds {
  const raw = Array.isArray(header) ? header[0] : header;
  if (raw === undefined) return { key: undefined, scope: undefined, derive: () => randomUUID() };
  if (!KEY.test(raw)) {
    throw new MlstreamError('INVALID_REQUEST', 'Idempotency-Key must be 1-255 visible ASCII characters (a UUID is a good choice)', { details: { errors: [{ path: 'headers.idempotency-key', message: 'expected 1-255 visible ASCII characters' }] } });
  }
  const scope = `${actor}\u0000${raw}`;
  return { key: raw, scope, derive: (what) => deterministicUuid(`mlstream-gateway\u0000${scope}\u0000${what}`) };
}
